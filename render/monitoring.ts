/**
 * Monitoring targets and the CMDB export, rendered from the EstateModel: the same hosts, names and addresses as
 * the Terraform and the inventory, never recomputed here.
 */
import type { EstateModel, HostModel, SiteModel } from "../model";

/** A rendered artifact, its path relative to the synth output directory. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

/** One Prometheus file_sd target group: https://prometheus.io/docs/prometheus/latest/configuration/configuration/#file_sd_config */
interface FileSdTargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export function fileSdPath(env: string, site: string, service: string): string {
  return `monitoring/${env}/file_sd/${site}-${service}.json`;
}

export function hostExportPath(env: string): string {
  return `cmdb/${env}/hosts.json`;
}

/**
 * One file per site×service, one target group per host (its node_exporter), so per-host labels (az, host) ride
 * along. Sites in file order, then services in file order, then hosts by index: stable output.
 */
export function renderFileSd(model: EstateModel): RenderedFile[] {
  const port = model.monitoring.nodeExporterPort;
  const sites: SiteModel[] = [...model.openstackSites, ...(model.awsSite ? [model.awsSite] : [])];
  const files: RenderedFile[] = [];
  for (const site of sites) {
    for (const siteService of site.services) {
      const groups: FileSdTargetGroup[] = siteService.hosts.map((host) => ({
        targets: [`${host.ip}:${port}`],
        labels: {
          env: model.env,
          site: host.site,
          site_kind: host.siteKind,
          service: host.service,
          az: host.availabilityZone,
          host: host.name,
        },
      }));
      files.push({ path: fileSdPath(model.env, site.name, siteService.service.name), content: toJson(groups) });
    }
  }
  return files;
}

/** A CMDB record per host; field names are the export's public schema (see schemaVersion). */
interface HostRecord {
  readonly name: string;
  readonly env: string;
  readonly site: string;
  readonly siteKind: string;
  readonly service: string;
  readonly availabilityZone: string;
  readonly ip: string;
  readonly image: string;
  readonly imageVersion: string;
}

export const HOST_EXPORT_SCHEMA_VERSION = 1;

/** Every host of the environment, in model order (sites, services, index), as a CMDB-style JSON document. */
export function renderHostExport(model: EstateModel): string {
  const hosts: HostRecord[] = model.hosts.map((h: HostModel) => ({
    name: h.name,
    env: model.env,
    site: h.site,
    siteKind: h.siteKind,
    service: h.service,
    availabilityZone: h.availabilityZone,
    ip: h.ip,
    image: h.image,
    imageVersion: h.imageVersion,
  }));
  return toJson({ schemaVersion: HOST_EXPORT_SCHEMA_VERSION, env: model.env, hostCount: hosts.length, hosts });
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
