/** `estate validate`: the policy pack over the model and a throw-away synthesis of the selected environments. */
import type { Finding } from "../../policy";
import { loadSelectedModels } from "./select";
import { withTemporarySynth } from "./temp-synth";

export function runValidate(envs: readonly string[] = []): readonly Finding[] {
  const models = loadSelectedModels(envs);
  return withTemporarySynth(models, (_dir, result) => result.findings, undefined, "report");
}
