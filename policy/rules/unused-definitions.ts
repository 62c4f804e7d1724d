import { compliant, nonCompliant, type ModelRule, type TargetedResult } from "../rule";

/**
 * EST-REF-001: every golden image is used by a service or a bake, and every site runs something. A warning, not an
 * error: a rollout legitimately defines the old and the new image at once, and a site may be emptied on purpose.
 */
export const unusedDefinitions: ModelRule = {
  id: "EST-REF-001",
  level: "warning",
  kind: "model",
  message: "defined but used nowhere",
  explanation:
    "An image no service runs and no bake produces, or a site that runs no service, is usually a leftover or a misspelt name: the definition looks in force but changes nothing, while the entry that was meant stays unchanged.",
  fix: "Delete the image once no host runs it any more, point a service (image:) or bake.image at it, or give the site instances; check the spelling of the names that should refer to it.",
  check: (model) => {
    const results: TargetedResult[] = [];
    const used = new Set([...model.services.map((s) => s.image), ...model.bake.builders.map((b) => b.image)]);
    model.imageNames.forEach((image, i) => {
      results.push({
        target: `images.${image}`,
        result: used.has(image) ? compliant() : nonCompliant(`image "${image}" is used by no service and produced by no bake`),
        source: ["images", i, "name"],
      });
    });
    model.openstackSites.forEach((site, i) => {
      results.push({
        target: `sites.${site.name}`,
        site: site.name,
        result: site.services.length > 0 ? compliant() : nonCompliant(`site "${site.name}" runs no service (every service has 0 instances there)`),
        source: ["sites", "openstack", i, "name"],
      });
    });
    return results;
  },
};
