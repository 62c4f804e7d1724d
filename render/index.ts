import type { EstateModel } from "../model";
import { renderInventory } from "./inventory";
import { hostExportPath, renderFileSd, renderHostExport, type RenderedFile } from "./monitoring";

export * from "./inventory";
export * from "./monitoring";

export function inventoryPath(env: string): string {
  return `ansible/${env}/inventory.yml`;
}

/**
 * Every non-Terraform artifact of one environment, paths relative to the synth output directory, in a stable
 * order: the inventory, the file_sd target files, the CMDB export. The caller writes them atomically.
 */
export function renderAnsibleArtifacts(model: EstateModel): RenderedFile[] {
  return [
    { path: inventoryPath(model.env), content: renderInventory(model) },
    ...renderFileSd(model),
    { path: hostExportPath(model.env), content: renderHostExport(model) },
  ];
}
