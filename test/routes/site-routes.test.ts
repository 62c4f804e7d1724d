import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnvironmentText, resolveEstate } from "../../model";
import { setSiteRoutes } from "../../cli/lib/site-routes";

const DEV = join(__dirname, "..", "..", "environments", "dev.yaml");
const text = readFileSync(DEV, "utf8");

/** The lines that differ, as [before, after] pairs, for edits that add or remove lines at one place. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

describe("setSiteRoutes", () => {
  it("GIVEN os-a's routes WHEN replaced THEN only its routes lines change, in the file's style, comments kept", () => {
    const edit = setSiteRoutes(text, DEV, "os-a", [
      { destination: "10.0.0.0/16", nextHop: "10.10.0.254" },
      { destination: "10.70.0.0/16", nextHop: "10.10.0.111" },
      { destination: "10.70.5.0/24", nextHop: "10.10.0.112" },
    ]);
    expect(edit).toMatchObject({ changed: true, path: "sites.openstack[0].routes" });
    expect(changedLines(text, edit.text)).toEqual({
      removed: [],
      added: ["        - { destination: 10.70.0.0/16, nextHop: 10.10.0.111 }", "        - { destination: 10.70.5.0/24, nextHop: 10.10.0.112 }"],
    });
    expect(edit.text).toContain("cloud: dev-os-a          # entry in clouds.yaml; credentials stay there");
  });

  it("GIVEN nested routes with different next hops THEN the model accepts them", () => {
    const edit = setSiteRoutes(text, DEV, "os-a", [
      { destination: "10.70.0.0/16", nextHop: "10.10.0.111" },
      { destination: "10.70.5.0/24", nextHop: "10.10.0.112" },
      { destination: "10.70.5.128/25", nextHop: "10.10.0.111" },
    ]);
    const model = resolveEstate(parseEnvironmentText(edit.text, DEV), DEV);
    expect(model.openstackSites[0].routes).toEqual([
      { destination: "10.70.0.0/16", nextHop: "10.10.0.111" },
      { destination: "10.70.5.0/24", nextHop: "10.10.0.112" },
      { destination: "10.70.5.128/25", nextHop: "10.10.0.111" },
    ]);
  });

  it("GIVEN no routes THEN the list becomes routes: [] and the same routes again change nothing", () => {
    const empty = setSiteRoutes(text, DEV, "os-b", []);
    expect(changedLines(text, empty.text)).toEqual({ removed: ["      routes:", "        - { destination: 10.0.0.0/16, nextHop: 10.20.0.254 }"], added: ["      routes: []"] });
    expect(setSiteRoutes(text, DEV, "os-b", [{ destination: "10.0.0.0/16", nextHop: "10.20.0.254" }])).toEqual({ text, changed: false, path: "sites.openstack[1].routes" });
  });

  it("GIVEN a site without a routes key THEN the list is added as its last key", () => {
    const without = text.replace("      routes:\n        - { destination: 10.0.0.0/16, nextHop: 10.30.0.254 }\n", "");
    const edit = setSiteRoutes(without, DEV, "os-c", [{ destination: "10.0.0.0/16", nextHop: "10.30.0.254" }]);
    expect(changedLines(without, edit.text)).toEqual({
      removed: [],
      added: ["      routes:", "        - { destination: 10.0.0.0/16, nextHop: 10.30.0.254 }"],
    });
    expect(resolveEstate(parseEnvironmentText(edit.text, DEV), DEV).openstackSites[2].routes).toEqual([{ destination: "10.0.0.0/16", nextHop: "10.30.0.254" }]);
  });

  it("GIVEN an unknown site THEN a usage error lists the sites", () => {
    expect(() => setSiteRoutes(text, DEV, "os-z", [])).toThrow(`no site "os-z" in ${DEV} (sites: os-a, os-b, os-c, aws)`);
  });
});
