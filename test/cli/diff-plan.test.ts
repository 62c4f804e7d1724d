import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { planStack } from "../../cli/lib/diff/plan";
import { renderText } from "../../cli/lib/diff/render";
import { terraformEnv } from "../support/terraform";
import { estate, removeTempDirs, tempDir } from "./estate";

const hasTerraform = spawnSync("terraform", ["version"], { env: terraformEnv(), timeout: 30_000 }).status === 0;

/**
 * A configuration Terraform can apply and plan with no provider and no credentials: `terraform_data` (built into
 * Terraform) holding a list, a sensitive variable and a replacement trigger.
 */
function configuration(version: 1 | 2): unknown {
  const cidrs = version === 1 ? ["10.0.0.0/8", "15.177.0.0/18", "54.228.16.0/26"] : ["10.0.0.0/8", "15.177.0.0/18", "203.0.113.0/24", "54.228.16.0/26"];
  return {
    variable: { db_password: { type: "string", sensitive: true } },
    resource: {
      terraform_data: {
        listener: { input: { allowed_cidrs: cidrs, port: 5432 } },
        secret: { triggers_replace: "${var.db_password}" },
        host: { triggers_replace: [version === 1 ? "debian12-2026.11.1" : "debian12-2026.12.1"], input: "web-001" },
        ...(version === 1 ? { old: { input: "gone" } } : { new: { input: { port: 8443 } } }),
      },
    },
    output: { password: { value: "${var.db_password}", sensitive: true } },
  };
}

/**
 * `estate diff --plan`: GIVEN a real plan (apply version 1, change it, `terraform plan -lock=false`, `terraform show
 * -json`), THEN the review renders it with the same layout, element by element, with sensitive values redacted.
 */
describe.skipIf(!hasTerraform)("estate diff --plan <terraform show -json output>", () => {
  const dir = tempDir("estate-plan-");
  const plan = join(dir, "demo.json");
  const env = terraformEnv({ TF_DATA_DIR: join(dir, ".terraform") });
  const tf = (...args: string[]) => {
    const r = spawnSync("terraform", [...args, "-no-color"], { cwd: dir, env, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout;
  };

  beforeAll(() => {
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(configuration(1)));
    tf("init", "-input=false");
    tf("apply", "-auto-approve", "-input=false", "-var", "db_password=hunter2");
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(configuration(2)));
    expect(tf("plan", "-lock=false", "-input=false", "-var", "db_password=hunter3", "-out", "plan.bin")).toContain("Plan: 3 to add, 1 to change, 3 to destroy.");
    writeFileSync(plan, tf("show", "-json", "plan.bin"));
  });

  const render = (...args: string[]) => {
    const r = estate(["diff", "--plan", plan, ...args]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout;
  };

  it("THEN text counts as terraform plan does and shows the list change element by element", () => {
    const text = render();
    expect(text).toContain("demo: 3 to add, 1 to change, 3 to destroy (2 replaced)\n");
    expect(text).toContain(
      [
        "  ~   terraform_data.listener",
        "        ~ input.allowed_cidrs = [",
        "              # (1 unchanged element hidden)",
        '              "15.177.0.0/18",',
        '            + "203.0.113.0/24",',
        '              "54.228.16.0/26",',
        "          ]",
        '        output: {"allowed_cidrs":["10.0.0.0/8","15.177.0.0/18","54.228.16.0/26"],"port":5432} ->',
        // Wrapped: text output stays within 100 columns.
        "            (known after apply)",
      ].join("\n"),
    );
    expect(text).toContain("  -   terraform_data.old\n");
    expect(text).toContain("  +   terraform_data.new\n");
    expect(text).toContain("        triggers_replace: (sensitive value) -> (sensitive value)  # forces replacement\n");
  });

  it("THEN markdown has the summary, the replacements, the redacted values and the outputs", () => {
    const md = render("--format", "markdown");
    expect(md).toContain("| `demo` | 3 | 1 | **3** | **2** | 0 |");
    expect(md).toContain("> - `demo`: `terraform_data.host` (forced by `triggers_replace`)");
    expect(md).toContain("> - `demo`: `terraform_data.secret` (forced by `triggers_replace`)");
    expect(md).toContain("  | `input.allowed_cidrs` |  | + `203.0.113.0/24`<br>(3 unchanged) |");
    expect(md).toContain("`triggers_replace` `(sensitive value)` → `(sensitive value)` ⚠️ forces replacement");
    expect(md).toContain("- `output.password`: `value` `(sensitive value)` → `(sensitive value)`");
  });

  it("THEN no sensitive value appears in any format", () => {
    for (const format of ["text", "markdown", "json"]) {
      const out = render("--format", format);
      expect(out).not.toContain("hunter2");
      expect(out).not.toContain("hunter3");
    }
  });

  it("GIVEN a file that is not plan JSON THEN exit 2 naming the file and the command that makes one", () => {
    const bad = join(dir, "state.json");
    writeFileSync(bad, JSON.stringify({ version: 4, resources: [] }));
    const r = estate(["diff", "--plan", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad} is not a plan in JSON: expected the output of \`terraform show -json <planfile>\``);
  });
});

afterAll(removeTempDirs);

/**
 * Actions the terraform_data plan above cannot produce without a cloud: an `import` block and a `removed` block with
 * `destroy = false`, written in Terraform's JSON plan format (internals/json-format: `change.importing`, action
 * `forget`).
 */
describe("a plan that imports and forgets", () => {
  const plan = {
    format_version: "1.2",
    resource_changes: [
      {
        address: "aws_eip.vip",
        mode: "managed",
        type: "aws_eip",
        change: { actions: ["no-op"], before: { id: "eipalloc-1" }, after: { id: "eipalloc-1" }, after_unknown: {}, before_sensitive: {}, after_sensitive: {}, importing: { id: "eipalloc-1" } },
      },
      {
        address: 'aws_instance.web["dev-aws-web-001"]',
        mode: "managed",
        type: "aws_instance",
        index: "dev-aws-web-001",
        change: { actions: ["forget"], before: { id: "i-1" }, after: null, after_unknown: {}, before_sensitive: {}, after_sensitive: false },
      },
    ],
  };

  it("THEN counted as terraform plan counts them and named in the text", () => {
    const stack = planStack("dev-aws", plan as Parameters<typeof planStack>[1]);
    const text = renderText({ base: "prior state", head: "dev-aws.json", stacks: [stack], files: [], security: [], notes: [] });
    expect(text).toContain("dev-aws: 1 to import, 0 to add, 0 to change, 0 to destroy, 1 to forget\n");
    expect(text).toContain("  <-  aws_eip.vip (import)\n");
    expect(text).toContain('  .   aws_instance.web["dev-aws-web-001"] (removed from state; not destroyed)\n');
  });
});
