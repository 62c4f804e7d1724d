/**
 * Editing an image's rollout in an environment file, in place: like `estate drain`, the yaml Document API finds
 * the nodes and the edit is spliced into the original text at their ranges, so every comment and every other line
 * stays byte for byte. The `rollout:` block itself is written by the tool (block style, one key a line) and
 * rewritten whole at each step: comments inside it are not kept.
 */
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Pair, type YAMLMap } from "yaml";
import { formatPath, type ImageRolloutInput } from "../../model";
import { CommandError, UsageError } from "./errors";

/** The rollout as written in the file: defaults left out. */
export type RolloutBlock = Omit<ImageRolloutInput, "aborted" | "openstack"> & {
  readonly openstack: ImageRolloutInput["openstack"];
  readonly aborted?: boolean;
};

function parse(text: string, file: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new CommandError(`${file}: not valid YAML (${doc.errors[0].message.split("\n")[0]}); run \`estate validate\``);
  return doc;
}

/** Index of image `image` in `images`, or a usage error naming the images there are. */
export function findImage(doc: Document, file: string, image: string): number {
  const images = doc.get("images", true);
  const known: string[] = [];
  if (isSeq(images)) {
    for (let i = 0; i < images.items.length; i++) {
      const item = images.items[i];
      const name = isMap(item) ? item.get("name") : undefined;
      if (typeof name === "string") known.push(name);
      if (name === image) return i;
    }
  }
  throw new UsageError(`no image "${image}" in ${file} (images: ${known.join(", ") || "none"})`);
}

function imageMap(doc: Document, file: string, index: number): YAMLMap {
  const node = doc.getIn(["images", index], true);
  if (!isMap(node) || node.flow) throw new CommandError(`${file}: ${formatPath(["images", index])} must be a block mapping (one key a line) for estate rollout to edit it; rewrite it so, or edit by hand`);
  return node;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

/** Start of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** End of the node's last line (after its newline), so a whole `key: value` block can be cut or followed. */
function lineEnd(text: string, offset: number): number {
  // A node's range ends after trailing whitespace and comments on its last line; back up to real content.
  let end = offset;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const nl = text.indexOf("\n", end);
  return nl < 0 ? text.length : nl + 1;
}

/** `rollout:` and its block, indented under the image's keys. */
function renderBlock(rollout: RolloutBlock, indent: string): string {
  const ordered: Record<string, unknown> = {
    version: rollout.version,
    ...(Object.keys(rollout.openstack).length > 0 ? { openstack: rollout.openstack } : {}),
    ...(rollout.aws ? { aws: rollout.aws } : {}),
    batch: rollout.batch,
    order: rollout.order,
    step: rollout.step,
    ...(rollout.rollbackFrom !== undefined ? { rollbackFrom: rollout.rollbackFrom } : {}),
    ...(rollout.aborted ? { aborted: true } : {}),
    ...(rollout.hosts ? { hosts: rollout.hosts } : {}),
  };
  // Site references and the order on one line each, as the file writes image references.
  const doc = new Document(ordered);
  const flow = (path: string[]) => {
    const node = doc.getIn(path, true);
    if (isMap(node) || isSeq(node)) node.flow = true;
  };
  for (const site of Object.keys(rollout.openstack)) flow(["openstack", site]);
  flow(["aws"]);
  flow(["order"]);
  flow(["hosts"]);
  const body = doc.toString({ flowCollectionPadding: true, lineWidth: 0 }).trimEnd().split("\n");
  return [`${indent}rollout:`, ...body.map((l) => `${indent}  ${l}`)].join("\n") + "\n";
}

/**
 * Writes the image's rollout block (replacing the one there) or removes it (`rollout` undefined). Returns the new
 * text, checked: parsed back, it holds exactly the rollout asked for.
 */
export function setRolloutBlock(text: string, file: string, image: string, rollout: RolloutBlock | undefined): string {
  const doc = parse(text, file);
  const index = findImage(doc, file, image);
  const map = imageMap(doc, file, index);
  const first = map.items[0]?.key;
  if (!isScalar(first) || !first.range) throw new CommandError(`${file}: ${formatPath(["images", index])} is empty`);
  const indent = text.slice(lineStart(text, first.range[0]), first.range[0]).replace(/[^ ]/g, " ");
  const existing = pairOf(map, "rollout");
  // The block is written with the file's own line ends.
  const block = (r: RolloutBlock) => (text.includes("\r\n") ? renderBlock(r, indent).replace(/\n/g, "\r\n") : renderBlock(r, indent));
  let next: string;
  if (existing) {
    const key = existing.key as { range?: [number, number, number] };
    const value = existing.value as { range?: [number, number, number] } | null;
    if (!key.range || !value?.range) throw new CommandError(`${file}: ${formatPath(["images", index, "rollout"])} cannot be edited in place; edit it by hand`);
    const start = lineStart(text, key.range[0]);
    const end = lineEnd(text, value.range[1]);
    next = text.slice(0, start) + (rollout ? block(rollout) : "") + text.slice(end);
  } else {
    if (!rollout) return text;
    const last = map.items[map.items.length - 1];
    const lastValue = (last.value ?? last.key) as { range?: [number, number, number] };
    const end = lineEnd(text, lastValue.range![1]);
    const sep = end === text.length && !text.endsWith("\n") ? (text.includes("\r\n") ? "\r\n" : "\n") : "";
    next = text.slice(0, end) + sep + block(rollout) + text.slice(end);
  }
  const check = (parse(next, file).toJS() as { images: { rollout?: RolloutBlock }[] }).images[index].rollout;
  const want = rollout ? normalized(rollout) : undefined;
  const got = check === undefined ? undefined : normalized(check);
  if (want !== got) throw new CommandError(`${file}: could not write ${formatPath(["images", index, "rollout"])} without disturbing the file; edit it by hand`);
  return next;
}

/** Canonical text of a rollout (keys sorted, defaults filled), to compare what was asked with what was written. */
function normalized(r: RolloutBlock): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sorted({ ...r, aborted: r.aborted ?? false, openstack: r.openstack ?? {} }));
}

/**
 * Ends a finished rollout: the image's `version` and each reference it rolled become the rollout's, and the
 * rollout block goes. References of sites the rollout did not name stay.
 */
/**
 * A string written where a scalar of the given style stood, keeping that style when it reads back as the same
 * string: a plain `2027.1`, `true` or `null` would read back as a number, a boolean or null, so it is double-quoted.
 */
function scalarText(value: string, style: string | undefined): string {
  if (style === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
  if (style !== "QUOTE_DOUBLE" && parseDocument(value).toJS() === value && !/[\n#]|^\s|\s$/.test(value)) return value;
  return JSON.stringify(value);
}

export function finishRollout(text: string, file: string, image: string, rollout: RolloutBlock): string {
  const doc = parse(text, file);
  const index = findImage(doc, file, image);
  const map = imageMap(doc, file, index);
  const edits: { start: number; end: number; text: string }[] = [];
  const replaceValue = (node: unknown, value: unknown, path: (string | number)[]) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range) throw new CommandError(`${file}: ${formatPath(path)} cannot be edited in place; edit it by hand`);
    const scalar = isScalar(node);
    const rendered = typeof value === "string" ? scalarText(value, scalar ? node.type : undefined) : stringify(value, { collectionStyle: "flow", flowCollectionPadding: true, lineWidth: 0 }).trim();
    edits.push({ start: range[0], end: range[1], text: rendered });
  };
  const version = pairOf(map, "version");
  if (!version) throw new CommandError(`${file}: ${formatPath(["images", index, "version"])} is missing`);
  replaceValue(version.value, rollout.version, ["images", index, "version"]);
  const openstack = pairOf(map, "openstack")?.value;
  for (const [site, ref] of Object.entries(rollout.openstack)) {
    const pair = isMap(openstack) ? pairOf(openstack, site) : undefined;
    if (!pair) throw new CommandError(`${file}: ${formatPath(["images", index, "openstack", site])} is missing; add the site's reference by hand`);
    replaceValue(pair.value, ref, ["images", index, "openstack", site]);
  }
  if (rollout.aws) {
    const pair = pairOf(map, "aws");
    if (!pair) throw new CommandError(`${file}: ${formatPath(["images", index, "aws"])} is missing; add it by hand`);
    replaceValue(pair.value, rollout.aws, ["images", index, "aws"]);
  }
  let next = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) next = next.slice(0, e.start) + e.text + next.slice(e.end);
  next = setRolloutBlock(next, file, image, undefined);
  const check = parse(next, file);
  if (check.getIn(["images", index, "version"]) !== rollout.version) throw new CommandError(`${file}: could not finish the rollout without disturbing the file; edit it by hand`);
  return next;
}
