import { LocalBackend, S3Backend, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct, Node } from "constructs";
import { LOCAL_NAME_PATTERN, type LiteralLocalRegistry } from "../constructs/literal-locals";
import { escapeTemplateStrings, terraformLiteral } from "../constructs/terraform-literal";
import { ValidationError } from "../constructs/core";
import { snakeCase, type BackendModel } from "../model";

/**
 * Base of every stack the toolkit synthesizes.
 *
 * Fleets are rendered as one resource with `for_each` over a map of hosts keyed by host name, so every host keeps
 * its own Terraform address (`openstack_compute_instance_v2.web["prod-os-a-web-001"]`). The host maps are plain
 * data from the model and hold no tokens, so they are added to the synthesized JSON as `locals` after cdktf has
 * resolved the rest of the stack: walking tens of thousands of literal entries through cdktf's token resolver is
 * what makes naive synthesis slow.
 */
export class EstateStack extends TerraformStack implements LiteralLocalRegistry {
  private readonly literalLocals = new Map<string, unknown>();
  private synthesizedJson: unknown;
  private readonly logicalIds = new Map<string, string>();

  constructor(scope: Construct, id: string, backend: BackendModel) {
    super(scope, id);
    this.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
    configureBackend(this, id, backend);
  }

  /**
   * Registers a literal local value (token-free data) and returns the expression that reads it.
   * Names must be unique within the stack. Every string of the value (map keys included) is literal text: it is
   * written with Terraform's template sequences escaped, so Terraform reads it back exactly as given.
   */
  addLiteralLocal(name: string, value: unknown): string {
    if (!LOCAL_NAME_PATTERN.test(name)) throw new ValidationError(`local name "${name}" must be lower snake case`, this);
    if (this.literalLocals.has(name)) throw new ValidationError(`local "${name}" is defined twice`, this);
    this.literalLocals.set(name, value);
    return `\${local.${name}}`;
  }

  /**
   * Readable, stable Terraform names: the construct path below the stack in snake case
   * (`web/Fleet/Instance` → `web_fleet_instance`), so addresses in plans and diffs read like the code.
   * cdktf's default appends a hash; these names are public API exactly as construct ids are.
   */
  override allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof TerraformElement ? element.node : element;
    const scopes = node.scopes;
    const below = scopes.slice(scopes.indexOf(this) + 1).map((c) => snakeCase(c.node.id));
    const id = below.join("_");
    const owner = this.logicalIds.get(id);
    if (owner !== undefined && owner !== node.path) {
      throw new ValidationError(`Terraform name "${id}" is already used by ${owner}; rename one of the constructs`, scopes[scopes.length - 1]);
    }
    this.logicalIds.set(id, node.path);
    return id;
  }

  /**
   * cdktf's preparing pass resolves every element once more only to discover cross-stack references and add
   * outputs and remote-state lookups for them. Estate stacks never reference each other (a policy rule refuses any
   * reference that does not resolve inside its own stack), so the pass would only cost time; the backend it would
   * also ensure is configured in the constructor. ESTATE_DEBUG=1 runs it (the output is the same; a test proves it).
   */
  override prepareStack(): void {
    if (process.env.ESTATE_DEBUG === "1") super.prepareStack();
  }

  /** The stack's Terraform JSON, with the literal locals added after cdktf resolved the rest. */
  override toTerraform(): any {
    const tf = super.toTerraform();
    if (this.literalLocals.size > 0) {
      const locals: Record<string, unknown> = { ...(tf.locals ?? {}) };
      // These values bypass cdktf's resolver: escaping them is this method's job.
      for (const [name, value] of this.literalLocals) locals[name] = escapeTemplateStrings(value);
      tf.locals = locals;
    }
    this.synthesizedJson = tf;
    return tf;
  }

  /** The Terraform JSON of the last synthesis, as written (so readers need not parse the file back). */
  get synthesized(): unknown {
    return this.synthesizedJson;
  }
}

/**
 * The Terraform versions every stack accepts (`terraform.required_version`). 1.11 is the oldest release with every
 * feature the stacks use: the S3 backend's `use_lockfile` (GA in 1.11), keyed `import` blocks (1.5), `removed`
 * blocks and `for_each` in `import` (1.7), output preconditions (1.2). Below 2.0 because a major release may change
 * the language the synthesized JSON is written in.
 */
export const TERRAFORM_REQUIRED_VERSION = ">= 1.11.0, < 2.0.0";

/**
 * Terraform runs each stack inside `<outdir>/stacks/<stack>/`. Local state paths are written relative to that
 * directory and point two levels above the output directory, i.e. to the project root for the default `cdktf.out`:
 * state survives every re-synthesis (which replaces the output directory) and the synthesized JSON does not depend
 * on the directory it was produced in (no absolute paths; a temporary synthesis for a diff shows no backend change).
 */
export const LOCAL_STATE_FROM_STACK_DIR = "../../..";

/**
 * Marker file that synthesis keeps in the project's local state directory. A stack with local state refuses to plan
 * (an output precondition) unless the marker is where its state path points: a stack synthesized into an output
 * directory outside the project root (`estate synth --out /tmp/x`) would otherwise start from empty state and plan
 * to create every resource again.
 */
export const LOCAL_STATE_MARKER = ".estate-state-root";

/**
 * Each stack gets its own state: a local file per stack, or one s3 object key per stack. Every value comes from
 * the environment file and is literal text (Terraform allows no expressions in a backend block at all).
 */
export function configureBackend(stack: TerraformStack, stackName: string, backend: BackendModel): void {
  if (backend.type === "local") {
    const dir = `${LOCAL_STATE_FROM_STACK_DIR}/${backend.directory}`;
    new LocalBackend(stack, { path: terraformLiteral(`${dir}/${stackName}.tfstate`) });
    const guard = new TerraformOutput(stack, "local_state_guard", {
      description: "Where this stack keeps its local state; planning refuses when that is not the project's state directory.",
      value: terraformLiteral(`${dir}/${stackName}.tfstate`),
    });
    // cdktf 0.21 keeps an output's `precondition` prop but never writes it: the block goes in as an override.
    guard.addOverride("precondition", [
      {
        // plantimestamp() is unknown while Terraform validates: the guard concerns planning only, so `terraform
        // validate` of a copy of the stack elsewhere still passes.
        condition: `\${fileexists("\${path.module}/${terraformLiteral(dir)}/${LOCAL_STATE_MARKER}") || plantimestamp() == ""}`,
        error_message: terraformLiteral(`Local state of ${stackName} would be ${dir}/${stackName}.tfstate relative to this directory, which is not the project's state directory (${backend.directory}/${LOCAL_STATE_MARKER} is missing there). Synthesize into the project's output directory (cdktf.out at the project root) and run Terraform there, or use a remote backend.`),
      },
    ]);
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: terraformLiteral(backend.bucket),
    key: terraformLiteral(`${backend.keyPrefix}/${stackName}.tfstate`),
    region: terraformLiteral(backend.region),
    encrypt: true,
    ...(backend.endpoint ? { skipCredentialsValidation: true, skipRegionValidation: true, skipRequestingAccountId: true } : {}),
    ...(backend.endpoint || backend.dynamodbEndpoint ? { endpoints: { s3: backend.endpoint && terraformLiteral(backend.endpoint), dynamodb: backend.dynamodbEndpoint && terraformLiteral(backend.dynamodbEndpoint) } } : {}),
    ...(backend.dynamodbTable ? { dynamodbTable: terraformLiteral(backend.dynamodbTable) } : {}),
    ...(backend.usePathStyle ? { usePathStyle: true } : {}),
  });
  // Terraform 1.10+ `use_lockfile`; cdktf 0.21's S3BackendConfig predates it, so it is added to the block as is.
  if (backend.locking !== "dynamodb") s3.addOverride("use_lockfile", true);
}
