/**
 * Three settings that make cdktf synthesis several times cheaper without changing its output.
 *
 * - cdktf records a full stack trace for every token it creates (to name the creation site if that token later
 *   fails to resolve). With tens of thousands of tokens this dominates synthesis, and it costs far more again when
 *   source maps are enabled (tsx enables them). The traces never reach the synthesized JSON.
 * - Source-mapped stack traces are only useful when debugging a crash.
 * - cdktf's token resolver walks every value of every element; `fastResolve` copies plain values itself and gives
 *   cdktf only what may hold a token (see fast-resolve.ts).
 *
 * Set ESTATE_DEBUG=1 to keep cdktf's defaults for debugging. The stack-trace module is looked up by path and skipped
 * when absent, so a cdktf build (or the CDK Terrain fork) that moves it only loses that speed-up; the resolver uses
 * public API only (Tokenization, Token).
 */
import { installFastResolve } from "./private/fast-resolve";

export function tuneCdktfForSynthesis(): void {
  if (process.env.ESTATE_DEBUG === "1") return;
  process.setSourceMapsEnabled(false);
  installFastResolve();
  try {
    const traces = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: unknown };
    if (typeof traces.captureStackTrace === "function") traces.captureStackTrace = () => [];
  } catch {
    // Module layout differs: keep cdktf's default behaviour.
  }
}
