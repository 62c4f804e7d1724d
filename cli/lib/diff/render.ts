/** Markdown (for a PR comment), plain text and JSON renderings of an EstateDiff. Deterministic: same diff, same bytes. */
import { costChangeMarkdown } from "../cost/diff-section";
import { ACTION_ORDER, groupChanges, groupLabel, type ChangeGroup } from "./group";
import { groupSecurity, show } from "./security";
import { countChanges, type AttributeChange, type ChangeAction, type ChangeCounts, type ElementChange, type EstateDiff, type SecurityGroup, type StackDiff } from "./types";

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
/** Text output is wrapped to this many columns, a terminal's width. */
export const TEXT_COLUMNS = 100;

const HEADINGS: Record<ChangeAction, string> = {
  replace: "Replace (destroy and re-create)",
  delete: "Destroy",
  create: "Add",
  update: "Update in place",
  read: "Data sources read",
  forget: "Forget (leaves the state; nothing is destroyed)",
  import: "Import (existing objects brought under management)",
};

/** The symbols `terraform plan` prints before each action. */
const SYMBOLS: Record<ChangeAction, string> = { replace: "-/+", delete: "-", create: "+", update: "~", read: "<=", forget: ".", import: "<-" };
/** Placeholders a plan puts where a value is not shown; printed bare, never quoted. */
export const SENSITIVE_VALUE = "(sensitive value)";
export const UNKNOWN_VALUE = "(known after apply)";

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
          ...(c.importing ? { importing: true } : {}),
          attributes: c.attributes,
        })),
      })),
    security: groupSecurity(diff.security),
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
    const counts = changed.map((s) => countChanges(s.changes));
    const imports = counts.some((c) => c.import > 0);
    const forgets = counts.some((c) => c.forget > 0);
    out.push(
      `| Stack |${imports ? " Import |" : ""} Add | Change | Destroy | Replace |${forgets ? " Forget |" : ""} Data read |`,
      `|:--|${imports ? "--:|" : ""}--:|--:|--:|--:|${forgets ? "--:|" : ""}--:|`,
    );
    changed.forEach((s, i) => {
      const c = counts[i];
      const bold = (n: number) => (n > 0 ? `**${n}**` : "0");
      out.push(`| ${code(s.name)}${stackStatus(s)} |${imports ? ` ${c.import} |` : ""} ${c.add} | ${c.change} | ${bold(c.destroy)} | ${bold(c.replace)} |${forgets ? ` ${c.forget} |` : ""} ${c.read} |`);
    });
    out.push("", "_Counted as `terraform plan` counts: resource instances only, a replacement both added and destroyed._", "");
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
    out.push("| Exposure | What | Change | Before | After | Stacks | Resources |", "|:--|:--|:--|:--|:--|:--|:--|");
    for (const g of groupSecurity(diff.security)) {
      const exposure = g.exposure === "wider" ? `⚠️ **wider**: ${cell(g.label)}` : `${g.exposure}: ${cell(g.label)}`;
      const resources = g.places.map((p) => p.addresses.map(code).join("<br>")).join("<br>");
      const stacks = g.stacks.map(code).join(", ");
      const where = g.places.length > 1 ? g.places.map((p) => `${p.stacks.map(code).join(", ")}: ${p.addresses.map(code).join(", ")}`).join("<br>") : resources;
      out.push(`| ${exposure} | ${cell(g.subject)} | ${g.change} | ${g.before !== undefined ? code(g.before) : ""} | ${g.after !== undefined ? code(g.after) : ""} | ${stacks} | ${where} |`);
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

function stackStatus(stack: StackDiff): string {
  return stack.status === "added" ? " (new stack)" : stack.status === "removed" ? " (stack removed)" : "";
}

function markdownStack(stack: StackDiff): string[] {
  const out: string[] = [`#### ${code(stack.name)}${stackStatus(stack)}`, ""];
  const groups = groupChanges(stack.changes);
  for (const action of ACTION_ORDER) {
    const of = groups.filter((g) => g.action === action);
    if (of.length === 0) continue;
    out.push(`**${HEADINGS[action]}**`, "");
    if (action === "create" || action === "delete" || action === "forget") out.push(...markdownCreates(of));
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
      for (const g of of) lines.push(`- ${code(g.addresses[0])}${g.importing ? " (imported)" : ""}`);
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
  const inline = attrs.length <= 2 && attrs.every((a) => (a.elements ? changedElements(a.elements).join(", ").length <= INLINE_VALUE_LIMIT : valueText(a.before).length <= INLINE_VALUE_LIMIT && afterText(a).length <= INLINE_VALUE_LIMIT));
  const lines: string[] = [];
  const imported = g.importing ? " (imported)" : "";
  if (attrs.length === 0) return [`- ${label}${imported}`];
  if (inline) {
    lines.push(`- ${label}${imported}: ${attrs.map((a) => `${code(a.path)} ${markdownChange(a)}${a.forcesReplacement ? " ⚠️ forces replacement" : ""}`).join("; ")}`);
  } else {
    const forced = forcing(g);
    lines.push(`- ${label}${imported}: ${attrs.length} ${plural(attrs.length, "attribute")}${forced.length > 0 ? `, replacement forced by ${forced.map(code).join(", ")}` : ""}`);
    lines.push("  <details><summary>Attributes</summary>", "", "  | Attribute | Before | After |", "  |:--|:--|:--|");
    for (const a of attrs) {
      const [before, after] = a.elements ? elementCells(a.elements) : [code(valueText(a.before)), code(afterText(a))];
      lines.push(`  | ${code(a.path)}${a.forcesReplacement ? " ⚠️ forces replacement" : ""} | ${before} | ${after} |`);
    }
    lines.push("", "  </details>");
  }
  if (g.addresses.length > 1) lines.push(...instanceDetails(g.keys.length === g.addresses.length ? g.keys.map(String) : g.addresses));
  return lines;
}

/** `` `before` → `after` ``, or for a list or set the elements added and removed: `` + `x`, - `y` (15 unchanged elements) ``. */
function markdownChange(a: AttributeChange): string {
  if (!a.elements) return `${code(valueText(a.before))} → ${code(afterText(a))}`;
  const unchanged = a.elements.filter((e) => e.action === "no-op").length;
  const changes = a.elements.filter((e) => e.action !== "no-op").map((e) => `${e.action === "create" ? "+" : "-"} ${code(show(e.value))}`);
  return `${changes.join(", ")}${unchanged > 0 ? ` (${unchanged} unchanged ${plural(unchanged, "element")})` : ""}`;
}

function changedElements(elements: readonly ElementChange[]): string[] {
  return elements.filter((e) => e.action !== "no-op").map((e) => show(e.value));
}

function elementCells(elements: readonly ElementChange[]): [string, string] {
  const of = (action: ElementChange["action"], sign: string) => elements.filter((e) => e.action === action).map((e) => `${sign} ${code(show(e.value))}`).join("<br>");
  const unchanged = elements.filter((e) => e.action === "no-op").length;
  return [of("delete", "-"), [of("create", "+"), unchanged > 0 ? `(${unchanged} unchanged)` : ""].filter(Boolean).join("<br>")];
}

/** An element as `terraform plan` prints it: strings quoted, placeholders bare. */
function elementText(value: unknown): string {
  if (value === SENSITIVE_VALUE || value === UNKNOWN_VALUE) return value;
  return JSON.stringify(value);
}

/**
 * The changes of a stack line by line, as `terraform plan` prints them: a list attribute element by element with
 * one unchanged neighbour either side of each change (the rest counted), a set with its added and removed
 * elements only.
 */
function textAttribute(a: AttributeChange): string[] {
  const forces = a.forcesReplacement ? "  # forces replacement" : "";
  if (!a.elements) return [`        ${a.path}: ${valueText(a.before)} -> ${afterText(a)}${forces}`];
  const element = (e: ElementChange) => `            ${e.action === "create" ? "+" : e.action === "delete" ? "-" : " "} ${elementText(e.value)},`;
  const hidden = (n: number) => `              # (${n} unchanged ${plural(n, "element")} hidden)`;
  const out = [`        ~ ${a.path} = [${forces ? " # forces replacement" : ""}`];
  let unchanged: ElementChange[] = [];
  let showNext = false;
  const context = a.collection !== "set";
  for (const e of a.elements) {
    if (e.action === "no-op" && !showNext) {
      unchanged.push(e);
      continue;
    }
    showNext = false;
    if (context) {
      if (unchanged.length > 1) out.push(hidden(unchanged.length - 1));
      if (unchanged.length > 0) out.push(element(unchanged[unchanged.length - 1]));
      unchanged = [];
      if (e.action !== "no-op") showNext = true;
    }
    out.push(element(e));
  }
  if (unchanged.length > 0) out.push(hidden(unchanged.length));
  out.push("          ]");
  return out;
}

/** `3 to add, 1 to change, 3 to destroy (2 replaced); 1 data source read`, Terraform's words and arithmetic. */
export function countsText(c: ChangeCounts): string {
  const parts = [`${c.add} to add`, `${c.change} to change`, `${c.destroy} to destroy`];
  if (c.import > 0) parts.unshift(`${c.import} to import`);
  if (c.forget > 0) parts.push(`${c.forget} to forget`);
  return `${parts.join(", ")}${c.replace > 0 ? ` (${c.replace} replaced)` : ""}${c.read > 0 ? `; ${c.read} data ${plural(c.read, "source")} read` : ""}`;
}

export function renderText(diff: EstateDiff): string {
  const changed = diff.stacks.filter((s) => s.changes.length > 0);
  const out: string[] = [`Estate diff: base ${diff.base} -> ${diff.head}`];
  if (changed.length === 0) out.push(diff.files.length === 0 ? "No changes." : "No Terraform changes; other generated files differ.");
  else out.push(`${changed.length} ${plural(changed.length, "stack")} changed, ${diff.stacks.length - changed.length} unchanged.`);
  for (const s of changed) {
    out.push("", `${s.name}${stackStatus(s)}: ${countsText(countChanges(s.changes))}`);
    for (const g of groupChanges(s.changes)) {
      out.push(`  ${SYMBOLS[g.action].padEnd(3)} ${textLabel(g)}${textNote(g)}`);
      for (const a of g.attributes) out.push(...textAttribute(a));
      if (g.addresses.length > 1 && g.action !== "create" && g.action !== "delete" && g.action !== "forget") {
        const names = g.keys.length === g.addresses.length ? g.keys.map(String) : g.addresses;
        out.push(`        instances: ${names.join(", ")}`);
      }
    }
  }
  if (diff.security.length > 0) {
    const groups = groupSecurity(diff.security);
    const resources = new Set(diff.security.map((r) => `${r.stack}\u0000${r.address}`)).size;
    const stacks = new Set(diff.security.map((r) => r.stack)).size;
    out.push("", `Security-relevant changes: ${groups.length} (${resources} ${plural(resources, "resource")} in ${stacks} ${plural(stacks, "stack")})`);
    for (const g of groups) out.push(...textSecurity(g));
  }
  if (diff.files.length > 0) {
    out.push("", "Other generated files changed:");
    for (const f of diff.files) out.push(`  ${f.change}: ${f.path}`);
  }
  if (diff.notes.length > 0) {
    out.push("", "Notes:");
    for (const n of diff.notes) out.push(`  - ${n}`);
  }
  return `${out.flatMap((l) => wrapLine(l, TEXT_COLUMNS)).join("\n")}\n`;
}

function textNote(g: ChangeGroup): string {
  if (g.action === "replace") return " (replace)";
  if (g.action === "forget") return g.mode === "data" ? " (no longer read; nothing is destroyed)" : " (removed from state; not destroyed)";
  return g.importing ? " (import)" : "";
}

/**
 * One security change as a block: what and which way, the label, then where (stacks, then addresses).
 *   ! WIDER     ingress tcp/22 added: tcp/22 from 203.0.113.0/24
 *               admits 203.0.113.0/24 (public range) on tcp/22
 *               in review-os-a, review-os-b, review-os-c:
 *                 openstack_networking_secgroup_rule_v2.api_security_group_ssh_from203_0_113_0_24
 */
function textSecurity(g: SecurityGroup): string[] {
  const value = g.change === "changed" && g.before !== undefined && g.after !== undefined ? `${g.before} -> ${g.after}` : (g.after ?? g.before ?? "");
  const indent = " ".repeat(14);
  const header = `  ${g.exposure === "wider" ? "!" : " "} ${g.exposure.toUpperCase().padEnd(9)} ${g.subject} ${g.change}${value ? `: ${value}` : ""}`;
  const out = [...wrapLine(header, TEXT_COLUMNS, indent.length), `${indent}${g.label}`];
  for (const p of g.places) {
    out.push(`${indent}in ${p.stacks.join(", ")}:`);
    for (const address of p.addresses) out.push(`${indent}  ${address}`);
  }
  return out;
}

/**
 * A line cut to `width` columns at a space or after a comma (else after a resource type's dot, an underscore or a
 * slash), continued with `continuation` spaces (default: the line's indentation plus four); a run with no break
 * opportunity is cut where the width ends.
 */
export function wrapLine(line: string, width: number, continuation?: number): string[] {
  if (line.length <= width) return [line];
  const indent = " ".repeat(Math.min(continuation ?? (/^ */.exec(line)?.[0].length ?? 0) + 4, width / 2));
  const out: string[] = [];
  let rest = line;
  let prefix = "";
  while ((prefix + rest).length > width) {
    const room = width - prefix.length;
    const window = rest.slice(0, room + 1);
    const start = prefix ? 0 : (/^ */.exec(rest)?.[0].length ?? 0);
    let cut = Math.max(window.lastIndexOf(" "), window.lastIndexOf(",") + 1);
    // No space or comma: after an address's resource type, else after its last underscore or slash.
    if (cut <= start) cut = window.indexOf(".", start) + 1;
    if (cut <= start) cut = Math.max(window.lastIndexOf("_"), window.lastIndexOf("/")) + 1;
    if (cut <= start) cut = room;
    out.push((prefix + rest.slice(0, cut)).replace(/\s+$/, ""));
    rest = rest.slice(cut).replace(/^ +/, "");
    prefix = indent;
  }
  if (rest) out.push(prefix + rest);
  return out;
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

/** A value written the same that changes underneath names what changes; a new expression stays readable. */
function afterText(a: AttributeChange): string {
  if (!a.knownAfterApply) return show(a.after);
  return show(a.after) === show(a.before) ? `(known after apply: ${a.knownAfterApply} changes)` : `${show(a.after)} (known after apply)`;
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
