/** Synthesis into a throw-away directory, for commands that read the output but must not touch cdktf.out. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EstateModel, StackRef } from "../../model";
import { synthesizeModels, type PolicyMode, type SynthesizeResult } from "../../stacks/synthesize";

export function withTemporarySynth<T>(
  models: readonly EstateModel[],
  use: (dir: string, result: SynthesizeResult) => T,
  include?: (stack: StackRef & { readonly env: string }) => boolean,
  policy: PolicyMode = "skip",
): T {
  const tmp = mkdtempSync(join(tmpdir(), "estate-synth-"));
  try {
    const dir = join(tmp, "out");
    const result = synthesizeModels(models, { outdir: dir, policy, ...(include ? { include } : {}) });
    return use(dir, result);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
