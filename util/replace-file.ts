import { realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";

/**
 * Replaces a file's content all at once, as the commands that edit an environment file in place do: the new text
 * goes to `<file>.estate-tmp` beside the real file (a symlink is followed, so the link stays a link), with the old
 * file's permission bits, then is renamed over it. A reader sees the old text or the new one, never half of it.
 * @throws the file system's error (nothing is left behind: the temporary file is removed)
 */
export function replaceFileContent(file: string, text: string): void {
  const target = realpathSync(file);
  const tmp = `${target}.estate-tmp`;
  try {
    writeFileSync(tmp, text, { mode: statSync(target).mode & 0o7777 });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
