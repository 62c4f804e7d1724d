/**
 * Setting a site's traffic state in an environment file. The yaml Document API finds the exact node; the edit is
 * spliced into the original text at that node's range, so comments, quoting, flow style and everything else in
 * the file stay byte-for-byte as they were.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from "yaml";
import { formatPath, type TrafficState } from "../../model";
import { CommandError, UsageError } from "./errors";

export interface TrafficEdit {
  /** The file's new text (identical to the input when nothing changes). */
  readonly text: string;
  readonly changed: boolean;
  /** State before the edit (`active` when the file leaves it out). */
  readonly previous: TrafficState;
  /** Where the state lives, e.g. `sites.openstack[1].traffic.state`. */
  readonly path: string;
}

export function setTrafficState(text: string, file: string, site: string, state: TrafficState): TrafficEdit {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new CommandError(`${file}: not valid YAML (${doc.errors[0].message.split("\n")[0]}); run \`estate validate\``);
  const sitePath = findSite(doc, file, site);
  const trafficPath = [...sitePath, "traffic"];
  const traffic = doc.getIn(trafficPath, true);
  if (!isMap(traffic)) throw new CommandError(`${file}: ${formatPath(trafficPath)} must be a mapping with weight (and state); fix the file first`);
  const statePath = formatPath([...trafficPath, "state"]);
  const pair = traffic.items.find((p) => isScalar(p.key) && p.key.value === "state");

  let next: string;
  let previous: TrafficState;
  if (pair && isScalar(pair.value) && pair.value.range) {
    previous = pair.value.value === "drained" ? "drained" : "active";
    if (previous === state) return { text, changed: false, previous, path: statePath };
    const quote = pair.value.type === "QUOTE_DOUBLE" ? '"' : pair.value.type === "QUOTE_SINGLE" ? "'" : "";
    const [start, end] = pair.value.range;
    next = `${text.slice(0, start)}${quote}${state}${quote}${text.slice(end)}`;
  } else if (pair) {
    throw new CommandError(`${file}: ${statePath} must be "active" or "drained"; fix the file first`);
  } else {
    previous = "active";
    if (state === "active") return { text, changed: false, previous, path: statePath };
    next = insertState(text, traffic, state);
  }

  // The edit must say exactly what was asked, and nothing else may have moved.
  const check = parseDocument(next);
  if (check.errors.length > 0 || check.getIn([...trafficPath, "state"]) !== state) {
    throw new CommandError(`${file}: could not set ${statePath} to ${state} without disturbing the file; edit it by hand`);
  }
  return { text: next, changed: true, previous, path: statePath };
}

export function findSite(doc: Document, file: string, site: string): (string | number)[] {
  const known: string[] = [];
  const openstack = doc.getIn(["sites", "openstack"], true);
  if (isSeq(openstack)) {
    for (let i = 0; i < openstack.items.length; i++) {
      const item = openstack.items[i];
      const name = isMap(item) ? item.get("name") : undefined;
      if (typeof name === "string") known.push(name);
      if (name === site) return ["sites", "openstack", i];
    }
  }
  const aws = doc.getIn(["sites", "aws"], true);
  if (isMap(aws)) {
    const name = aws.get("name");
    if (typeof name === "string") known.push(name);
    if (name === site) return ["sites", "aws"];
  }
  throw new UsageError(`no site "${site}" in ${file} (sites: ${known.join(", ") || "none"})`);
}

/** Adds `state: <state>` as the first key of the traffic mapping, in the mapping's own style. */
function insertState(text: string, traffic: YAMLMap, state: TrafficState): string {
  const first = traffic.items[0]?.key;
  const at = isScalar(first) && first.range ? first.range[0] : undefined;
  if (traffic.flow) {
    if (at !== undefined) return `${text.slice(0, at)}state: ${state}, ${text.slice(at)}`;
    const [start, end] = traffic.range!;
    return `${text.slice(0, start)}{ state: ${state} }${text.slice(end)}`;
  }
  if (at === undefined) throw new CommandError("the traffic mapping is empty; add weight: and state: by hand");
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  const indent = text.slice(lineStart, at);
  return `${text.slice(0, at)}state: ${state}\n${/^\s*$/.test(indent) ? indent : " ".repeat(indent.length)}${text.slice(at)}`;
}
