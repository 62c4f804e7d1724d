/**
 * Exposure judged by coverage, not spelling: every list of networks that opens a port where the internet must not
 * reach is merged first (`0.0.0.0/1` + `128.0.0.0/1` is `0.0.0.0/0`), then measured against the public IPv4 space.
 *
 * Lists checked, with the port they open:
 * - adminCidrs: SSH (22) on every host of every site;
 * - monitoring.scrapeCidrs: node_exporter on every host of every site;
 * - services[].allowedCidrs of an internal service: its listener ports, on a load balancer meant for private networks;
 * - traffic.healthCheckerCidrs: added to the listeners of every public service that is not open to everyone.
 * A list is refused when it reaches {@link INTERNET_SCALE_ADDRESSES} public addresses or more; the message says how
 * much of the public space it reaches.
 */
import { describeCoverage, INTERNET_SCALE_ADDRESSES, publicCoverage } from "./cidr-set";
import type { ConfigProblem } from "./errors";
import { isValidCidr } from "./ipam";
import type { EnvironmentFile } from "./schema";

type Path = (string | number)[];

interface ExposedList {
  readonly path: Path;
  readonly cidrs: readonly string[];
  /** What the list opens, e.g. "SSH". */
  readonly opens: string;
  /** What to write instead. */
  readonly instead: string;
}

export function checkExposure(env: EnvironmentFile): ConfigProblem[] {
  const lists: ExposedList[] = [
    { path: ["adminCidrs"], cidrs: env.adminCidrs, opens: "SSH", instead: "SSH reaches every host from these networks: list the admin networks (office, VPN or bastion ranges) instead" },
    ...(env.monitoring.scrapeCidrs
      ? [
          {
            path: ["monitoring", "scrapeCidrs"],
            cidrs: env.monitoring.scrapeCidrs,
            opens: `node_exporter (port ${env.monitoring.nodeExporterPort}) on every host`,
            instead: "list the networks your Prometheus servers scrape from",
          },
        ]
      : []),
    ...env.services.flatMap((svc, i): ExposedList[] =>
      svc.exposure === "internal"
        ? [
            {
              path: ["services", i, "allowedCidrs"],
              cidrs: svc.allowedCidrs,
              opens: `the listeners of internal service "${svc.name}"`,
              instead: "list the private networks of its clients, or make the service exposure: public",
            },
          ]
        : [],
    ),
    ...(env.traffic
      ? [
          {
            path: ["traffic", "healthCheckerCidrs"],
            cidrs: env.traffic.healthCheckerCidrs,
            opens: "the listeners of every public service that admits only some networks",
            instead: "list the ROUTE53_HEALTHCHECKS prefixes of AWS's ip-ranges.json (see environments/dev.yaml)",
          },
        ]
      : []),
  ];
  return lists.flatMap(internetScaleProblem);
}

function internetScaleProblem(list: ExposedList): ConfigProblem[] {
  const cidrs = list.cidrs.filter(isValidCidr);
  const coverage = publicCoverage(cidrs);
  if (coverage.addresses < INTERNET_SCALE_ADDRESSES) return [];
  // An entry that reaches as much on its own is the line to fix; otherwise it is the list as a whole.
  const alone = list.cidrs.findIndex((c) => isValidCidr(c) && publicCoverage([c]).addresses === coverage.addresses);
  const path = alone >= 0 ? [...list.path, alone] : list.path;
  const largest = [...cidrs].sort((a, b) => publicCoverage([b]).addresses - publicCoverage([a]).addresses).slice(0, 3);
  const named = cidrs.length <= 3 ? cidrs.join(", ") : `the largest: ${largest.join(", ")}`;
  const what = alone >= 0 ? list.cidrs[alone] : `these ${cidrs.length} networks together (${named})`;
  const reach = coverage.whole ? "the whole internet" : `${describeCoverage(coverage)}, an internet-sized share`;
  return [{ path, message: `${what} would open ${list.opens} to ${reach}; ${list.instead}` }];
}
