/** `estate hosts`: the CMDB view of every host of the model. */
import type { EstateModel } from "../../model";
import { UsageError } from "./errors";
import { loadSelectedModels, siteNames } from "./select";
import { formatTable } from "./table";

export interface HostRow {
  readonly env: string;
  readonly name: string;
  readonly site: string;
  readonly service: string;
  readonly availabilityZone: string;
  readonly ip: string;
  readonly image: string;
  readonly version: string;
}

export interface HostFilter {
  readonly site?: string;
  readonly service?: string;
}

export function listHosts(envs: readonly string[] = [], filter: HostFilter = {}): HostRow[] {
  return hostRows(loadSelectedModels(envs), filter);
}

/** Hosts of the models in model order; an unknown site or service is a usage error naming the known ones. */
export function hostRows(models: readonly EstateModel[], filter: HostFilter = {}): HostRow[] {
  if (filter.site !== undefined) {
    const sites = [...new Set(models.flatMap(siteNames))];
    if (!sites.includes(filter.site)) throw new UsageError(`--site: no site "${filter.site}" (sites: ${sites.join(", ")})`);
  }
  if (filter.service !== undefined) {
    const services = [...new Set(models.flatMap((m) => m.services.map((s) => s.name)))];
    if (!services.includes(filter.service)) throw new UsageError(`--service: no service "${filter.service}" (services: ${services.join(", ")})`);
  }
  return models.flatMap((m) =>
    m.hosts
      .filter((h) => (filter.site === undefined || h.site === filter.site) && (filter.service === undefined || h.service === filter.service))
      .map((h) => ({
        env: m.env,
        name: h.name,
        site: h.site,
        service: h.service,
        availabilityZone: h.availabilityZone,
        ip: h.ip,
        image: h.image,
        version: h.imageVersion,
      })),
  );
}

export function formatHostTable(rows: readonly HostRow[]): string[] {
  const multiEnv = new Set(rows.map((r) => r.env)).size > 1;
  const columns = [
    ...(multiEnv ? [{ header: "ENV" }] : []),
    { header: "NAME" },
    { header: "SITE" },
    { header: "SERVICE" },
    { header: "AZ" },
    { header: "IP" },
    { header: "IMAGE" },
    { header: "VERSION" },
  ];
  return formatTable(
    columns,
    rows.map((r) => [...(multiEnv ? [r.env] : []), r.name, r.site, r.service, r.availabilityZone, r.ip, r.image, r.version]),
  );
}
