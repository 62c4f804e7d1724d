import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { devCopy, estate, PROJECT, removeTempDirs, tempDir } from "./estate";

describe("estate drain / restore", () => {
  let env: string;
  let original: string;

  beforeAll(() => {
    env = devCopy();
    original = readFileSync(env, "utf8");
  });

  it("GIVEN os-b active WHEN drained THEN the file says drained, nothing else moved, and os-b records go to weight 0", () => {
    const r = estate(["drain", "os-b", "--env", env]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const after = readFileSync(env, "utf8");
    const changed = original.split("\n").map((line, i) => [line, after.split("\n")[i]]).filter(([a, b]) => a !== b);
    expect(changed).toEqual([["      traffic: { state: active, weight: 100 }", "      traffic: { state: drained, weight: 100 }"]]);
    // Comments survive.
    expect(after).toContain("cloud: dev-os-b\n");
    expect(after).toContain("# entry in clouds.yaml; credentials stay there");

    expect(r.stdout).toContain(`${env}: sites.openstack[1].traffic.state set to drained`);
    expect(r.stdout).toContain("dev-traffic: 0 to add, 2 to change, 0 to destroy\n");
    expect(r.stdout).toContain("  ~   aws_route53_record.web_os_b_record\n        weighted_routing_policy.weight: 100 -> 0");
    expect(r.stdout).toContain("  ~   aws_route53_record.api_os_b_record\n        weighted_routing_policy.weight: 100 -> 0");
    expect(r.stdout).not.toMatch(/os_a_record|os_c_record|aws_record/);
  });

  it("GIVEN os-b drained WHEN drained again THEN nothing to do", () => {
    const before = readFileSync(env, "utf8");
    const r = estate(["drain", "os-b", "--env", env]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("os-b is already drained");
    expect(readFileSync(env, "utf8")).toBe(before);
  });

  it("GIVEN os-b drained WHEN os-a is drained too THEN allowed: the report shows margin 0 for web and the losses that break peak", () => {
    const r = estate(["drain", "os-a", "--env", env]);
    expect(r.status).toBe(0);
    // web 3+3 of peak 6 with os-a and os-b out; api 2+2 of peak 4.
    expect(r.stdout).toContain(
      [
        "Redundancy of dev with os-a, os-b drained:",
        "  SERVICE  SERVING SITES (HOSTS)  HOSTS  PEAK  MARGIN  REDUNDANCY                      ONE MORE LOSS THAT BREAKS PEAK",
        "  web      os-c 3, aws 3              6     6       0  no N+1 while drained (warning)  os-c (3 left) or aws (3 left)",
        "  api      os-c 2, aws 2              4     4       0  no N+1 while drained (warning)  os-c (2 left) or aws (2 left)",
      ].join("\n"),
    );
  });

  it("GIVEN os-a and os-b drained WHEN os-c is drained THEN refused below peak, naming services, sites and numbers; the file unchanged", () => {
    const before = readFileSync(env, "utf8");
    const r = estate(["drain", "os-c", "--env", env]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      [
        `refusing to drain os-c: with os-a, os-b, os-c drained, the serving sites would run fewer instances than peak capacity (EST-AVL-002); ${env} is unchanged`,
        "  web: peakInstances is 6; the serving sites would run 3 (aws 3), 3 short",
        "  api: peakInstances is 4; the serving sites would run 2 (aws 2), 2 short",
      ].join("\n"),
    );
    expect(readFileSync(env, "utf8")).toBe(before);
  });

  it("GIVEN a suppression of EST-AVL-002 for web THEN a drain below web's peak is let through, and api still refuses it", () => {
    const suppressed = join(tempDir("estate-cli-env-"), "dev.yaml");
    const text = readFileSync(env, "utf8").replace(
      "policy:\n",
      "policy:\n  suppressions:\n    - { rule: EST-AVL-002, target: web, reason: web is being shrunk on purpose during the migration }\n",
    );
    expect(text).toContain("reason: web is being shrunk");
    writeFileSync(suppressed, text.replace(/^ {2}suppressions: \[\]\n/m, ""));
    const r = estate(["drain", "os-c", "--env", suppressed]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("  api: peakInstances is 4; the serving sites would run 2 (aws 2), 2 short");
    expect(r.stderr).not.toContain("  web: ");
  });

  it("GIVEN every other site drained and no peakInstances WHEN the last one is drained THEN refused with exit 1 and the file byte-identical", () => {
    const noPeak = join(tempDir("estate-cli-env-"), "dev.yaml");
    writeFileSync(noPeak, readFileSync(env, "utf8").replace(/^ {4}peakInstances: \d+\n/gm, ""));
    expect(estate(["drain", "os-c", "--env", noPeak]).status).toBe(0);
    const before = readFileSync(noPeak, "utf8");
    const r = estate(["drain", "aws", "--env", noPeak]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`refusing to drain aws: the environment would not be valid; ${noPeak} is unchanged`);
    expect(r.stderr).toContain("every site is drained or has weight 0");
    expect(readFileSync(noPeak, "utf8")).toBe(before);
  });

  it("GIVEN drained sites WHEN restored THEN weights come back and the file is the original again", () => {
    expect(estate(["restore", "os-a", "--env", env]).status).toBe(0);
    const r = estate(["restore", "os-b", "--env", env]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("sites.openstack[1].traffic.state set to active");
    expect(r.stdout).toContain("  ~   aws_route53_record.web_os_b_record\n        weighted_routing_policy.weight: 0 -> 100");
    expect(r.stdout).toContain("Redundancy of dev with every site serving:");
    expect(r.stdout).toContain("  web      os-a 3, os-b 3, os-c 3, aws 3     12     6       6  N+1         -");
    expect(readFileSync(env, "utf8")).toBe(original);
  });

  it.each([
    [["drain", "os-z"], 'no site "os-z" in'],
    [["restore", "os-z"], "(sites: os-a, os-b, os-c, aws)"],
  ])("GIVEN an unknown site (%j) THEN exit 2 and the file untouched", (args, message) => {
    const r = estate([...args, "--env", env]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(readFileSync(env, "utf8")).toBe(original);
  });

  it("GIVEN no --env THEN exit 2", () => {
    const r = estate(["drain", "os-b"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Missing required argument: env");
  });

  it("GIVEN an unknown environment THEN exit 2", () => {
    expect(estate(["drain", "os-b", "--env", "nope"]).status).toBe(2);
  });
});

describe("estate drain / restore --json", () => {
  let env: string;
  beforeAll(() => {
    env = devCopy();
  });

  it("GIVEN os-b active WHEN drained with --json THEN one JSON document: file, site, path, state before and after, the diff as data and as text", () => {
    const r = estate(["drain", "os-b", "--env", env, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, any>;
    expect(Object.keys(report)).toEqual(["file", "site", "path", "before", "after", "changed", "diff", "diffText", "redundancy"]);
    expect(report.redundancy).toMatchObject({ env: "dev", drainedSites: ["os-b"] });
    expect(report).toMatchObject({ file: env, site: "os-b", path: "sites.openstack[1].traffic.state", before: "active", after: "drained", changed: true });
    expect(report.diff.summary).toEqual([{ stack: "dev-traffic", status: "changed", import: 0, add: 0, change: 2, destroy: 0, forget: 0, replace: 0, read: 0 }]);
    expect(report.diff.stacks[0].changes.map((c: { address: string; attributes: unknown }) => [c.address, c.attributes])).toEqual([
      ["aws_route53_record.api_os_b_record", [{ path: "weighted_routing_policy.weight", before: 100, after: 0, forcesReplacement: false }]],
      ["aws_route53_record.web_os_b_record", [{ path: "weighted_routing_policy.weight", before: 100, after: 0, forcesReplacement: false }]],
    ]);
    expect(report.diffText).toContain("dev-traffic: 0 to add, 2 to change, 0 to destroy");
    expect(report.diffText).toContain("  ~   aws_route53_record.web_os_b_record\n        weighted_routing_policy.weight: 100 -> 0\n");
    expect(readFileSync(env, "utf8")).toContain("traffic: { state: drained, weight: 100 }");
  });

  it("GIVEN os-b drained WHEN drained again THEN changed false, the same state before and after, no diff", () => {
    const r = estate(["drain", "os-b", "--env", env, "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file: env,
      site: "os-b",
      path: "sites.openstack[1].traffic.state",
      before: "drained",
      after: "drained",
      changed: false,
      diff: null,
      diffText: null,
      redundancy: expect.objectContaining({ env: "dev", drainedSites: ["os-b"] }),
    });
  });

  it("GIVEN os-b drained WHEN restored with --json THEN the weights come back", () => {
    const r = estate(["restore", "os-b", "--env", env, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, any>;
    expect(report).toMatchObject({ before: "drained", after: "active", changed: true });
    expect(report.diffText).toContain("weighted_routing_policy.weight: 0 -> 100");
  });

  it("GIVEN an unknown site THEN nothing on stdout, the message on stderr, exit 2", () => {
    const r = estate(["drain", "os-z", "--env", env, "--json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('no site "os-z" in');
  });
});

/**
 * The README's drain examples, as written, on a copy of the bundled prod estate: `--env prod` finds the copy
 * under environments/ of the working directory.
 */
describe("README: drain and restore on the bundled prod", () => {
  let cwd: string;
  let file: string;
  let original: string;
  const run = (args: string[]) => estate(args, { cwd });

  beforeAll(() => {
    cwd = tempDir("estate-cli-prod-");
    mkdirSync(join(cwd, "environments"));
    file = join(cwd, "environments", "prod.yaml");
    copyFileSync(join(PROJECT, "environments", "prod.yaml"), file);
    original = readFileSync(file, "utf8");
  });

  it("npx estate drain os-b --env prod: drained, with the redundancy report of every service", () => {
    const r = run(["drain", "os-b", "--env", "prod"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("environments/prod.yaml: sites.openstack[1].traffic.state set to drained");
    expect(r.stdout).toContain("prod-traffic: 0 to add, 2 to change, 0 to destroy");
    expect(r.stdout).toContain(
      [
        "Redundancy of prod with os-b drained:",
        "  SERVICE  SERVING SITES (HOSTS)     HOSTS  PEAK  MARGIN  REDUNDANCY                      ONE MORE LOSS THAT BREAKS PEAK",
        "  www      os-a 24, os-c 24, aws 12     60    60       0  no N+1 while drained (warning)  os-a (36 left), os-c (36 left) or aws (48 left)",
        "  api      os-a 16, os-c 16, aws 16     48    40       8  no N+1 while drained (warning)  os-a (32 left), os-c (32 left) or aws (32 left)",
        "  search   os-a 6, os-c 6, aws 3        15    15       0  no N+1 while drained (warning)  os-a (9 left), os-c (9 left) or aws (12 left)",
      ].join("\n"),
    );
  });

  it("npx estate validate --env prod: exit 0, three EST-AVL-003 warnings with the numbers, no error", () => {
    const r = run(["validate", "--env", "prod"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("policy: 0 errors, 3 warnings, 0 suppressed");
    expect(r.stdout).not.toContain("ERROR");
    expect(r.stdout).toContain(
      "peakInstances is 60: with os-b drained, the serving sites run 60 (os-a 24, os-c 24, aws 12), margin 0; losing os-a (36 left), os-c (36 left) or aws (48 left) would break peak capacity",
    );
    expect(r.stdout).toContain(
      "peakInstances is 40: with os-b drained, the serving sites run 48 (os-a 16, os-c 16, aws 16), margin 8; losing os-a (32 left), os-c (32 left) or aws (32 left) would break peak capacity",
    );
    expect(r.stdout).toContain(
      "peakInstances is 15: with os-b drained, the serving sites run 15 (os-a 6, os-c 6, aws 3), margin 0; losing os-a (9 left), os-c (9 left) or aws (12 left) would break peak capacity",
    );
  });

  it("npx estate synth --env prod: exit 0 and the traffic stack written with os-b at weight 0", () => {
    const r = run(["synth", "--env", "prod"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("WARNING    EST-AVL-003  prod: services.www.peakInstances");
    const tf = JSON.parse(readFileSync(join(cwd, "cdktf.out", "stacks", "prod-traffic", "cdk.tf.json"), "utf8"));
    expect(tf.resource.aws_route53_record.www_os_b_record.weighted_routing_policy.weight).toBe(0);
    expect(tf.resource.aws_route53_record.www_os_a_record.weighted_routing_policy.weight).toBe(100);
  });

  it("a second drain (os-a) would leave prod below peak: refused, naming every service, the sites and the numbers", () => {
    const before = readFileSync(file, "utf8");
    const r = run(["drain", "os-a", "--env", "prod"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      [
        "refusing to drain os-a: with os-a, os-b drained, the serving sites would run fewer instances than peak capacity (EST-AVL-002); environments/prod.yaml is unchanged",
        "  www: peakInstances is 60; the serving sites would run 36 (os-c 24, aws 12), 24 short",
        "  api: peakInstances is 40; the serving sites would run 32 (os-c 16, aws 16), 8 short",
        "  search: peakInstances is 15; the serving sites would run 9 (os-c 6, aws 3), 6 short",
      ].join("\n"),
    );
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("npx estate restore os-b --env prod: the file is the original again, and validate has nothing to report", () => {
    const r = run(["restore", "os-b", "--env", "prod"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("  www      os-a 24, os-b 24, os-c 24, aws 12     84    60      24  N+1         -");
    expect(readFileSync(file, "utf8")).toBe(original);
    const v = run(["validate", "--env", "prod"]);
    expect(v.status).toBe(0);
    expect(v.stdout).toContain("policy: 0 errors, 0 warnings, 0 suppressed");
  });

  it("npx estate synth --env prod --drain os-b --out <dir>: a drain for one run is allowed the same way", () => {
    const out = join(cwd, "prod-drained");
    const r = run(["synth", "--env", "prod", "--drain", "os-b", "--out", out]);
    expect(r.status).toBe(0);
    expect(existsSync(join(out, "stacks", "prod-traffic", "cdk.tf.json"))).toBe(true);
    expect(r.stderr).toContain("policy: 0 errors, 3 warnings");
  });
});

afterAll(removeTempDirs);
