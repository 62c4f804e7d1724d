import { unusedDefinitions } from "../../policy";
import { devModel } from "../support/env";

const open = (model: ReturnType<typeof devModel>) => unusedDefinitions.check(model).filter((r) => r.result.status === "non-compliant");

describe("EST-REF-001 definitions used nowhere", () => {
  it("GIVEN dev THEN every image and site is used", () => {
    expect(open(devModel())).toEqual([]);
  });

  it("GIVEN a site where every service has 0 instances THEN a warning at the site's name", () => {
    const model = devModel((env) => {
      for (const svc of env.services) svc.instancesBySite = { "os-c": 0 };
    });
    expect(open(model)).toEqual([
      { target: "sites.os-c", site: "os-c", result: { status: "non-compliant", detail: 'site "os-c" runs no service (every service has 0 instances there)' }, source: ["sites", "openstack", 2, "name"] },
    ]);
  });

  it("GIVEN an image only a bake produces THEN it counts as used", () => {
    const model = devModel((env) => {
      env.images.push({ ...env.images[0], name: "base-next" });
      env.bake = { ...env.bake, enabled: true, image: "base-next" };
    });
    expect(open(model)).toEqual([]);
  });
});
