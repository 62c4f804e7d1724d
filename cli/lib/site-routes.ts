/**
 * Replacing a site's `routes` in an environment file. As for the traffic state (traffic-state.ts), the yaml
 * Document API finds the node and the new list is spliced into the original text at its range: every comment,
 * quote and key outside the list stays byte-for-byte as it was. Each route is written as a one-line flow mapping,
 * `- { destination: 10.60.0.0/16, nextHop: 10.10.0.254 }`, the style of the bundled environments.
 */
import { isMap, isScalar, parseDocument } from "yaml";
import { formatPath } from "../../model";
import type { CentralRoute } from "../../routes";
import { CommandError } from "./errors";
import { findSite } from "./traffic-state";

export interface RoutesEdit {
  /** The file's new text (identical to the input when nothing changes). */
  readonly text: string;
  readonly changed: boolean;
  /** Where the routes live, e.g. `sites.openstack[0].routes`. */
  readonly path: string;
}

export function setSiteRoutes(text: string, file: string, site: string, routes: readonly CentralRoute[]): RoutesEdit {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new CommandError(`${file}: not valid YAML (${doc.errors[0].message.split("\n")[0]}); run \`estate validate\``);
  const sitePath = findSite(doc, file, site);
  const routesPath = [...sitePath, "routes"];
  const path = formatPath(routesPath);
  const siteNode = doc.getIn(sitePath, true);
  if (!isMap(siteNode) || siteNode.flow) throw new CommandError(`${file}: ${formatPath(sitePath)} must be a block mapping to take routes; edit it by hand`);
  const pair = siteNode.items.find((p) => isScalar(p.key) && p.key.value === "routes");
  const before = JSON.stringify(doc.getIn(routesPath) ?? []);
  if (before === JSON.stringify(routes.map((r) => ({ destination: r.destination, nextHop: r.nextHop })))) return { text, changed: false, path };

  let next: string;
  if (pair && isScalar(pair.key) && pair.key.range) {
    const keyStart = pair.key.range[0];
    const valueEnd = endOfContent(text, (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ?? pair.key.range[1] + 1);
    next = `${text.slice(0, keyStart)}${routesBlock(routes, column(text, keyStart))}${text.slice(valueEnd)}`;
  } else {
    // No routes key yet: the list goes in as the site's last key, after its last value.
    const last = siteNode.items[siteNode.items.length - 1];
    const lastKey = last?.key;
    const lastEnd = (last?.value as { range?: [number, number, number] } | null)?.range?.[1];
    const end = lastEnd === undefined ? undefined : endOfContent(text, lastEnd);
    if (!isScalar(lastKey) || !lastKey.range || end === undefined) throw new CommandError(`${file}: cannot find where to add ${path}; add \`routes: []\` to the site and run again`);
    const indent = column(text, lastKey.range[0]);
    next = `${text.slice(0, end)}\n${" ".repeat(indent)}${routesBlock(routes, indent)}${text.slice(end)}`;
  }

  // The edit must hold exactly the routes asked for, and nothing else in the document may have moved.
  const check = parseDocument(next);
  const expected = parseDocument(text);
  expected.setIn(routesPath, routes.map((r) => ({ destination: r.destination, nextHop: r.nextHop })));
  if (check.errors.length > 0 || JSON.stringify(check.toJS()) !== JSON.stringify(expected.toJS())) {
    throw new CommandError(`${file}: could not replace ${path} without disturbing the file; edit it by hand (estate routes --print prints the list)`);
  }
  return { text: next, changed: true, path };
}

/** The routes as YAML: `routes:` and one flow mapping per line (`routes: []` when there are none). */
export function routesBlock(routes: readonly CentralRoute[], indent = 0): string {
  if (routes.length === 0) return "routes: []";
  const pad = " ".repeat(indent + 2);
  return ["routes:", ...routes.map((r) => `${pad}- { destination: ${r.destination}, nextHop: ${r.nextHop} }`)].join("\n");
}

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** A block collection's range ends after its last line break: step back over trailing blanks to its last character. */
function endOfContent(text: string, end: number): number {
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  return end;
}
