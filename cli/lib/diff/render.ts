/** Markdown (for a PR comment), plain text and JSON renderings of an EstateDiff. Deterministic: same diff, same bytes. */
import { costChangeMarkdown } from "../cost/diff-section";
import { formatTable } from "../table";
import { groupChanges, groupLabel, type ChangeGroup } from "./group";
import { show } from "./security";
import { countChanges, type AttributeChange, type ChangeAction, type EstateDiff, type StackDiff } from "./types";

export type DiffFormat = "markdown" | "text" | "json";
export const DIFF_FORMATS: readonly DiffFormat[] = ["markdown", "text", "json"];

/** Attribute values longer than this go into a collapsible block instead of the list line. */
const INLINE_VALUE_LIMIT = 60;
/** Instance lists longer than this collapse. */
const INLINE_INSTANCES_LIMIT = 5;
/** Instance names listed at most per entry; the rest are counted. */
const LISTED_INSTANCES_LIMIT = 30;
/** Creates or deletes of one resource beyond this are one entry with a count. */
const LISTED_CREATES_LIMIT = 10;
/** GitHub refuses comments over 65536 characters; stay under it with room for a header. */
export const MARKDOWN_LIMIT = 60_000;

const HEADINGS: Record<ChangeAction, string> = {
  replace: "Replace (destroy and re-create)",
  delete: "Destroy",
  create: "Add",
  update: "Update in place",
  read: "Data sources re-read",
};

const SYMBOLS: Record<ChangeAction, string> = { replace: "-/+", delete: "-", create: "+", update: "~", read: "<=" };

export function renderDiff(diff: EstateDiff, format: DiffFormat): string {
  switch (format) {
    case "markdown":
      return renderMarkdown(diff);
    case "text":
      return renderText(diff);
    case "json":
      return `${JSON.stringify(diffToJson(diff), null, 2)}\n`;
  }
}

/** The diff as plain data for tools: every change, attribute by attribute. */
export function diffToJson(diff: EstateDiff): unknown {
  return {
    base: diff.base,
    head: diff.head,
    hasChanges: diff.stacks.some((s) => s.changes.length > 0) || diff.files.length > 0,
    summary: diff.stacks.map((s) => ({ stack: s.name, status: s.status, ...countChanges(s.changes) })),
    stacks: diff.stacks
      .filter((s) => s.changes.length > 0)
      .map((s) => ({
        name: s.name,
        status: s.status,
        changes: s.changes.map((c) => ({
          address: c.address,
          resource: c.resource,
          type: c.type,
          ...(c.key !== undefined ? { key: c.key } : {}),
          action: c.action,
          attributes: c.attributes,
        })),
      })),
    security: diff.security,
    files: diff.files,
    notes: diff.notes,
  };
}

export function renderMarkdown(diff: EstateDiff): string {
  const full = markdownDocument(diff, true);
  if (full.length <= MARKDOWN_LIMIT) return full;
  // Too long for a PR comment: keep the summary, the replacements and the security table.
  const short = markdownDocument(diff, false);
  if (short.length <= MARKDOWN_LIMIT) return short;
  return `${short.slice(0, MARKDOWN_LIMIT).replace(/\n[^\n]*$/, "")}\n\n_(truncated: the diff is longer than a PR comment can hold; run \`estate diff --format text\` for all of it)_\n`;
}

function markdownDocument(diff: EstateDiff, withDetails: boolean): string {
  const changed = diff.stacks.filter((s) => s.changes.length > 0);
  const unchanged = diff.stacks.length - changed.length;
  const out: string[] = ["### Estate diff", ""];
  out.push(`Base: ${code(diff.base)} → ${code(diff.head)}`, "");
  if (changed.length === 0) {
    out.push(diff.files.length === 0 ? "No changes: every stack and artifact is identical." : "No Terraform changes; other generated files differ (below).", "");
  } else {
    out.push(`**${changed.length} ${plural(changed.length, "stack")} changed**${unchanged > 0 ? `, ${unchanged} unchanged` : ""}.`, "");
    out.push("| Stack | Add | Change | Replace | Destroy | Data re-read |", "|:--|--:|--:|--:|--:|--:|");
    for (const s of changed) {
      const c = countChanges(s.changes);
      const status = s.status === "added" ? " (new stack)" : s.status === "removed" ? " (stack removed)" : "";
      out.push(`| ${code(s.name)}${status} | ${c.create} | ${c.update} | ${c.replace > 0 ? `**${c.replace}**` : "0"} | ${c.delete > 0 ? `**${c.delete}**` : "0"} | ${c.read} |`);
    }
    out.push("");
    const replaced = changed.flatMap((s) => groupChanges(s.changes).filter((g) => g.action === "replace"));
    if (replaced.length > 0) {
      const total = replaced.reduce((n, g) => n + g.addresses.length, 0);
      out.push("> [!CAUTION]", `> **${total} resource ${plural(total, "instance")} will be destroyed and re-created:**`);
      for (const g of replaced) out.push(`> - ${code(g.stack)}: ${markdownLabel(g)} (forced by ${forcing(g).map(code).join(", ")})`);
      out.push("");
    }
  }
  out.push(...costChangeMarkdown(diff.cost));
  if (diff.security.length > 0) {
    out.push("#### Security-relevant changes", "");
    out.push("| Stack | Resource | Change | What | Before | After | Risk |", "|:--|:--|:--|:--|:--|:--|:--|");
    for (const r of diff.security) {
      out.push(
        `| ${code(r.stack)} | ${code(r.address)} | ${r.change} | ${cell(r.subject)} | ${r.before !== undefined ? code(r.before) : ""} | ${r.after !== undefined ? code(r.after) : ""} | ${r.risk ? `⚠️ **${cell(r.risk)}**` : ""} |`,
      );
    }
    out.push("");
  }
  if (withDetails) for (const s of changed) out.push(...markdownStack(s));
  else if (changed.length > 0) out.push("_Per-stack details are left out: the full diff is longer than a PR comment can hold. Run `estate diff --format text` (or `--format json`) for all of it._", "");
  if (diff.files.length > 0) {
    out.push(`<details><summary>Other generated files changed (${diff.files.length})</summary>`, "");
    for (const f of diff.files) out.push(`- ${f.change}: ${code(f.path)}`);
    out.push("", "</details>", "");
  }
  if (diff.notes.length > 0) {
    out.push("<details><summary>Notes on this diff</summary>", "");
    for (const n of diff.notes) out.push(`- ${cell(n)}`);
    out.push("", "</details>", "");
  }
  return `${out.join("\n").replace(/\n+$/, "")}\n`;
}

function markdownStack(stack: StackDiff): string[] {
  const status = stack.status === "added" ? " (new stack)" : stack.status === "removed" ? " (stack removed)" : "";
  const out: string[] = [`#### ${code(stack.name)}${status}`, ""];
  const groups = groupChanges(stack.changes);
  for (const action of ["replace", "delete", "create", "update", "read"] as const) {
    const of = groups.filter((g) => g.action === action);
    if (of.length === 0) continue;
    out.push(`**${HEADINGS[action]}**`, "");
    if (action === "create" || action === "delete") out.push(...markdownCreates(of));
    else for (const g of of) out.push(...markdownGroup(g));
    out.push("");
  }
  return out;
}

/** Hosts coming or going, one line each, unless a resource has many: then one line with a count. */
function markdownCreates(groups: readonly ChangeGroup[]): string[] {
  const byResource = new Map<string, ChangeGroup[]>();
  for (const g of groups) byResource.set(g.resource, [...(byResource.get(g.resource) ?? []), g]);
  const lines: string[] = [];
  for (const [resource, of] of byResource) {
    if (of.length <= LISTED_CREATES_LIMIT) {
      for (const g of of) lines.push(`- ${code(g.addresses[0])}`);
      continue;
    }
    const names = of.map((g) => (g.keys.length === 1 ? String(g.keys[0]) : g.addresses[0]));
    lines.push(`- ${code(resource)}: ${of.length} instances`, ...instanceDetails(names));
  }
  return lines;
}

function instanceDetails(names: readonly string[]): string[] {
  const shown = names.slice(0, LISTED_INSTANCES_LIMIT).map(code).join(", ");
  const more = names.length > LISTED_INSTANCES_LIMIT ? ` … and ${names.length - LISTED_INSTANCES_LIMIT} more` : "";
  if (names.length <= INLINE_INSTANCES_LIMIT) return [`  - instances: ${shown}`];
  return [`  <details><summary>${names.length} instances</summary>`, "", `  ${shown}${more}`, "", "  </details>"];
}

function markdownGroup(g: ChangeGroup): string[] {
  const label = markdownLabel(g);
  if (g.action === "create" || g.action === "delete") return [`- ${label}`];
  const attrs = g.attributes;
  const inline = attrs.length <= 2 && attrs.every((a) => valueText(a.before).length <= INLINE_VALUE_LIMIT && afterText(a).length <= INLINE_VALUE_LIMIT);
  const lines: string[] = [];
  if (inline) {
    lines.push(`- ${label}: ${attrs.map((a) => `${code(a.path)} ${code(valueText(a.before))} → ${code(afterText(a))}${a.forcesReplacement ? " ⚠️ forces replacement" : ""}`).join("; ")}`);
  } else {
    const forced = forcing(g);
    lines.push(`- ${label}: ${attrs.length} ${plural(attrs.length, "attribute")}${forced.length > 0 ? `, replacement forced by ${forced.map(code).join(", ")}` : ""}`);
    lines.push("  <details><summary>Attributes</summary>", "", "  | Attribute | Before | After |", "  |:--|:--|:--|");
    for (const a of attrs) {
      lines.push(`  | ${code(a.path)}${a.forcesReplacement ? " ⚠️ forces replacement" : ""} | ${code(valueText(a.before))} | ${code(afterText(a))} |`);
    }
    lines.push("", "  </details>");
  }
  if (g.addresses.length > 1) lines.push(...instanceDetails(g.keys.length === g.addresses.length ? g.keys.map(String) : g.addresses));
  return lines;
}

export function renderText(diff: EstateDiff): string {
  const changed = diff.stacks.filter((s) => s.changes.length > 0);
  const out: string[] = [`Estate diff: base ${diff.base} -> ${diff.head}`];
  if (changed.length === 0) out.push(diff.files.length === 0 ? "No changes." : "No Terraform changes; other generated files differ.");
  else out.push(`${changed.length} ${plural(changed.length, "stack")} changed, ${diff.stacks.length - changed.length} unchanged.`);
  for (const s of changed) {
    const c = countChanges(s.changes);
    const status = s.status === "added" ? " (new stack)" : s.status === "removed" ? " (stack removed)" : "";
    out.push("", `${s.name}${status}: ${c.create} to add, ${c.update} to change, ${c.replace} to replace, ${c.delete} to destroy, ${c.read} data ${plural(c.read, "source")} re-read`);
    for (const g of groupChanges(s.changes)) {
      out.push(`  ${SYMBOLS[g.action].padEnd(3)} ${textLabel(g)}${g.action === "replace" ? " (replace)" : ""}`);
      for (const a of g.attributes) {
        out.push(`        ${a.path}: ${valueText(a.before)} -> ${afterText(a)}${a.forcesReplacement ? "  # forces replacement" : ""}`);
      }
      if (g.addresses.length > 1 && g.action !== "create" && g.action !== "delete") {
        const names = g.keys.length === g.addresses.length ? g.keys.map(String) : g.addresses;
        out.push(`        instances: ${names.join(", ")}`);
      }
    }
  }
  if (diff.security.length > 0) {
    out.push("", "Security-relevant changes:");
    const rows = diff.security.map((r) => [r.stack, r.address, r.change, r.subject, r.before ?? "", r.after ?? "", r.risk ? `! ${r.risk}` : ""]);
    out.push(
      ...formatTable(
        ["STACK", "RESOURCE", "CHANGE", "WHAT", "BEFORE", "AFTER", "RISK"].map((header) => ({ header })),
        rows,
      ).map((l) => `  ${l}`),
    );
  }
  if (diff.files.length > 0) {
    out.push("", "Other generated files changed:");
    for (const f of diff.files) out.push(`  ${f.change}: ${f.path}`);
  }
  if (diff.notes.length > 0) {
    out.push("", "Notes:");
    for (const n of diff.notes) out.push(`  - ${n}`);
  }
  return `${out.join("\n")}\n`;
}

function markdownLabel(g: ChangeGroup): string {
  const label = groupLabel(g);
  return label.instances === undefined ? code(label.address) : `${code(label.address)} on ${label.instances} instances`;
}

function textLabel(g: ChangeGroup): string {
  const label = groupLabel(g);
  return label.instances === undefined ? label.address : `${label.address} on ${label.instances} instances`;
}

function forcing(g: ChangeGroup): string[] {
  return [...new Set(g.attributes.filter((a) => a.forcesReplacement).map((a) => a.path))];
}

function valueText(value: unknown): string {
  return show(value);
}

function afterText(a: AttributeChange): string {
  if (a.knownAfterApply) return `(known after apply: ${a.knownAfterApply} changes)`;
  return show(a.after);
}

/** Inline code that survives backticks and table pipes in the value. */
function code(text: string): string {
  const escaped = text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return escaped.includes("`") ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
