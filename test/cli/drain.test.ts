import { readFileSync } from "node:fs";
import { devCopy, estate, removeTempDirs } from "./estate";

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

  it("GIVEN every other site drained WHEN the last one is drained THEN refused with exit 1 and the file byte-identical", () => {
    expect(estate(["drain", "os-a", "--env", env]).status).toBe(0);
    expect(estate(["drain", "os-c", "--env", env]).status).toBe(0);
    const before = readFileSync(env, "utf8");
    const r = estate(["drain", "aws", "--env", env]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`refusing to drain aws: the environment would not be valid; ${env} is unchanged`);
    expect(r.stderr).toContain("every site is drained or has weight 0");
    expect(readFileSync(env, "utf8")).toBe(before);
  });

  it("GIVEN drained sites WHEN restored THEN weights come back and the file is the original again", () => {
    for (const site of ["os-a", "os-c"]) expect(estate(["restore", site, "--env", env]).status).toBe(0);
    const r = estate(["restore", "os-b", "--env", env]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("sites.openstack[1].traffic.state set to active");
    expect(r.stdout).toContain("  ~   aws_route53_record.web_os_b_record\n        weighted_routing_policy.weight: 0 -> 100");
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

afterAll(removeTempDirs);
