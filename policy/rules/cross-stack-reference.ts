import { blocksOf, referencesIn, type TerraformJson } from "../../terraform-json";
import { compliant, nonCompliant, type StackRule, type TargetedResult } from "../rule";

/** EST-STK-001: a stack refers only to what it declares itself; no terraform_remote_state. */
export const crossStackReference: StackRule = {
  id: "EST-STK-001",
  level: "error",
  kind: "stack",
  message: "reference to something outside the stack (another stack's state or resources)",
  explanation:
    "Sites must deploy and fail independently: a stack that reads another stack's state (terraform_remote_state, or cdktf's cross-stack references) cannot be planned or applied while that other site is down or drained, and couples their deployments.",
  fix: "Take the value from the model instead (fixed addresses, deterministic names), or look the object up by name with a data source in the same stack.",
  check: (stack) => {
    const tf = stack.tf;
    const results: TargetedResult[] = [];
    const declared = declaredNames(tf);
    const checkValue = (target: string, value: unknown) => {
      const problems: string[] = [];
      for (const ref of referencesIn(value)) {
        if (!declared.has(ref.address)) problems.push(`${ref.address} is not declared in ${stack.name}`);
      }
      results.push({ target, result: problems.length > 0 ? nonCompliant([...new Set(problems)].join("; ")) : compliant() });
    };
    for (const block of blocksOf(tf)) {
      if (block.mode === "data" && block.type === "terraform_remote_state") {
        results.push({ target: block.address, result: nonCompliant("reads another stack's state through terraform_remote_state") });
        continue;
      }
      checkValue(block.address, block.config);
    }
    for (const [name, value] of Object.entries(tf.output ?? {})) checkValue(`output.${name}`, value);
    for (const [name, value] of Object.entries(tf.locals ?? {})) {
      // Host maps are literal data; only locals holding expressions can refer to anything.
      if (typeof value === "string" || (value !== null && typeof value === "object" && JSON.stringify(value).includes("${"))) checkValue(`local.${name}`, value);
    }
    for (const [name, value] of Object.entries(tf.provider ?? {})) checkValue(`provider.${name}`, value);
    return results;
  },
};

function declaredNames(tf: TerraformJson): Set<string> {
  const names = new Set<string>(blocksOf(tf).map((b) => b.address));
  for (const name of Object.keys(tf.locals ?? {})) names.add(`local.${name}`);
  for (const name of Object.keys(tf.variable ?? {})) names.add(`var.${name}`);
  for (const name of Object.keys(tf.module ?? {})) names.add(`module.${name}`);
  return names;
}
