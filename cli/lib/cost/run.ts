/** `estate cost`: one environment synthesized into a temporary directory, priced, with optional what-ifs. */
import { UsageError } from "../errors";
import { loadSelectedModels } from "../select";
import { readSynthOutput } from "../synth-output";
import { withTemporarySynth } from "../temp-synth";
import { costReport, type CostReport } from "./report";
import { costsFile, loadCostTables } from "./tables";
import { parseMove, whatIfMove, type WhatIf } from "./what-if";

export interface CostRequest {
  /** Environment name or file. */
  readonly env: string;
  /** Price file. @default - $ESTATE_COSTS, else costs/example.yaml */
  readonly costs?: string;
  /** @default - the price file's maxAgeDays */
  readonly maxAgeDays?: number;
  /** `<service>:<from-site>:<to-site>` what-ifs. */
  readonly moves?: readonly string[];
  /** @default - now */
  readonly today?: Date;
}

export interface CostResult extends CostReport {
  readonly env: string;
  readonly costsFile: string;
  readonly whatIf: readonly WhatIf[];
}

export function runCost(request: CostRequest): CostResult {
  const moves = (request.moves ?? []).map(parseMove);
  const file = costsFile(request.costs);
  const today = request.today ?? new Date();
  const tables = loadCostTables(file, today);
  const models = loadSelectedModels([request.env]);
  if (models.length !== 1) throw new UsageError(`--env names one environment; got ${models.length}`);
  const model = models[0];
  const stacks = withTemporarySynth(models, (dir) => readSynthOutput(dir, false).stacks);
  const report = costReport(stacks, tables, { today, ...(request.maxAgeDays !== undefined ? { maxAgeDays: request.maxAgeDays } : {}) });
  return { env: model.env, costsFile: file, ...report, whatIf: moves.map((m) => whatIfMove(model, stacks, tables, m)) };
}

/** The result for --json: amounts rounded to a millionth, so binary fractions (37.199999999999996) do not show. */
export function costResultJson(result: CostResult): unknown {
  return JSON.parse(JSON.stringify(result, (_key, value: unknown) => (typeof value === "number" ? Math.round(value * 1e6) / 1e6 : value)));
}

/** Charges without a price, in the report and its what-ifs. */
export function unpricedCount(result: CostResult): number {
  return result.unpriced.length + result.whatIf.reduce((n, w) => n + w.unpriced.length, 0);
}
