/**
 * State backends: the backend block every stack gets from the environment file, and what real Terraform 1.11 makes
 * of it. Bad backend settings are in the bad-input corpus (test/fixtures/bad/backend-*.yaml); the good ones here
 * synthesize.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironment } from "../../model";
import { synthesizeModels } from "../../stacks/synthesize";
import { describeDiagnostics, findPluginMirror, TerraformValidator, terraformAvailable, writeCliConfig } from "../support/terraform";

const GOOD = "test/fixtures/good";
const STACKS = ["dev-os-a", "dev-os-b", "dev-os-c", "dev-aws", "dev-traffic"];

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Synthesizes an environment file; returns the output directory. */
function synth(file: string): string {
  const out = join(tempDir("estate-backend-"), "cdktf.out");
  synthesizeModels([loadEnvironment(file)], { outdir: out });
  return out;
}

const terraformBlock = (out: string, stack: string) => JSON.parse(readFileSync(join(out, "stacks", stack, "cdk.tf.json"), "utf8")).terraform;

describe("S3 backend block per stack", () => {
  const base = { bucket: "estate-dev-state", region: "eu-west-1", encrypt: true };
  it.each([
    ["backend-s3-lockfile.yaml (locking defaults to lockfile)", "backend-s3-lockfile.yaml", { ...base, use_lockfile: true }],
    ["backend-s3-dynamodb.yaml", "backend-s3-dynamodb.yaml", { ...base, dynamodb_table: "estate-dev-locks" }],
    ["backend-s3-both.yaml", "backend-s3-both.yaml", { ...base, dynamodb_table: "estate-dev-locks", use_lockfile: true }],
  ])("GIVEN %s THEN every stack has its own key and exactly the lock arguments of its mode", (_, file, expected) => {
    const out = synth(join(GOOD, file));
    for (const stack of STACKS) {
      expect({ stack, backend: terraformBlock(out, stack).backend }).toEqual({ stack, backend: { s3: { ...expected, key: `dev/${stack}.tfstate` } } });
    }
  });

  it("GIVEN an s3-compatible store THEN endpoints.s3, path-style, the AWS-only checks skipped, and the lock file", () => {
    const out = synth(join(GOOD, "backend-s3-compatible.yaml"));
    expect(terraformBlock(out, "dev-os-b").backend).toEqual({
      s3: {
        bucket: "estate-dev-state",
        key: "estate/dev/dev-os-b.tfstate",
        region: "us-east-1",
        encrypt: true,
        endpoints: { s3: "https://s3.storage.example.net:8443" },
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        use_path_style: true,
        use_lockfile: true,
      },
    });
  });

  it("GIVEN an s3-compatible store with a DynamoDB-compatible lock table THEN both endpoints and no lock file", () => {
    const out = synth(join(GOOD, "backend-s3-compatible-dynamodb.yaml"));
    expect(terraformBlock(out, "dev-traffic").backend).toEqual({
      s3: {
        bucket: "estate-dev-state",
        key: "dev/dev-traffic.tfstate",
        region: "us-east-1",
        encrypt: true,
        endpoints: { s3: "https://s3.storage.example.net", dynamodb: "https://dynamodb.storage.example.net" },
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        use_path_style: true,
        dynamodb_table: "estate-dev-locks",
      },
    });
  });

  it("GIVEN a nested local directory THEN a local backend whose state file sits in it", () => {
    const out = synth(join(GOOD, "backend-local-nested.yaml"));
    const backend = terraformBlock(out, "dev-aws").backend;
    expect(Object.keys(backend)).toEqual(["local"]);
    expect(backend.local.path).toMatch(/(^|\/)state\/terraform\/dev-aws\.tfstate$/);
  });
});

/** A TCP port on the loopback address that nothing listens on: bound, then closed. */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const avail = terraformAvailable();

describe.skipIf(!avail.ok)(`Terraform accepts the S3 backend blocks (${avail.reason})`, () => {
  let out: string;
  let port: number;
  let validator: TerraformValidator | undefined;

  beforeAll(async () => {
    port = await closedLoopbackPort();
    // The compatible-store fixture pointed at a loopback port nobody serves, with both locks: every argument the
    // toolkit can write is in the block.
    const env = tempDir("estate-backend-env-");
    const file = join(env, "dev.yaml");
    const text = readFileSync(join(GOOD, "backend-s3-compatible.yaml"), "utf8").replace("https://s3.storage.example.net:8443", `http://127.0.0.1:${port}`);
    const locks = `  locking: both\n  dynamodbTable: estate-dev-locks\n  dynamodbEndpoint: http://127.0.0.1:${port}\n`;
    writeFileSync(file, text.replace("  usePathStyle: true\n", `  usePathStyle: true\n${locks}`));
    out = synth(file);
    expect(terraformBlock(out, "dev-aws").backend.s3).toMatchObject({
      use_lockfile: true,
      dynamodb_table: "estate-dev-locks",
      endpoints: { s3: `http://127.0.0.1:${port}`, dynamodb: `http://127.0.0.1:${port}` },
    });
    validator = await TerraformValidator.create(findPluginMirror().dir!, [{ label: "dev-aws", dir: join(out, "stacks", "dev-aws") }]);
  }, 240_000);

  afterAll(() => validator?.dispose());

  it("terraform init -backend=false and validate: the stack with use_lockfile and dynamodb_table is valid", async () => {
    const result = await validator!.validateAsRoot("dev-aws");
    expect(result.valid, describeDiagnostics(result)).toBe(true);
    expect(result.errorCount).toBe(0);
  }, 120_000);

  /**
   * `terraform init` with the backend: Terraform checks every argument, then fails on the first request to the
   * store. Bounded: no prompts, no instance metadata lookups, dummy credentials from the environment only (never a
   * profile of the machine), requests only to the loopback endpoint, and a process timeout. The backend's own
   * retries (5, about 12 s against a closed port) stay: `-backend-config=max_retries=0` would be faster, but with
   * any -backend-config Terraform 1.11 no longer reports an unknown argument in the block, which is what this proves.
   */
  function initWithBackend(dir: string): { status: number | null; output: string } {
    const home = tempDir("estate-backend-home-");
    const r = spawnSync("terraform", ["init", "-input=false", "-no-color"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 90_000,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        TF_CLI_CONFIG_FILE: writeCliConfig(home, findPluginMirror().dir!),
        TF_IN_AUTOMATION: "1",
        CHECKPOINT_DISABLE: "1",
        AWS_ACCESS_KEY_ID: "estate-test-dummy",
        AWS_SECRET_ACCESS_KEY: "estate-test-dummy",
        AWS_CONFIG_FILE: join(home, "none"),
        AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_MAX_ATTEMPTS: "1",
      },
    });
    return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
  }

  function stackCopy(edit: (tf: any) => void = () => {}): string {
    const dir = join(tempDir("estate-backend-init-"), "dev-aws");
    cpSync(join(out, "stacks", "dev-aws"), dir, { recursive: true });
    const file = join(dir, "cdk.tf.json");
    const tf = JSON.parse(readFileSync(file, "utf8"));
    edit(tf);
    writeFileSync(file, JSON.stringify(tf, null, 2));
    return dir;
  }

  it("terraform init with the backend: accepted, and fails only on the connection to the unreachable store", () => {
    const r = initWithBackend(stackCopy());
    expect(r.status).toBe(1);
    expect(r.output).toContain("Initializing the backend...");
    expect(r.output).toContain(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
    // Terraform 1.11 reads dynamodb_table and says it is deprecated in favour of use_lockfile: both were understood.
    expect(r.output).toContain('The parameter "dynamodb_table" is deprecated');
    expect(r.output).not.toMatch(/Unsupported argument|Extraneous JSON object property|Invalid Value|Invalid region/);
  }, 120_000);

  it("the same init on a misspelt argument fails on the configuration instead (the check above can tell them apart)", () => {
    const r = initWithBackend(
      stackCopy((tf) => {
        tf.terraform.backend.s3.use_lock_file = tf.terraform.backend.s3.use_lockfile;
        delete tf.terraform.backend.s3.use_lockfile;
      }),
    );
    expect(r.status).toBe(1);
    expect(r.output).toContain("Extraneous JSON object property");
    expect(r.output).toContain('No argument or block type is named "use_lock_file"');
    expect(r.output).not.toContain("connection refused");
  }, 120_000);

  it.each([
    ["a key starting with /", "/dev/dev-aws.tfstate", 'The value must not start or end with "/"'],
    ["a key holding //", "dev//dev-aws.tfstate", 'Value must not contain "//"'],
  ])("Terraform itself refuses %s, as the loader does for keyPrefix", (_, key, message) => {
    const r = initWithBackend(stackCopy((tf) => (tf.terraform.backend.s3.key = key)));
    expect(r.status).toBe(1);
    expect(r.output).toContain(message);
    expect(r.output).not.toContain("connection refused");
  }, 120_000);
});
