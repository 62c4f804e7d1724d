/**
 * A host's HTTP service in the traffic proof: its own process in the host's network namespace (the harness
 * bundles this file to JavaScript and runs it with node). Its first requests after a start are slow, as with a
 * cold cache.
 *
 * Flags (all required): --address, --port, --host (its name), --version (the image version it stands for),
 * --base-ms (service time of every request), --cold-requests and --cold-extra-ms (the first cold-requests requests
 * after the start each take cold-extra-ms more), --lifetime-ms (it exits after that, a bound for a run that died).
 *
 * - `GET /healthz` → 200 at once; health checks never warm the cache.
 * - any other `GET` → 200 after the service time, with the `x-served-by` and `x-image-version` headers.
 *
 * The service time is waiting (a timer), not computing: it stands for disk and backend round trips, and it keeps
 * the latencies the proof compares independent of how busy the machine's CPUs are.
 * Prints `listening` once bound. Exits when its parent goes away.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { SERVED_BY_HEADER, VERSION_HEADER } from "./protocol";

const { values } = parseArgs({
  options: {
    address: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    version: { type: "string" },
    "base-ms": { type: "string" },
    "cold-requests": { type: "string" },
    "cold-extra-ms": { type: "string" },
    "lifetime-ms": { type: "string" },
  },
});
const number = (flag: keyof typeof values): number => {
  const value = Number(values[flag]);
  if (values[flag] === undefined || !Number.isFinite(value) || value < 0) throw new Error(`service: --${flag} must be a number ≥ 0, got ${values[flag]}`);
  return value;
};
const baseMs = number("base-ms");
const coldRequests = number("cold-requests");
const coldExtraMs = number("cold-extra-ms");
const headers = { "content-type": "text/plain", [SERVED_BY_HEADER]: values.host ?? "", [VERSION_HEADER]: values.version ?? "" };
let served = 0;

const server = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    return;
  }
  served += 1;
  const delay = baseMs + (served <= coldRequests ? coldExtraMs : 0);
  setTimeout(() => res.writeHead(200, headers).end(`${values.host} ${values.version} ${req.url}\n`), delay);
});
// Longer than the load balancer keeps an idle connection to a member, so HAProxy never reuses one this side closed.
server.keepAliveTimeout = 60_000;
server.listen(number("port"), values.address, () => process.stdout.write("listening\n"));

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();
setTimeout(() => process.exit(0), number("lifetime-ms")).unref();
