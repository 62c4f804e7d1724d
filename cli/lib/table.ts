/** Plain aligned text tables: columns padded to their widest cell, two spaces apart, no trailing blanks. */
export interface Column {
  readonly header: string;
  /** Right-align numbers. @default "left" */
  readonly align?: "left" | "right";
}

export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? "";
        return c.align === "right" ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
      })
      .join("  ")
      .replace(/\s+$/, "");
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}
