/**
 * The strange cases of an environment file's bytes and text, named in the words of the person who saved it: the
 * encoding an editor chose, a stray NUL, characters that cannot be seen, line endings, numbers YAML reads as NaN
 * or infinity. The loader calls these before (or instead of) the YAML parser's own messages.
 */
import { isUtf8 } from "node:buffer";

/** A problem at a position of the text (0-based offset), or of the whole file (no offset). */
export interface TextProblem {
  readonly message: string;
  readonly offset?: number;
}

const SAVE_AS_UTF8 = "environment files are UTF-8: save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)";

/**
 * The encoding of a file that is not UTF-8 but a wider Unicode form, from its byte order mark or, without one, the
 * pattern of zero bytes around its first ASCII character (the detection YAML 1.2 itself specifies, section 5.2).
 */
export function wideEncodingOf(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (bytes.length >= 4 && a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return "UTF-32 (big-endian, with a byte order mark)";
  if (bytes.length >= 4 && a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return "UTF-32 (little-endian, with a byte order mark)";
  if (bytes.length >= 2 && a === 0xfe && b === 0xff) return "UTF-16 (big-endian, with a byte order mark)";
  if (bytes.length >= 2 && a === 0xff && b === 0xfe) return "UTF-16 (little-endian, with a byte order mark)";
  if (bytes.length >= 4 && a === 0x00 && b === 0x00 && c === 0x00 && d !== 0x00) return "UTF-32 (big-endian)";
  if (bytes.length >= 4 && a !== 0x00 && b === 0x00 && c === 0x00 && d === 0x00) return "UTF-32 (little-endian)";
  if (bytes.length >= 2 && a === 0x00 && b !== 0x00) return "UTF-16 (big-endian)";
  if (bytes.length >= 2 && a !== 0x00 && b === 0x00) return "UTF-16 (little-endian)";
  return undefined;
}

/** Why the bytes cannot be read as an environment file's text, before any decoding; undefined when they can. */
export function encodingProblem(bytes: Uint8Array): TextProblem | undefined {
  const wide = wideEncodingOf(bytes);
  if (wide) return { message: `the file is ${wide} text; ${SAVE_AS_UTF8}` };
  const nul = bytes.indexOf(0);
  if (nul < 0) return undefined;
  // Text with a stray NUL (a paste from a binary, a broken editor) is named as such, at its position.
  const rest = Buffer.from(bytes.filter((x) => x !== 0));
  if (isUtf8(rest) && !hasControlCharacters(rest.toString("utf8"))) {
    return { message: "a NUL byte (0x00) is in the text here; it cannot be seen in most editors: delete it", offset: Buffer.from(bytes.subarray(0, nul)).toString("utf8").length };
  }
  return undefined;
}

/** C0 control characters other than tab, line feed and carriage return: the mark of binary data. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
  }
  return false;
}

/** Characters that cannot be seen but change a value or break indentation, with their Unicode names. */
const INVISIBLE: Readonly<Record<string, string>> = {
  "\u00a0": "a no-break space (U+00A0)",
  "\u00ad": "a soft hyphen (U+00AD)",
  "\u200b": "a zero-width space (U+200B)",
  "\u200c": "a zero-width non-joiner (U+200C)",
  "\u200d": "a zero-width joiner (U+200D)",
  "\u2060": "a word joiner (U+2060)",
  "\u2028": "a line separator (U+2028)",
  "\u2029": "a paragraph separator (U+2029)",
  "\ufeff": "a byte order mark (U+FEFF)",
};
// Alternatives, not a character class: the joiners would combine with their neighbours inside a class.
const INVISIBLE_RE = new RegExp(Object.keys(INVISIBLE).join("|"), "g");

/**
 * Invisible characters outside comment lines: pasted from a web page or a chat, they make a name differ from what
 * everyone reads ("fla\u200bvor" looks like "flavor") or break indentation that looks right. One problem per line.
 */
export function invisibleCharacterProblems(text: string): TextProblem[] {
  const problems: TextProblem[] = [];
  let lineStart = 0;
  for (const line of text.split("\n")) {
    if (!line.trimStart().startsWith("#")) {
      INVISIBLE_RE.lastIndex = 0;
      const m = INVISIBLE_RE.exec(line);
      if (m) {
        const leading = /^[\s\u00a0]*$/.test(line.slice(0, m.index));
        const what = INVISIBLE[m[0]];
        problems.push({
          offset: lineStart + m.index,
          message: leading
            ? `this line is indented with ${what}, which looks like a space but is not one; YAML indents with plain spaces: retype the indentation`
            : `${what} is here; it cannot be seen but becomes part of the value: delete it (retype the word around it)`,
        });
      }
    }
    lineStart += line.length + 1;
  }
  return problems;
}

/** Old Mac line endings (CR only): YAML reads the whole file as one line, a comment when it starts with one. */
export function lineEndingProblem(text: string): TextProblem | undefined {
  if (text.includes("\r") && !text.includes("\n")) {
    return { message: "the file ends its lines with CR only (old Mac line endings), so it reads as a single line; save it with LF (Unix) or CRLF (Windows) line endings" };
  }
  return undefined;
}

/** How YAML's non-numbers are named: `.nan`, `.inf` and numbers too large for a double. */
export function nonFiniteNumberText(value: number, source: string | undefined): string {
  if (Number.isNaN(value)) return `${source ?? ".nan"}, which YAML reads as NaN ("not a number")`;
  if (source !== undefined && /^[-+]?\.inf$/i.test(source)) return `${source}, which YAML reads as ${value > 0 ? "" : "minus "}infinity`;
  return `${source ?? String(value)}, a number too large to hold (it reads as ${value > 0 ? "" : "minus "}infinity)`;
}

/** Flow brackets ([ and {) nested deeper than this are refused before parsing: far beyond any real file, far below a stack overflow. */
export const MAX_FLOW_NESTING = 64;

export const TOO_DEEP =
  "the file nests lists or mappings too deeply for any environment file (an environment file needs at most 6 levels); look for a run of [ or { brackets";

/**
 * Flow collections nested more than MAX_FLOW_NESTING deep, found on the text itself: whether a parser overflows its
 * stack on them depends on how much stack it has left, so the answer must not come from the parser. Quoted text and
 * comments are skipped. The problem names the top-level key it sits under.
 */
export function nestingProblem(text: string): (TextProblem & { readonly topKey?: string }) | undefined {
  let depth = 0;
  let quote: string | undefined;
  let topKey: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote && text[i - 1] !== "\\") quote = undefined;
      continue;
    }
    if (ch === "\n") {
      const key = /^([A-Za-z_][\w-]*):/.exec(text.slice(i + 1, i + 81));
      if (key) topKey = key[1];
      continue;
    }
    if (ch === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end - 1;
    } else if ((ch === '"' || ch === "'") && /(^|[\s:[{,-])$/.test(text.slice(Math.max(0, i - 1), i))) quote = ch;
    else if (ch === "[" || ch === "{") {
      if (++depth > MAX_FLOW_NESTING) return { message: TOO_DEEP, offset: i, ...(topKey ? { topKey } : {}) };
    } else if ((ch === "]" || ch === "}") && depth > 0) depth--;
  }
  return undefined;
}
