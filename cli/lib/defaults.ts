/** Defaults shared by command definitions and the code behind them (kept light: help must not load cdktf). */
export const DEFAULT_OUTDIR = "cdktf.out";
