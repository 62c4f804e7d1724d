/**
 * What the harness and its client process (`client.ts`, the load generator and warm-up client inside the load
 * balancer's namespace) say to each other: one JSON object per line, commands on the client's stdin, replies on
 * its stdout.
 */

/** Start the open-loop load: one request every 1000/ratePerSec ms to `url` + the next of `paths`. */
export interface LoadCommand {
  readonly cmd: "load";
  readonly url: string;
  readonly paths: readonly string[];
  readonly ratePerSec: number;
  /** No request is scheduled after this many ms, even without `stop` (the bound of a run). */
  readonly maxMs: number;
  /** A request without a complete response after this many ms counts as failed ("timeout"). */
  readonly timeoutMs: number;
}

/** Note the time a rollout step starts: samples sent from then on belong to it. */
export interface MarkCommand {
  readonly cmd: "mark";
  readonly label: string;
}

/** Stop scheduling requests, wait for those in flight, reply with a `LoadReply`. */
export interface StopCommand {
  readonly cmd: "stop";
}

/** GET `url` until it answers 200, at most until `deadlineMs` from now; reply with a `HealthReply`. */
export interface HealthCommand {
  readonly cmd: "health";
  readonly id: number;
  readonly url: string;
  readonly deadlineMs: number;
}

/**
 * Replay warm-up requests to one host in rounds of `perRound` concurrent GETs (cycling through `paths`) until a
 * whole round answers 200 within `gateMs` each, at most `maxRounds` rounds; reply with a `WarmReply`.
 */
export interface WarmCommand {
  readonly cmd: "warm";
  readonly id: number;
  readonly url: string;
  readonly paths: readonly string[];
  readonly perRound: number;
  readonly gateMs: number;
  readonly maxRounds: number;
  /** A warm-up request without a complete response after this many ms fails, and its round misses the gate. */
  readonly timeoutMs: number;
}

export type ClientCommand = LoadCommand | MarkCommand | StopCommand | HealthCommand | WarmCommand;

/**
 * One request of the load. `sentAtMs`: its intended send time, ms after the load started (open loop: latency is
 * measured from this time, so a stall of the client or the load balancer counts against the request).
 */
export interface Sample {
  readonly sentAtMs: number;
  readonly latencyMs: number;
  /** "" for a 200 with its whole body; else `status <code>`, the socket error code, or "timeout". */
  readonly error: string;
  /** The host and version that answered (response headers), "" when none did. */
  readonly host: string;
  readonly version: string;
}

export interface LoadReply {
  readonly type: "load";
  readonly samples: readonly Sample[];
  readonly marks: readonly { readonly label: string; readonly atMs: number }[];
  /**
   * How late the client's own 10 ms ticker fired during the run (ms): a stall of the machine rather than of the
   * load balancer shows here too, which tells the two apart when reading a slow run.
   */
  readonly lag: { readonly p99Ms: number; readonly maxMs: number };
  /** True when `maxMs` ended the scheduling before `stop` came. */
  readonly truncated: boolean;
}

export interface HealthReply {
  readonly type: "health";
  readonly id: number;
  readonly ok: boolean;
  readonly attempts: number;
  readonly last: string;
}

export interface WarmReply {
  readonly type: "warm";
  readonly id: number;
  readonly met: boolean;
  /** Latency (ms) of every warm-up request, per round; a failed request counts as Infinity (JSON: null). */
  readonly rounds: readonly (readonly (number | null)[])[];
}

export type ClientReply = LoadReply | HealthReply | WarmReply;

/** Response headers through which the service says who answered. */
export const SERVED_BY_HEADER = "x-served-by";
export const VERSION_HEADER = "x-image-version";
