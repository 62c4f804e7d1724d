import { App } from "cdktf";
import { Construct } from "constructs";
import { ValidationError } from "../constructs/core";
import type { EstateModel, StackRef } from "../model";
import { summarize, type Finding } from "../policy";
import type { TerraformJson } from "../terraform-json";
import { AwsSiteStack } from "./aws-site-stack";
import { BakeStack } from "./bake-stack";
import type { EstateStack } from "./estate-stack";
import { OpenstackSiteStack } from "./openstack-site-stack";
import { crossStackReferenceMessage, crossStackReferences } from "./site-independence";
import { buildStacksOf, runPolicyGate, stackJsonPath, type PolicyMode, type SynthesizedStack } from "./synthesize";
import { TrafficStack } from "./traffic-stack";

/** Props of {@link HybridEstate}. */
export interface HybridEstateProps {
  /**
   * The resolved environment: `loadEnvironment(file)` for an environment file, `validateEnvironment(props)` for one
   * written in TypeScript. Both check the same things and name what is wrong by path.
   */
  readonly estate: EstateModel;
  /**
   * The policy pack (README.md, "Policy") run on the synthesized stacks before cdktf writes the first of them, as
   * `estate synth` runs it: `"enforce"` refuses to synthesize on any error, `"report"` only records the findings
   * (`HybridEstate.findings`), `"skip"` does not run it.
   * @default "enforce"
   */
  readonly policy?: PolicyMode;
  /**
   * Which of the environment's stacks to build (`estate synth --stack` does the same with globs).
   * @default - every stack of the environment
   */
  readonly include?: (stack: StackRef) => boolean;
}

/**
 * The stacks of one environment, built into a cdktf `App` exactly as `estate synth` builds them: one stack per
 * OpenStack site (`<env>-os-a`, …), the AWS site (`<env>-aws`), global traffic (`<env>-traffic`) and the image
 * builders (`<env>-<site>-bake`). Stack names, construct paths and Terraform addresses are those of the CLI's output,
 * so a stack deployed with the CLI can be deployed from an app built with this construct, and back.
 *
 * Site stacks expose what user code extends (`network`, per service `securityGroup`, `fleet`, `loadBalancer`).
 * Whatever user code adds is held to the same rules when the app synthesizes, before anything is written:
 * - sites stay independent: an element that refers to an element of another stack is refused, naming both;
 * - the policy pack runs on every stack of the environment (`policy`, enforced by default).
 *
 * @example
 * const app = new App({ outdir: "cdktf.out" });
 * const dev = new HybridEstate(app, "dev", { estate: loadEnvironment("environments/dev.yaml") });
 * new NetworkingSecgroupRuleV2(dev.openstackSite("os-a").services.get("web")!.securityGroup, "Extra", { ... });
 * app.synth();
 */
export class HybridEstate extends Construct {
  /** The environment the stacks were built from. */
  readonly estate: EstateModel;
  /** Every stack built, in the order of `estate.stacks`. */
  readonly stacks: readonly EstateStack[];
  /** OpenStack site stacks by site name (`os-a`). */
  readonly openstackSites: ReadonlyMap<string, OpenstackSiteStack>;
  /** @default - none: the environment has no AWS site, or `include` left it out */
  readonly awsSite?: AwsSiteStack;
  /** @default - none: the environment has no traffic section, or `include` left it out */
  readonly traffic?: TrafficStack;
  /** Image builder stacks by OpenStack site name. */
  readonly bakeStacks: ReadonlyMap<string, BakeStack>;
  private readonly policy: PolicyMode;
  private readonly refs: readonly StackRef[];
  private gateResult?: { readonly findings: readonly Finding[]; readonly errors: readonly string[] };

  /**
   * @param scope the cdktf App: the stacks are its children, as in `estate synth`, so their names and Terraform
   *   addresses are the CLI's.
   * @throws ValidationError when `scope` is not an App, or the App skips validation while the policy gate is on.
   * @throws EnvironmentError when a construct refuses a value of the environment (located in the file).
   */
  constructor(scope: Construct, id: string, props: HybridEstateProps) {
    super(scope, id);
    if (!App.isApp(scope)) {
      throw new ValidationError(`HybridEstate builds stacks, so its scope must be the cdktf App (new HybridEstate(app, "${id}", …)), not ${scope.node.path || "a construct"}`, this);
    }
    this.policy = props.policy ?? "enforce";
    if (scope.skipValidation && this.policy !== "skip") {
      throw new ValidationError(`the App skips validation (App({ skipValidation: true })), which would skip the policy gate and the site independence check; remove skipValidation, or pass policy: "skip" to say so`, this);
    }
    this.estate = props.estate;
    this.refs = buildStacksOf(scope, props.estate, props.include ?? (() => true));
    this.stacks = this.refs.map((ref) => scope.node.findChild(ref.name) as EstateStack);
    this.openstackSites = new Map(this.stacks.filter((s) => s instanceof OpenstackSiteStack).map((s) => [siteOf(this.refs, s), s as OpenstackSiteStack]));
    const aws = this.stacks.find((s) => s instanceof AwsSiteStack);
    if (aws) this.awsSite = aws as AwsSiteStack;
    const traffic = this.stacks.find((s) => s instanceof TrafficStack);
    if (traffic) this.traffic = traffic as TrafficStack;
    this.bakeStacks = new Map(this.stacks.filter((s) => s instanceof BakeStack).map((s) => [siteOf(this.refs, s), s as BakeStack]));
    // Every stack carries the whole gate: cdktf validates a stack just before writing it, so the first stack
    // validated refuses for all of them and nothing of this environment is written.
    for (const stack of this.stacks) stack.node.addValidation({ validate: () => [...this.gate().errors] });
  }

  /** The stack of an OpenStack site, by site name. @throws ValidationError naming the sites there are. */
  openstackSite(name: string): OpenstackSiteStack {
    const stack = this.openstackSites.get(name);
    if (!stack) throw new ValidationError(`no OpenStack site stack "${name}" (built: ${[...this.openstackSites.keys()].join(", ") || "none"})`, this);
    return stack;
  }

  /**
   * Policy findings of the last synthesis (compliant and not-applicable ones too), as `estate validate` lists them.
   * @throws ValidationError before the App has synthesized.
   */
  get findings(): readonly Finding[] {
    if (!this.gateResult) throw new ValidationError(`findings are known once the app has synthesized (app.synth())`, this);
    return this.gateResult.findings;
  }

  private gate(): { readonly findings: readonly Finding[]; readonly errors: readonly string[] } {
    if (this.gateResult) return this.gateResult;
    const independence = this.stacks.flatMap((stack) => {
      const refs = crossStackReferences(stack);
      return refs.length > 0 ? [crossStackReferenceMessage(stack.node.id, refs)] : [];
    });
    if (independence.length > 0) return (this.gateResult = { findings: [], errors: independence });
    const written = new Map<string, TerraformJson>(this.stacks.map((s) => [s.node.id, s.toTerraform() as TerraformJson]));
    const synthesized: SynthesizedStack[] = this.refs.map((ref) => ({ ...ref, env: this.estate.env, path: stackJsonPath(ref.name) }));
    const findings = runPolicyGate([this.estate], synthesized, written, this.policy === "skip" ? "skip" : "report");
    const errors = this.policy === "enforce" && summarize(findings).errors > 0 ? policyErrorMessages(findings) : [];
    return (this.gateResult = { findings, errors });
  }
}

function siteOf(refs: readonly StackRef[], stack: EstateStack): string {
  return refs.find((r) => r.name === stack.node.id)!.site!;
}

/** One line per unsuppressed policy error: rule, where, what, and the fix. */
function policyErrorMessages(findings: readonly Finding[]): string[] {
  return findings
    .filter((f) => f.status === "non-compliant" && f.level === "error" && !f.suppressed)
    .map((f) => `policy ${f.ruleId} ${f.stack ?? f.env} ${f.target}${f.constructPath ? ` (${f.constructPath})` : ""}: ${f.message}${f.detail ? `: ${f.detail}` : ""}; fix: ${f.fix}`);
}
