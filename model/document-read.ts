/**
 * Reading a YAML document from disk: a regular file of bounded size, decoded as UTF-8 text. Every refusal is an
 * EnvironmentError naming the file, with the line and column of a bad byte where there is one.
 */
import { isUtf8 } from "node:buffer";
import { readFileSync, statSync } from "node:fs";
import { article, type DocumentKind } from "./document-kind";
import { EnvironmentError } from "./errors";
import { lineAndColumn } from "./source-location";
import { encodingProblem } from "./text-checks";

/** Environment files are small; anything larger is a mistake (a log or a dump pasted by accident). */
export const MAX_ENVIRONMENT_BYTES = 1024 * 1024;

/** The bytes of `file`, refused when it is missing, unreadable, not a regular file or too large. */
export function readDocumentBytes(file: string, kind: DocumentKind<unknown>): Buffer {
  const fail = (message: string): never => {
    throw new EnvironmentError(file, [{ path: [], message }], kind.noun);
  };
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) fail("is a directory, not a file");
    if (!stat.isFile()) fail(`is not a regular file (a device, pipe or socket); name ${article(kind.noun)}`);
    if (stat.size > MAX_ENVIRONMENT_BYTES) {
      fail(`file is ${stat.size} bytes, over the ${MAX_ENVIRONMENT_BYTES}-byte limit for ${article(kind.noun)}; is this the right file?`);
    }
    return readFileSync(file);
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    return fail(code === "ENOENT" ? "file not found" : code === "EACCES" ? "cannot read file: permission denied" : `cannot read file (${code ?? String(err)})`);
  }
}

/** The text of a document, refused when it is binary or not UTF-8; a byte-order mark is dropped. */
export function decodeDocumentText(bytes: Buffer, file: string, kind: DocumentKind<unknown>): string {
  const encoding = encodingProblem(bytes);
  if (encoding) {
    const at = encoding.offset === undefined ? {} : lineAndColumn(bytes.toString("utf8").replaceAll("\u0000", ""), encoding.offset);
    throw new EnvironmentError(file, [{ path: [], message: encoding.message, ...at }], kind.noun);
  }
  if (bytes.includes(0)) throw new EnvironmentError(file, [{ path: [], message: `file is binary (it contains NUL bytes), not a YAML ${kind.noun}` }], kind.noun);
  const text = bytes.toString("utf8");
  if (!isUtf8(bytes)) {
    const at = Math.max(0, text.indexOf("\uFFFD"));
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    const byte = bytes[Buffer.byteLength(before, "utf8")] ?? 0;
    throw new EnvironmentError(file, [
      {
        path: [],
        message: `file is not UTF-8 text: byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} is not valid UTF-8 (was it saved as Latin-1 or Windows-1252?); save the file as UTF-8`,
        line,
        column,
      },
    ], kind.noun);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
