/**
 * Where a path of an environment file sits in its text (line and column), for problems found after loading: policy
 * findings and refusals of the stacks. The loader locates its own problems with the same walk.
 */
import { readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";

export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

/**
 * The line and column of `path` in a parsed document: its key when the path ends at a mapping key, else its value.
 * A path that does not exist in the file (a default) is placed at the deepest part of it that does.
 */
export function locateInDocument(doc: Document, lines: LineCounter, path: readonly (string | number)[]): Partial<SourceLocation> {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
    const keyNode = depth > 0 ? keyNodeAt(doc, path.slice(0, depth)) : undefined;
    const range = keyNode?.range ?? node?.range;
    if (range) {
      const pos = lines.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

/**
 * A function giving the line and column of a path in the environment file `file`, which is read and parsed once.
 * It answers undefined when the file cannot be read or parsed (it changed since it was loaded): a report then
 * still prints, only without a line.
 */
export function fileLocator(file: string): (path: readonly (string | number)[]) => SourceLocation | undefined {
  let parsed: { doc: Document; lines: LineCounter } | undefined;
  try {
    const lines = new LineCounter();
    parsed = { doc: parseDocument(readFileSync(file, "utf8"), { lineCounter: lines }), lines };
  } catch {
    parsed = undefined;
  }
  return (path) => {
    if (!parsed) return undefined;
    const at = locateInDocument(parsed.doc, parsed.lines, path);
    return at.line === undefined ? undefined : { line: at.line, column: at.column ?? 1 };
  };
}

function keyNodeAt(doc: Document, path: readonly (string | number)[]): Node | undefined {
  const parent = doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = path[path.length - 1];
  const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

/** The path of the deepest key or list item whose text spans `offset`: where a syntax error or comment sits. */
export function pathAtOffset(doc: Document, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 64; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const start = (p.key as Node | null)?.range?.[0] ?? (p.value as Node | null)?.range?.[0];
        const end = (p.value as Node | null)?.range?.[2] ?? (p.key as Node | null)?.range?.[2];
        return start !== undefined && end !== undefined && start <= offset && offset <= end;
      });
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as Node | null)?.range;
        return range !== undefined && range !== null && range[0] <= offset && offset <= range[2];
      });
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else break;
  }
  return path;
}

/** 1-based line and column of a 0-based offset of `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}
