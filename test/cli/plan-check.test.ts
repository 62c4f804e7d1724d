/**
 * `estate plan-check`: a plan that destroys a compute instance whose host is in service is refused (exit 1), one
 * that destroys only hosts out of service passes (exit 0). AWS cases are real plans: Terraform with the offline
 * hashicorp/aws 5.100.0 mirror plans, from a hand-written prior state and `-refresh=false`, a stack shaped like the
 * synthesized AWS site (instances and target group attachments keyed by host). There is no OpenStack provider binary
 * here, so OpenStack cases are the committed plans of test/fixtures/plan-check (see its README).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPluginMirror, terraformAvailable, terraformEnv, writeCliConfig } from "../support/terraform";
import { PROJECT, estate, removeTempDirs, tempDir } from "./estate";

afterAll(removeTempDirs);

const FIXTURES = join(PROJECT, "test", "fixtures", "plan-check");
const fixture = (name: string) => join(FIXTURES, name);

const HINT =
  "Take these hosts out of service in an apply before this one: `estate rollout` drains a batch (Octavia member weight 0, AWS target group " +
  "attachment removed) in one apply and replaces it in the next. `estate drain <site>` takes a whole site out of DNS but leaves its pool " +
  "members as they are, so they still count as in service here. If losing these hosts' traffic is accepted (a site drained in DNS, say), " +
  "run again with --allow-in-service-replacement '<glob on host names>' (in CI: run the deploy workflow by hand with " +
  "allow_in_service_replacement set to the globs).";

const osInstance = (host: string) => `openstack_compute_instance_v2.web_fleet_instance["${host}"]`;
const osMember = (host: string) => `openstack_lb_member_v2.web_load_balancer_port80_member["${host}"]`;

describe("estate plan-check on OpenStack plans (test/fixtures/plan-check)", () => {
  it("GIVEN a rollout's replace step (the batch's members at weight 0 before) THEN OK, exit 0", () => {
    const r = estate(["plan-check", "--plan", fixture("replace-drained.json")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`plan-check: ${fixture("replace-drained.json")}: OK, 2 instances replaced or destroyed, all out of service\n`);
  });

  it("GIVEN the replacement of hosts whose members weigh 1 THEN exit 1 naming each host, its instance, the member and what to do", () => {
    const r = estate(["plan-check", "--plan", fixture("replace-serving.json")]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        `estate plan-check: ${fixture("replace-serving.json")} would destroy 2 hosts in service:`,
        `  dev-os-a-web-001: ${osInstance("dev-os-a-web-001")} is replaced (destroyed, then created) while ${osMember("dev-os-a-web-001")} has weight 1`,
        `  dev-os-a-web-002: ${osInstance("dev-os-a-web-002")} is replaced (destroyed, then created) while ${osMember("dev-os-a-web-002")} has weight 1`,
        HINT,
        "",
      ].join("\n"),
    );
  });

  it("GIVEN drain and replace in one plan (weight 1 -> 0 beside the replacement) THEN refused: the drain must be applied first", () => {
    const r = estate(["plan-check", "--plan", fixture("drain-and-replace.json")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `  dev-os-a-web-001: ${osInstance("dev-os-a-web-001")} is replaced (destroyed, then created) while ${osMember("dev-os-a-web-001")} has weight 1 ` +
        "(this plan drains it: that drain must be applied, and its connections finish, first)\n",
    );
    expect(r.stderr).not.toContain("dev-os-a-web-002:");
  });

  it("GIVEN a drain step (weights change, no instance does) THEN OK, exit 0", () => {
    const r = estate(["plan-check", "--plan", fixture("drain-only.json")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`plan-check: ${fixture("drain-only.json")}: OK, no compute instance is replaced or destroyed\n`);
  });

  it("GIVEN --allow-in-service-replacement matching one of two serving hosts THEN only that one is let through", () => {
    const r = estate(["plan-check", "--plan", fixture("replace-serving.json"), "--allow-in-service-replacement", "dev-os-a-web-001"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("would destroy 1 host in service:\n");
    expect(r.stderr).toContain("  dev-os-a-web-002: ");
    expect(r.stderr).not.toContain("  dev-os-a-web-001: ");
  });

  it("GIVEN --allow-in-service-replacement globs matching every serving host THEN OK, naming the hosts let through", () => {
    const r = estate(["plan-check", "--plan", fixture("replace-serving.json"), "--allow-in-service-replacement", "dev-os-b-*", "--allow-in-service-replacement", "dev-os-a-web-00[12]"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `plan-check: ${fixture("replace-serving.json")}: OK, 2 instances replaced or destroyed: 0 out of service, 2 in service let through by --allow-in-service-replacement (dev-os-a-web-001, dev-os-a-web-002)\n`,
    );
  });

  it("GIVEN weights marked sensitive, unknown after apply, and a member set down by hand THEN judged on the prior values, an unknown planned weight as serving", () => {
    // web-001: sensitive weight 0 (out) whose planned weight is unknown (it may serve once applied); web-002: weight 1
    // but admin_state_up false (out, and stays out); web-003: sensitive weight 1 (in).
    const r = estate(["plan-check", "--plan", fixture("sensitive-unknown.json")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`would destroy 1 host in service:\n  dev-os-a-web-003: ${osInstance("dev-os-a-web-003")} is replaced (destroyed, then created) while ${osMember("dev-os-a-web-003")} has weight 1\n`);
    expect(r.stderr).toContain(
      `would put 1 host in service in the apply that destroys its instance:\n  dev-os-a-web-001: ${osInstance("dev-os-a-web-001")} is replaced (destroyed, then created) while ${osMember("dev-os-a-web-001")} goes from weight 0 to a weight known only after apply (restore it in an apply after the new instance passed its health check and warm-up gate)\n`,
    );
    expect(r.stderr).not.toContain("dev-os-a-web-002:");
  });

  it("GIVEN drained hosts replaced and restored in one plan (a file two steps ahead of the cloud) THEN refused: the new instances would serve before their warm-up", () => {
    const r = estate(["plan-check", "--plan", fixture("replace-and-restore.json")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `would put 2 hosts in service in the apply that destroys their instances:\n  dev-os-a-web-001: ${osInstance("dev-os-a-web-001")} is replaced (destroyed, then created) while ${osMember("dev-os-a-web-001")} goes from weight 0 to weight 1 (restore it in an apply after the new instance passed its health check and warm-up gate)\n`,
    );
  });

  it("GIVEN --json THEN every destroyed instance with the memberships that show it in service, exit 1 when refused", () => {
    const r = estate(["plan-check", "--plan", fixture("drain-and-replace.json"), "--json"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      plan: fixture("drain-and-replace.json"),
      ok: false,
      instances: [
        {
          host: "dev-os-a-web-001",
          address: osInstance("dev-os-a-web-001"),
          actions: ["delete", "create"],
          inService: [{ address: osMember("dev-os-a-web-001"), type: "openstack_lb_member_v2", weight: 1, actions: ["update"], plannedWeight: 0 }],
          inServiceAfter: [],
          allowed: false,
        },
      ],
    });
  });
});

describe("README, `plan-check`", () => {
  const readme = readFileSync(join(PROJECT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### `plan-check`"), readme.indexOf("### `routes`"));
  const commands = /```sh\n([\s\S]*?)```/.exec(section)![1].trim().split("\n");
  const run = (line: string) => {
    const r = spawnSync("bash", ["-c", line], { cwd: PROJECT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it("GIVEN the example as written THEN OK, refused with the quoted message, let through: exit 0, 1, 0", () => {
    expect(commands).toHaveLength(3);
    const [drained, drainAndReplace, allowed] = commands.map(run);
    expect(drained.status).toBe(0);
    // Prose lines are wrapped: compare with the README's whitespace folded.
    expect(section.replace(/\s+/g, " ")).toContain(`\`${drained.stdout.trim()}\``);
    expect(drainAndReplace.status).toBe(1);
    expect(section).toContain(`\`\`\`\n${drainAndReplace.stderr}\`\`\``);
    expect(allowed.status).toBe(0);
    expect(section.replace(/\s+/g, " ")).toContain(`\`${allowed.stdout.trim().replace("plan-check: test/fixtures/plan-check/replace-serving.json: ", "")}\``);
  });
});

describe("estate plan-check: bad input", () => {
  it("GIVEN a file that is not plan JSON THEN exit 2 naming the file and the command that makes one", () => {
    const bad = join(tempDir("estate-plan-check-"), "state.json");
    writeFileSync(bad, JSON.stringify({ version: 4, resources: [] }));
    const r = estate(["plan-check", "--plan", bad]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`estate plan-check: ${bad} is not a plan in JSON: expected the output of \`terraform show -json <planfile>\``);
  });

  it.each([
    [{ format_version: "1.2", resource_changes: {} }, "resource_changes is not a list"],
    [{ format_version: "1.2", resource_changes: [{ address: "aws_instance.x", mode: "managed", type: "aws_instance" }] }, "resource_changes[0] has no change.actions"],
  ])("GIVEN plan JSON of the wrong shape (%j) THEN exit 2 saying what is wrong, no crash", (plan, what) => {
    const bad = join(tempDir("estate-plan-check-"), "tfplan.json");
    writeFileSync(bad, JSON.stringify(plan));
    const r = estate(["plan-check", "--plan", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`estate plan-check: ${bad} is not a plan in JSON: ${what}; expected the output of \`terraform show -json <planfile>\``);
  });

  it.each([
    [["--plan", "/nonexistent/tfplan.json"], "estate plan-check: cannot read --plan /nonexistent/tfplan.json: ENOENT"],
    [[], "estate: Missing required argument: plan"],
    [["--plan", fixture("drain-only.json"), "--plan", fixture("replace-drained.json")], "estate plan-check: give one --plan: plan-check reads the plan of the one stack about to be applied"],
    [["--plan", fixture("replace-serving.json"), "--allow-in-service-replacement", ""], "estate plan-check: --allow-in-service-replacement takes a glob on host names, got an empty one"],
  ])("GIVEN %j THEN a usage error, exit 2", (args, message) => {
    const r = estate(["plan-check", ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });
});

const terraform = terraformAvailable();
if (!terraform.ok) console.warn(`plan-check: real AWS plans skipped: ${terraform.reason}`);

const AMI_OLD = "ami-0a1b2c3d4e5f60001";
const AMI_NEW = "ami-0a1b2c3d4e5f60002";
const TARGET_GROUP = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/dev-aws-web-80/0123456789abcdef";
const HOSTS = { "dev-aws-web-001": "10.20.1.1", "dev-aws-web-002": "10.20.1.2", "dev-aws-web-003": "10.20.1.3" } as const;
type Host = keyof typeof HOSTS;

/**
 * The web fleet of an AWS site as the stacks synthesize it (constructs/aws/fleet.ts): `aws_instance` and
 * `aws_lb_target_group_attachment` with for_each keyed by host name. Which AMI each host runs and which hosts are
 * registered are variables, so one `terraform init` serves every plan. A sensitive tag shows redaction does not
 * get in the way. The provider block skips every call a plan would make for credentials (-refresh=false skips
 * reading the resources).
 */
const CONFIGURATION = {
  terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
  provider: {
    aws: [{ region: "eu-west-1", access_key: "plan-only", secret_key: "plan-only", skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true }],
  },
  locals: { private_ips: HOSTS },
  variable: {
    amis: { type: "map(string)" },
    registered: { type: "set(string)" },
    owner_token: { type: "string", sensitive: true },
  },
  resource: {
    aws_instance: {
      web_fleet_instances: {
        for_each: "${var.amis}",
        ami: "${each.value}",
        instance_type: "t3.small",
        subnet_id: "subnet-0a1b2c3d4e5f60001",
        vpc_security_group_ids: ["sg-0a1b2c3d4e5f60001"],
        private_ip: "${local.private_ips[each.key]}",
        tags: { Name: "${each.key}", "estate:owner-token": "${var.owner_token}" },
      },
    },
    aws_lb_target_group_attachment: {
      web_fleet_target_group_attachments_80: {
        for_each: "${var.registered}",
        port: 8080,
        target_group_arn: TARGET_GROUP,
        target_id: "${aws_instance.web_fleet_instances[each.key].id}",
      },
    },
  },
};

/** Terraform state (format version 4) of the three hosts on AMI_OLD, with web-001 and web-003 registered. */
function priorState(): unknown {
  const provider = 'provider["registry.terraform.io/hashicorp/aws"]';
  const ids: Record<Host, string> = { "dev-aws-web-001": "i-0000000000000a001", "dev-aws-web-002": "i-0000000000000a002", "dev-aws-web-003": "i-0000000000000a003" };
  const tags = (host: string) => ({ Name: host, "estate:owner-token": "s3cr3t-owner-token" });
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 7,
    lineage: "6f1d2c3b-0000-4000-8000-000000000001",
    outputs: {},
    resources: [
      {
        mode: "managed",
        type: "aws_instance",
        name: "web_fleet_instances",
        provider,
        instances: (Object.keys(HOSTS) as Host[]).map((host) => ({
          index_key: host,
          schema_version: 1,
          sensitive_attributes: [[{ type: "get_attr", value: "tags" }, { type: "index", value: { value: "estate:owner-token", type: "string" } }]],
          attributes: {
            id: ids[host],
            ami: AMI_OLD,
            instance_type: "t3.small",
            subnet_id: "subnet-0a1b2c3d4e5f60001",
            private_ip: HOSTS[host],
            secondary_private_ips: [],
            security_groups: [],
            vpc_security_group_ids: ["sg-0a1b2c3d4e5f60001"],
            ipv6_addresses: [],
            get_password_data: false,
            source_dest_check: true,
            user_data_replace_on_change: false,
            tags: tags(host),
            tags_all: tags(host),
          },
        })),
      },
      {
        mode: "managed",
        type: "aws_lb_target_group_attachment",
        name: "web_fleet_target_group_attachments_80",
        provider,
        instances: (["dev-aws-web-001", "dev-aws-web-003"] as const).map((host) => ({
          index_key: host,
          schema_version: 0,
          attributes: { id: `${TARGET_GROUP}-2026110209150${host.slice(-1)}`, port: 8080, target_group_arn: TARGET_GROUP, target_id: ids[host], availability_zone: null },
        })),
      },
    ],
  };
}

describe.skipIf(!terraform.ok)("estate plan-check on real AWS plans (terraform plan -refresh=false, offline provider mirror)", () => {
  const dir = tempDir("estate-plan-check-aws-");
  const env = terraformEnv({ TF_CLI_CONFIG_FILE: writeCliConfig(dir, findPluginMirror().dir ?? ""), TF_DATA_DIR: join(dir, ".terraform") });
  const tf = (...args: string[]) => {
    const r = spawnSync("terraform", [...args, "-no-color"], { cwd: dir, env, encoding: "utf8", timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout;
  };
  /** Plans the given AMIs and registrations against the prior state; returns the plan JSON file and Terraform's summary line. */
  const plans = new Map<string, { file: string; summary: string }>();
  const plan = (name: string, amis: Partial<Record<Host, string>>, registered: readonly Host[]) => {
    writeFileSync(join(dir, `${name}.tfvars.json`), JSON.stringify({ amis, registered, owner_token: "s3cr3t-owner-token" }));
    const out = tf("plan", "-refresh=false", "-lock=false", "-input=false", `-var-file=${name}.tfvars.json`, `-out=${name}.tfplan`);
    const file = join(dir, `${name}.json`);
    writeFileSync(file, tf("show", "-json", `${name}.tfplan`));
    plans.set(name, { file, summary: /^(Plan: .*|No changes\..*)$/m.exec(out)?.[0] ?? out });
  };
  const all = (ami: string): Record<Host, string> => ({ "dev-aws-web-001": ami, "dev-aws-web-002": ami, "dev-aws-web-003": ami });

  beforeAll(() => {
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(CONFIGURATION));
    writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(priorState()));
    tf("init", "-input=false");
    plan("unchanged", all(AMI_OLD), ["dev-aws-web-001", "dev-aws-web-003"]);
    plan("replace-deregistered", { ...all(AMI_OLD), "dev-aws-web-002": AMI_NEW }, ["dev-aws-web-001", "dev-aws-web-003"]);
    plan("replace-registered", { ...all(AMI_OLD), "dev-aws-web-001": AMI_NEW }, ["dev-aws-web-001", "dev-aws-web-003"]);
    plan("deregister-and-replace", { ...all(AMI_OLD), "dev-aws-web-001": AMI_NEW }, ["dev-aws-web-003"]);
    plan("destroy-registered", { "dev-aws-web-001": AMI_OLD, "dev-aws-web-002": AMI_OLD }, ["dev-aws-web-001"]);
  });

  const check = (name: string, ...args: string[]) => estate(["plan-check", "--plan", plans.get(name)!.file, ...args]);
  const instance = (host: string) => `aws_instance.web_fleet_instances["${host}"]`;
  const attachment = (host: string) => `aws_lb_target_group_attachment.web_fleet_target_group_attachments_80["${host}"]`;

  it("GIVEN the configuration the state was written from THEN Terraform plans no change and plan-check passes", () => {
    expect(plans.get("unchanged")!.summary).toBe("No changes. Your infrastructure matches the configuration.");
    const r = check("unchanged");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`plan-check: ${plans.get("unchanged")!.file}: OK, no compute instance is replaced or destroyed\n`);
  });

  it("GIVEN a new AMI for a host whose attachment is already gone THEN Terraform replaces it and plan-check passes", () => {
    expect(plans.get("replace-deregistered")!.summary).toBe("Plan: 1 to add, 0 to change, 1 to destroy.");
    // What plan-check relies on: unchanged attachments are listed too, with their prior state.
    const listed = (JSON.parse(readFileSync(plans.get("replace-deregistered")!.file, "utf8")) as { resource_changes: { address: string; change: { actions: string[]; before: unknown } }[] }).resource_changes;
    expect(listed.filter((rc) => rc.address.startsWith("aws_lb_target_group_attachment.")).map((rc) => [rc.address, rc.change.actions, rc.change.before !== null])).toEqual([
      [attachment("dev-aws-web-001"), ["no-op"], true],
      [attachment("dev-aws-web-003"), ["no-op"], true],
    ]);
    const r = check("replace-deregistered");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("OK, 1 instance replaced or destroyed, all out of service\n");
  });

  it("GIVEN a new AMI for a registered host THEN refused, naming the attachment (Terraform replaces it too)", () => {
    expect(plans.get("replace-registered")!.summary).toBe("Plan: 2 to add, 0 to change, 2 to destroy.");
    const r = check("replace-registered");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `would destroy 1 host in service:\n  dev-aws-web-001: ${instance("dev-aws-web-001")} is replaced (destroyed, then created) while ${attachment("dev-aws-web-001")} registers it\n${HINT}\n`,
    );
    expect(r.stderr).not.toContain("s3cr3t");
  });

  it("GIVEN deregistration and replacement in one plan THEN refused: the deregistration must be applied first", () => {
    expect(plans.get("deregister-and-replace")!.summary).toBe("Plan: 1 to add, 0 to change, 2 to destroy.");
    const r = check("deregister-and-replace");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `  dev-aws-web-001: ${instance("dev-aws-web-001")} is replaced (destroyed, then created) while ${attachment("dev-aws-web-001")} registers it ` +
        "(this plan removes it: that drain must be applied, and its connections finish, first)\n",
    );
  });

  it("GIVEN a registered host removed from the configuration THEN refused: its instance is destroyed while registered", () => {
    expect(plans.get("destroy-registered")!.summary).toBe("Plan: 0 to add, 0 to change, 2 to destroy.");
    const r = check("destroy-registered");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`would destroy 1 host in service:\n  dev-aws-web-003: ${instance("dev-aws-web-003")} is destroyed while ${attachment("dev-aws-web-003")} registers it`);
  });

  it("GIVEN --allow-in-service-replacement for the registered host THEN it is let through", () => {
    const r = check("replace-registered", "--allow-in-service-replacement", "dev-aws-web-001");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("OK, 1 instance replaced or destroyed: 0 out of service, 1 in service let through by --allow-in-service-replacement (dev-aws-web-001)\n");
  });

  it("GIVEN --json on a real plan THEN the attachment with Terraform's actions, and no sensitive value", () => {
    const r = check("replace-registered", "--json");
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain("s3cr3t");
    expect(JSON.parse(r.stdout).instances).toEqual([
      {
        host: "dev-aws-web-001",
        address: instance("dev-aws-web-001"),
        actions: ["delete", "create"],
        inService: [{ address: attachment("dev-aws-web-001"), type: "aws_lb_target_group_attachment", actions: ["delete", "create"] }],
        inServiceAfter: [],
        allowed: false,
      },
    ]);
  });
});
