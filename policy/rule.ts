/**
 * The shape of a policy rule (cdk-nag style): a small pure function over one resource, one stack or the model,
 * returning compliant / non-compliant / not-applicable; the rule carries its id, level, message, explanation and
 * fix, the pack runs it and attaches findings to their target.
 */
import type { EstateModel, StackKind } from "../model";
import type { TerraformJson, TfBlock, TfConfig } from "../terraform-json";

/** How a non-compliant finding counts: an `error` stops synthesis, a `warning` is reported. */
export type PolicyLevel = "error" | "warning";

export type RuleResult =
  | { readonly status: "compliant" }
  | { readonly status: "not-applicable" }
  | { readonly status: "non-compliant"; readonly detail: string };

export const compliant = (): RuleResult => ({ status: "compliant" });
export const notApplicable = (): RuleResult => ({ status: "not-applicable" });
export const nonCompliant = (detail: string): RuleResult => ({ status: "non-compliant", detail });

/** A synthesized stack, as the rules see it. */
export interface PolicyStack {
  readonly name: string;
  readonly env: string;
  readonly kind?: StackKind;
  readonly site?: string;
  readonly tf: TerraformJson;
}

/** One resource (or one instance of a for_each resource, when instances differ) handed to a resource rule. */
export interface PolicyResource {
  readonly block: TfBlock;
  /** Resource address, with the instance key when the rule sees one instance. */
  readonly address: string;
  /** Attributes without meta-arguments. */
  readonly attributes: TfConfig;
}

interface RuleInfo {
  /** Stable id, e.g. `EST-NET-001`; suppressions name it. */
  readonly id: string;
  readonly level: PolicyLevel;
  /** One line: what is wrong when the rule fires. */
  readonly message: string;
  /** Why it matters. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * The service setting a finding about a service's resources comes from (`placement`), so the report points at
   * that line. @default - the service's name
   */
  readonly serviceSetting?: string;
}

/** Checks one resource at a time. */
export interface ResourceRule extends RuleInfo {
  readonly kind: "resource";
  /** Terraform resource types the rule looks at. */
  readonly resourceTypes: readonly string[];
  /**
   * The top-level attributes `check` reads. When none of them differs between the instances of a for_each
   * resource, the rule checks the resource once instead of every instance.
   * @default - every instance is checked
   */
  readonly reads?: readonly string[];
  readonly check: (resource: PolicyResource, stack: PolicyStack) => RuleResult;
}

/** A finding a stack or model rule reports, with what it is about. */
export interface TargetedResult {
  /** Resource address (stack rules) or model path (model rules), e.g. `services.web`. */
  readonly target: string;
  readonly result: RuleResult;
  /** Site and service the finding concerns, so suppressions can name them. */
  readonly site?: string;
  readonly service?: string;
  /**
   * The setting of the environment file that decides this finding, as a path inside the file
   * (e.g. `["services", 0, "peakInstances"]`). @default - the finding's service or site entry
   */
  readonly source?: readonly (string | number)[];
}

/** What a stack rule may read besides its stack. */
export interface StackRuleContext {
  /** The model of the stack's environment. @default - none (a stack checked on its own) */
  readonly model?: EstateModel;
  /** Every stack being checked, this one included: for limits shared by several stacks of one site. */
  readonly stacks: readonly PolicyStack[];
}

/** Checks a whole stack (relations between its blocks). */
export interface StackRule extends RuleInfo {
  readonly kind: "stack";
  readonly check: (stack: PolicyStack, context?: StackRuleContext) => readonly TargetedResult[];
}

/** Checks the model of one environment. */
export interface ModelRule extends RuleInfo {
  readonly kind: "model";
  readonly check: (model: EstateModel) => readonly TargetedResult[];
}

export type PolicyRule = ResourceRule | StackRule | ModelRule;

/** A rule's verdict on one target, as the pack reports it. */
export interface Finding {
  /** The rule's id, e.g. `EST-NET-001` (README.md, "Policy"). */
  readonly ruleId: string;
  /** `error` blocks synthesis; `warning` is reported only. */
  readonly level: PolicyLevel;
  /** `compliant`, `non-compliant` or `not-applicable`. */
  readonly status: RuleResult["status"];
  /** What the rule checks, in one line. */
  readonly message: string;
  /** What exactly is wrong here. @default - none (compliant and not-applicable findings) */
  readonly detail?: string;
  /** Why the rule exists: what goes wrong in production without it. */
  readonly explanation: string;
  /** What to change to comply. */
  readonly fix: string;
  /** Environment name (`name` in the environment file). */
  readonly env: string;
  /** Stack of a resource finding. @default - none (model findings) */
  readonly stack?: string;
  /** Resource address or model path. */
  readonly target: string;
  /** Construct path of a resource finding (`dev-os-a/web/Fleet/Instance`), from the synthesized metadata. */
  readonly constructPath?: string;
  /** Site the finding concerns. @default - none (estate-wide findings) */
  readonly site?: string;
  /** Service the finding concerns. @default - none (findings about no one service) */
  readonly service?: string;
  /** Set when a suppression in the environment file covers this finding. */
  readonly suppressed?: {
    /** The reason written with the suppression. */
    readonly reason: string;
  };
  /**
   * The line of the environment file behind a non-compliant finding: the file, the path inside it and, when the
   * file could be read again, its line and column.
   */
  readonly source?: {
    /** The environment file (or the props' source name). */
    readonly file: string;
    /** Path inside it, e.g. `["services", 0, "allowedCidrs"]`. */
    readonly path: readonly (string | number)[];
    /** 1-based line. @default - none (the file could not be read again) */
    readonly line?: number;
    /** 1-based column. @default - none (the file could not be read again) */
    readonly column?: number;
  };
}
