import { spawnSync } from "node:child_process";
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { loadEnvironment, type EstateModel } from "../../model";
import { abortRollout, nextRolloutStep, rollbackRollout, startRollout, type RolloutChangeReport } from "../../cli/lib/rollout";
import { dirname, join } from "node:path";
import { parseDocument, type YAMLSeq } from "yaml";
import { devCopy, estate, removeTempDirs, tempDir } from "./estate";

afterAll(() => removeTempDirs());

/** The managed changes of a step: `<stack> <action> <address>`, data sources and locals left out. */
function managedChanges(report: RolloutChangeReport): string[] {
  return report.diff.stacks.flatMap((s) => s.changes.filter((c) => c.mode === "managed").map((c) => `${s.name} ${c.action} ${c.address}`)).sort();
}

/** Per host of the model: version and whether it is in service. */
function hostStates(model: EstateModel): Map<string, { version: string; inService: boolean }> {
  return new Map(model.hosts.map((h) => [h.name, { version: h.imageVersion, inService: h.inService !== false }]));
}

// The dev estate runs debian12 on web (3 per site, peak 6 of 12) and api (2 per site, peak 4 of 8) in os-a, os-b,
// os-c and aws. Batch 2, sites in file order: each site's five hosts in three batches.
const BATCHES = ["os-a", "os-b", "os-c", "aws"].flatMap((site) => [
  [`dev-${site}-web-001`, `dev-${site}-web-002`],
  [`dev-${site}-web-003`, `dev-${site}-api-001`],
  [`dev-${site}-api-002`],
]);

/** What a step must change, literally, for a batch of hosts: OpenStack member weights, AWS attachments, instances. */
function expectedChanges(phase: "drain" | "replace" | "restore", hosts: readonly string[]): string[] {
  return hosts
    .map((host) => {
      const [, site, service] = /^dev-(os-a|os-b|os-c|aws)-(web|api)-\d+$/.exec(host)!;
      const stack = `dev-${site}`;
      const port = service === "web" ? 80 : 5432;
      if (phase === "replace") {
        return site === "aws"
          ? `${stack} replace aws_instance.${service}_fleet_instances["${host}"]`
          : `${stack} replace openstack_compute_instance_v2.${service}_fleet_instance["${host}"]`;
      }
      if (site === "aws") return `${stack} ${phase === "drain" ? "delete" : "create"} aws_lb_target_group_attachment.${service}_fleet_target_group_attachments_${port}["${host}"]`;
      return `${stack} update openstack_lb_member_v2.${service}_load_balancer_port${port}_member["${host}"]`;
    })
    .sort();
}

describe("estate rollout: debian12 over every site of dev, batch 2", () => {
  it("GIVEN a started rollout WHEN every step is taken THEN each diff moves exactly its batch and no step replaces a host in service", () => {
    const env = devCopy();
    const start = startRollout({ env, version: "2026.12.1", batch: 2 });
    expect(start.after).toMatchObject({ step: 0, steps: 36, direction: "forward" });
    expect(managedChanges(start)).toEqual([]);
    let previous = hostStates(loadEnvironment(env));
    const seen: string[][] = [];
    for (let step = 1; step <= 36; step++) {
      const report = nextRolloutStep({ env });
      const phase = (["drain", "replace", "restore"] as const)[(step - 1) % 3];
      const batch = BATCHES[Math.floor((step - 1) / 3)];
      expect(report.after?.batch?.hosts).toEqual(batch);
      expect(managedChanges(report)).toEqual(expectedChanges(phase, batch));
      expect(phase === "drain" ? report.drained : phase === "replace" ? report.replaced : report.restored).toEqual(batch);

      const now = hostStates(loadEnvironment(env));
      for (const [host, state] of now) {
        const before = previous.get(host)!;
        // The invariant: a host's instance is only replaced while out of service, before and after the apply.
        if (before.version !== state.version) expect({ host, inServiceBefore: before.inService, inServiceAfter: state.inService }).toEqual({ host, inServiceBefore: false, inServiceAfter: false });
      }
      for (const site of ["os-a", "os-b", "os-c", "aws"]) {
        expect([...now].filter(([h, s]) => h.startsWith(`dev-${site}-`) && !s.inService).length).toBeLessThanOrEqual(2);
      }
      seen.push([...now].filter(([, s]) => !s.inService).map(([h]) => h));
      previous = now;
    }
    expect(seen.filter((out) => out.length > 0)).toHaveLength(24);
    // Every host runs the new version, in service.
    expect([...previous.values()].every((s) => s.version === "2026.12.1" && s.inService)).toBe(true);

    const finish = nextRolloutStep({ env });
    expect(finish.action).toBe("finish");
    expect(managedChanges(finish)).toEqual([]);
    const text = readFileSync(env, "utf8");
    expect(text).toContain('    version: "2026.12.1"\n');
    expect(text).toContain("      os-b: { name: debian12-golden-2026.12.1 }\n");
    expect(text).toContain('    aws: { amiName: debian12-golden-2026.12.1, owner: "123456789012" }\n');
    expect(text).not.toContain("rollout:");
  }, 600_000);

  it("GIVEN a batch drained and replaced WHEN aborted, then rolled back THEN every host serves, then the replaced hosts go back drained first", () => {
    const env = devCopy();
    startRollout({ env, version: "2026.12.1", batch: 2 });
    for (let i = 0; i < 5; i++) nextRolloutStep({ env }); // step 5: os-a batch 2 replaced, out of service
    const abort = abortRollout({ env });
    expect(abort.restored).toEqual(["dev-os-a-web-003", "dev-os-a-api-001"]);
    expect(managedChanges(abort)).toEqual(expectedChanges("restore", ["dev-os-a-web-003", "dev-os-a-api-001"]));
    expect([...hostStates(loadEnvironment(env)).values()].every((s) => s.inService)).toBe(true);

    const rollback = rollbackRollout({ env });
    expect(rollback.action).toBe("rollback");
    expect(rollback.replaced).toEqual([]);
    expect(managedChanges(rollback)).toEqual(expectedChanges("drain", ["dev-os-a-web-003", "dev-os-a-api-001"]));
    const replaced = nextRolloutStep({ env });
    expect(replaced.replaced).toEqual(["dev-os-a-web-003", "dev-os-a-api-001"]);
    expect(managedChanges(replaced)).toEqual(expectedChanges("replace", ["dev-os-a-web-003", "dev-os-a-api-001"]));
    const states = hostStates(loadEnvironment(env));
    expect(states.get("dev-os-a-web-003")).toEqual({ version: "2026.11.1", inService: false });
    expect(states.get("dev-os-a-web-001")).toEqual({ version: "2026.12.1", inService: true });
    for (let i = 0; i < 4; i++) nextRolloutStep({ env }); // restore batch 2, then drain, replace, restore batch 1
    const done = nextRolloutStep({ env });
    expect(done.action).toBe("cancel");
    expect(readFileSync(env, "utf8")).toBe(readFileSync(devCopy(), "utf8"));
  }, 300_000);
});

describe("estate rollout (the command)", () => {
  let env: string;
  let original: string;
  beforeAll(() => {
    env = devCopy();
    original = readFileSync(env, "utf8");
  });

  it("GIVEN no rollout WHEN started THEN the file gains only the rollout block, comments kept, and the plan only reads the new image", () => {
    const r = estate(["rollout", "start", "--env", env, "--to", "2026.12.1", "--batch", "2"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const after = readFileSync(env, "utf8");
    const block = [
      "    rollout:",
      "      version: 2026.12.1",
      "      openstack:",
      "        os-a: { name: debian12-golden-2026.12.1 }",
      "        os-b: { name: debian12-golden-2026.12.1 }",
      "        os-c: { name: debian12-golden-2026.12.1 }",
      '      aws: { amiName: debian12-golden-2026.12.1, owner: "123456789012" }',
      "      batch: 2",
      "      order: [ os-a, os-b, os-c, aws ]",
      "      step: 0",
      // 20 hosts; the digest is sha256 of the text below (README), computed with the shell:
      // { printf 'version 2026.12.1\nbatch 2\n'; printf '%s {"name":"debian12-golden-2026.12.1"}\n' os-a os-b os-c;
      //   printf 'aws {"amiName":"debian12-golden-2026.12.1","owner":"123456789012"}\n';
      //   for s in os-a os-b os-c aws; do for h in web-001 web-002 web-003 api-001 api-002; do echo "dev-$s-$h"; done; done;
      // } | head -c -1 | sha256sum | cut -c1-16
      "      hosts: { count: 20, digest: 77fff3647d70b7b7 }",
      "",
    ].join("\n");
    const at = original.indexOf("\nservices:") ;
    expect(after).toBe(`${original.slice(0, at).replace(/\n*$/, "\n")}${block}${original.slice(original.slice(0, at).replace(/\n*$/, "").length + 1)}`);
    expect(r.stdout).toContain("after:  step 0 of 36: started, every host serving");
    expect(r.stdout).toContain("dev-os-a: 0 to add, 0 to change, 0 to destroy; 2 data sources read");
  });

  it("GIVEN step 0 WHEN next THEN os-a's first two web members go to weight 0 and nothing else changes", () => {
    const r = estate(["rollout", "next", "--env", env]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("after:  step 1 of 36: drain os-a batch 1 (dev-os-a-web-001, dev-os-a-web-002)");
    expect(r.stdout).toContain("1 stack changed, 0 unchanged.");
    expect(r.stdout).toContain(
      ["dev-os-a: 0 to add, 2 to change, 0 to destroy", "  ~   openstack_lb_member_v2.web_load_balancer_port80_member on 2 instances", "        weight: 1 -> 0"].join("\n"),
    );
    expect(r.stdout).toContain(["  SERVICE  OUT  SERVING  PEAK  MARGIN  ONE MORE SITE LOST", "  web        2       10     6       4  7 without os-b", "  api        0        8     4       4  6 without os-a"].join("\n"));
  });

  it("WHEN status THEN hosts per version per site and service, and the hosts out of service", () => {
    const r = estate(["rollout", "status", "--env", env]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("debian12 2026.11.1 -> 2026.12.1, step 1 of 36: drain os-a batch 1 (dev-os-a-web-001, dev-os-a-web-002)");
    expect(r.stdout).toContain("  os-a  web              3          0  dev-os-a-web-001, dev-os-a-web-002\n");
    expect(r.stdout).toContain("  aws   api              2          0  -\n");
    const json = JSON.parse(estate(["rollout", "status", "--env", env, "--json"]).stdout);
    expect(json.sites[0]).toEqual({ site: "os-a", service: "web", versions: { "2026.11.1": 3 }, outOfService: ["dev-os-a-web-001", "dev-os-a-web-002"] });
  });

  it("refuses options of start on other actions, and start without --to (usage, exit 2)", () => {
    const before = readFileSync(env, "utf8");
    const r = estate(["rollout", "next", "--env", env, "--batch", "3"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--to, --batch, --order, --ref and --ami are options of estate rollout start, not of next");
    const fresh = devCopy();
    const noTo = estate(["rollout", "start", "--env", fresh, "--batch", "2"]);
    expect(noTo.status).toBe(2);
    expect(noTo.stderr).toContain("estate rollout start needs --to <version> and --batch <hosts>");
    expect(readFileSync(env, "utf8")).toBe(before);
  });

  it("refuses a batch that takes a service below peak capacity (exit 1, file unchanged)", () => {
    const tight = devCopy();
    writeFileSync(tight, readFileSync(tight, "utf8").replace("peakInstances: 6", "peakInstances: 11"));
    const before = readFileSync(tight, "utf8");
    const r = estate(["rollout", "start", "--env", tight, "--to", "2026.12.1", "--batch", "2"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("refusing to start the rollout of debian12: its step 1: the serving sites would run fewer instances than peak capacity (EST-AVL-002)");
    expect(r.stderr).toContain("  web: peakInstances is 11; 2 out of service leaves 10, 1 short");
    expect(readFileSync(tight, "utf8")).toBe(before);
    expect(estate(["rollout", "start", "--env", tight, "--to", "2026.12.1", "--batch", "1"]).status).toBe(0);
  });

  it("reports a bad rollout in the file at its line, with what to write", () => {
    const withRollout = (body: string) => {
      const file = devCopy();
      const anchor = '    aws: { amiName: debian12-golden-2026.11.1, owner: "123456789012" }\n';
      writeFileSync(file, readFileSync(file, "utf8").replace(anchor, `${anchor}    rollout:\n${body}`));
      return file;
    };
    const shape = estate(["rollout", "status", "--env", withRollout("      version: 2026.12.1\n      batch: 0\n      order: [os-a]\n      step: 0\n")]);
    expect(shape.status).toBe(1);
    expect(shape.stderr).toMatch(/dev\.yaml:80:7: images\[0\]\.rollout\.batch: batch must be 1 or more; got the number 0/);
    const whole = estate([
      "rollout",
      "status",
      "--env",
      withRollout("      version: 2026.12.1\n      openstack: { os-a: { name: x } }\n      batch: 2\n      order: [os-a, os-d]\n      step: 0\n"),
    ]);
    expect(whole.status).toBe(1);
    expect(whole.stderr).toMatch(/dev\.yaml:82:21: images\[0\]\.rollout\.order\[1\]: no site "os-d" in this environment \(sites: os-a, os-b, os-c, aws\)/);
    expect(whole.stderr).toContain("images[0].rollout.order: order leaves out os-b, os-c, aws, which run image \"debian12\"; list every such site (e.g. [os-a, os-b, os-c, aws])");
    expect(whole.stderr).toContain("images[0].rollout.openstack: site \"os-b\" runs image \"debian12\": give the new version's reference as openstack.os-b: {name: ...} or {id: ...}");
  });

  it("GIVEN a rollout under way WHEN hosts running the image are added or reordered, or its plan is edited THEN every command refuses at rollout.hosts", () => {
    const file = devCopy();
    expect(estate(["rollout", "start", "--env", file, "--to", "2026.12.1", "--batch", "2"]).status).toBe(0);
    for (let i = 0; i < 4; i++) expect(estate(["rollout", "next", "--env", file]).status).toBe(0);
    const started = readFileSync(file, "utf8");
    // One more web host per site: os-a's batch 2 would become web-003 + web-004, and api-001 (replaced at step 5)
    // would fall into batch 3.
    writeFileSync(file, started.replace("instancesPerSite: 3", "instancesPerSite: 4"));
    for (const args of [["validate"], ["synth", "--out", join(tempDir(), "out")], ["rollout", "next"], ["rollout", "rollback"]]) {
      const r = estate([...args, "--env", file]);
      expect(r.status, args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(
        /dev\.yaml:\d+:7: images\[0\]\.rollout\.hosts: the hosts that run image "debian12" or the rollout's plan changed since it started \(20 hosts then, 24 now\): the rollout's batches would move, and a host already replaced could be drained and replaced again in one apply, or replaced while it serves\. Undo that change, and make it once the rollout is finished \(estate rollout next to its end\) or rolled back \(estate rollout rollback\)/,
      );
    }
    // The same hosts in another order: api before web.
    const doc = parseDocument(started);
    const services = doc.get("services") as YAMLSeq;
    services.items.reverse();
    writeFileSync(file, doc.toString());
    const edited = "changed since it started (the same number of hosts: renamed or reordered hosts, or an edited batch, version or reference)";
    expect(estate(["validate", "--env", file]).stderr).toContain(edited);
    // The rollout's own plan edited by hand: its batch, or the reference of a site.
    for (const [from, to] of [
      ["      batch: 2\n", "      batch: 3\n"],
      ["        os-a: { name: debian12-golden-2026.12.1 }\n", "        os-a: { name: debian12-golden-2026.12.2 }\n"],
    ]) {
      writeFileSync(file, started.replace(from, to));
      const r = estate(["validate", "--env", file]);
      expect(r.status, to).toBe(1);
      expect(r.stderr).toContain(edited);
    }
    // Deleting the record does not switch the check off.
    writeFileSync(file, started.replace(/^ {6}hosts: .*\n/m, ""));
    const missing = estate(["validate", "--env", file]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("images[0].rollout: hosts is missing: estate rollout start records it");
    writeFileSync(file, started);
    expect(estate(["validate", "--env", file]).status).toBe(0);
  });

  it("GIVEN an image without a rollout named with --image THEN every moving command says so (exit 2), nothing crashes", () => {
    const file = devCopy();
    for (const action of ["next", "status", "abort", "rollback"]) {
      const r = estate(["rollout", action, "--env", file, "--image", "debian12"]);
      expect(r.status, action).toBe(2);
      expect(r.stderr).toContain(`image "debian12" has no rollout in progress in ${file}; start one with estate rollout start`);
    }
  });

  it("GIVEN an aborted rollout WHEN started with other options THEN it refuses to drop them silently (exit 2, file unchanged)", () => {
    const file = devCopy();
    expect(estate(["rollout", "start", "--env", file, "--to", "2026.12.1", "--batch", "2"]).status).toBe(0);
    expect(estate(["rollout", "next", "--env", file]).status).toBe(0);
    expect(estate(["rollout", "abort", "--env", file]).status).toBe(0);
    const before = readFileSync(file, "utf8");
    const r = estate(["rollout", "start", "--env", file, "--to", "2027.01.1", "--batch", "5"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "the rollout of debian12 to 2026.12.1 was aborted at step 1; start resumes it as it was, so --to 2027.01.1 (the rollout is to 2026.12.1), --batch 5 (its batch is 2) cannot apply. Resume with --to 2026.12.1 --batch 2, or roll it back (estate rollout rollback) and start a new one",
    );
    expect(readFileSync(file, "utf8")).toBe(before);
    // Plain start resumes it, as the README says.
    expect(estate(["rollout", "start", "--env", file]).stdout).toContain("rollout of debian12: resume");
  });

  it("GIVEN an unquoted version and a new version that reads as a number WHEN finished THEN it is written quoted, still a string", () => {
    const file = devCopy();
    writeFileSync(file, readFileSync(file, "utf8").replace('    version: "2026.11.1"\n', "    version: 2026.11.1\n"));
    expect(estate(["rollout", "start", "--env", file, "--to", "2027.1", "--batch", "2"]).status).toBe(0);
    // To the last step at once (the walk itself is tested above).
    writeFileSync(file, readFileSync(file, "utf8").replace("      step: 0\n", "      step: 36\n"));
    const done = estate(["rollout", "next", "--env", file]);
    expect(done.stderr).toBe("");
    expect(done.status).toBe(0);
    expect(readFileSync(file, "utf8")).toContain('    version: "2027.1"\n');
    expect(estate(["validate", "--env", file]).status).toBe(0);
  });

  it("GIVEN a batch that would take every web host of a serving site out THEN start refuses (exit 1, file unchanged)", () => {
    const file = devCopy();
    const before = readFileSync(file, "utf8");
    const r = estate(["rollout", "start", "--env", file, "--to", "2026.12.1", "--batch", "3"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`refusing to start the rollout of debian12: the environment would not be valid; ${file} is unchanged`);
    expect(r.stderr).toMatch(
      /dev\.yaml:\d+:7: images\[0\]\.rollout\.step: at step 1, all 3 web hosts of os-a are out of service while os-a takes traffic \(Route 53 weight 100\): its listener would have no member for the site's share of requests\. Use a batch smaller than the fewest hosts a service has in a site \(here 3\), or drain the site first \(estate drain os-a\)/,
    );
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("GIVEN os-a drained for a batch that empties its web pool WHEN os-a is restored mid-batch THEN restore refuses (the check is the file's, at every load)", () => {
    const file = devCopy();
    // The other sites carry one more web and api host, so a batch of 3 empties only os-a's web pool.
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace("    instancesPerSite: 3\n", "    instancesPerSite: 3\n    instancesBySite: { os-b: 4, os-c: 4, aws: 4 }\n")
        .replace("    instancesPerSite: 2\n", "    instancesPerSite: 2\n    instancesBySite: { os-b: 3, os-c: 3, aws: 3 }\n"),
    );
    expect(estate(["drain", "os-a", "--env", file]).status).toBe(0);
    expect(estate(["rollout", "start", "--env", file, "--to", "2026.12.1", "--batch", "3"]).status).toBe(0);
    expect(estate(["rollout", "next", "--env", file]).status).toBe(0);
    const before = readFileSync(file, "utf8");
    const r = estate(["restore", "os-a", "--env", file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("images[0].rollout.step: at step 1, all 3 web hosts of os-a are out of service while os-a takes traffic (Route 53 weight 100)");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("GIVEN a rollout of one image under way WHEN another image's rollout is started THEN it refuses: one rollout at a time", () => {
    const file = devCopy();
    // api moves to a second image, debian13.
    const second = [
      "  - name: debian13",
      '    version: "2026.11.1"',
      "    openstack:",
      ...["os-a", "os-b", "os-c"].map((s) => `      ${s}: { name: debian13-golden-2026.11.1 }`),
      '    aws: { amiName: debian13-golden-2026.11.1, owner: "123456789012" }',
      "",
    ].join("\n");
    const text = readFileSync(file, "utf8").replace("\nservices:\n", `${second}\nservices:\n`);
    const doc = parseDocument(text);
    const services = doc.get("services") as YAMLSeq<{ get(k: string): unknown; set(k: string, v: unknown): void }>;
    services.items.find((s) => s.get("name") === "api")!.set("image", "debian13");
    writeFileSync(file, doc.toString());
    expect(estate(["validate", "--env", file]).status).toBe(0);
    expect(estate(["rollout", "start", "--env", file, "--image", "debian12", "--to", "2026.12.1", "--batch", "2"]).status).toBe(0);
    const before = readFileSync(file, "utf8");
    const r = estate(["rollout", "start", "--env", file, "--image", "debian13", "--to", "2026.12.1", "--batch", "1"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/images\[1\]\.rollout: image "debian12" has a rollout in progress already; one rollout at a time: finish it or roll it back, then start this one/);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it.skipIf(spawnSync("sh", ["-c", "command -v ansible-inventory"]).status !== 0)(
    "GIVEN batch 1 replaced and restored THEN Ansible sees the new image for its hosts and the old one for the rest (rebuilds keep each host on its version)",
    () => {
      const file = devCopy();
      expect(estate(["rollout", "start", "--env", file, "--to", "2026.12.1", "--batch", "2"]).status).toBe(0);
      writeFileSync(file, readFileSync(file, "utf8").replace("      step: 0\n", "      step: 3\n"));
      const out = join(tempDir(), "out");
      expect(estate(["synth", "--env", file, "--out", out]).status).toBe(0);
      const image = (host: string) => {
        const r = spawnSync("ansible-inventory", ["-i", join(out, "ansible", "dev", "inventory.yml"), "--host", host], { encoding: "utf8" });
        return (JSON.parse(r.stdout) as { estate_openstack_image: string }).estate_openstack_image;
      };
      expect(image("dev-os-a-web-001")).toBe("debian12-golden-2026.12.1");
      expect(image("dev-os-a-web-002")).toBe("debian12-golden-2026.12.1");
      expect(image("dev-os-a-web-003")).toBe("debian12-golden-2026.11.1");
    },
  );

  it("GIVEN the environment file behind a symlink, mode 0600 WHEN rollout and drain edit it THEN the link stays a link and the file keeps its mode", () => {
    const real = devCopy();
    chmodSync(real, 0o600);
    const link = join(tempDir(), "dev.yaml");
    symlinkSync(real, link);
    expect(estate(["rollout", "start", "--env", link, "--to", "2026.12.1", "--batch", "2"]).status).toBe(0);
    expect(estate(["drain", "os-c", "--env", link]).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync(real).mode & 0o777).toBe(0o600);
    const text = readFileSync(real, "utf8");
    expect(text).toContain("      step: 0\n");
    expect(text).toMatch(/name: os-c[\s\S]*?traffic: \{ state: drained/);
    expect(readdirSync(dirname(real)).filter((f) => f.endsWith(".estate-tmp"))).toEqual([]);
  });

  it.each([
    [["--batch", "abc"], '--batch must be a whole number of hosts, 1 or more; got "abc"'],
    [["--batch", ""], '--batch must be a whole number of hosts, 1 or more; got ""'],
    [["--batch", "2.5"], '--batch must be a whole number of hosts, 1 or more; got "2.5"'],
    [["--batch", "2", "--ami", ""], '--ami must be an AMI id (ami- and 8 or 17 hex digits, e.g. ami-0123456789abcdef0); got ""'],
    [["--batch", "2", "--ref", "os-a=golden-a", "--ref", "os-a=golden-b"], "--ref names os-a twice (golden-a and golden-b); give each site once"],
  ])("GIVEN start %j THEN a usage error saying what was typed (exit 2, file unchanged)", (args, message) => {
    const file = devCopy();
    const before = readFileSync(file, "utf8");
    const r = estate(["rollout", "start", "--env", file, "--to", "2026.12.1", ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("GIVEN --ref with a Glance id that is UUID-like but not version 4 THEN it is taken as an id (Glance accepts any UUID-like id)", () => {
    const file = devCopy();
    const r = estate(["rollout", "start", "--env", file, "--to", "2026.12.1", "--batch", "2", "--ref", "os-a=7f0a1c53-2b4e-1c1a-0d2f-8e7b5a4c3d21"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("        os-a: { id: 7f0a1c53-2b4e-1c1a-0d2f-8e7b5a4c3d21 }\n");
  });

  it("GIVEN a file with CRLF line ends WHEN started and moved THEN the rollout block has CRLF line ends too", () => {
    const file = devCopy();
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n/g, "\r\n"));
    expect(estate(["rollout", "start", "--env", file, "--to", "2026.12.1", "--batch", "2"]).status).toBe(0);
    expect(estate(["rollout", "next", "--env", file]).status).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("      step: 1\r\n");
    expect(text.split("\n").slice(0, -1).filter((line) => !line.endsWith("\r"))).toEqual([]);
  });
});
