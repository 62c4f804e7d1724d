/** One thing wrong with an environment file, located as precisely as we can. */
export interface ConfigProblem {
  /** Path inside the document, e.g. ["sites", "openstack", 1, "subnetCidr"]. Empty for the whole file. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** 1-based line and column in the file, when known. */
  readonly line?: number;
  readonly column?: number;
}

/** Every problem found in one environment file. Thrown by the loader; the CLI prints it without a stack trace. */
export class EnvironmentError extends Error {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    super(formatProblems(file, problems));
    this.name = "EnvironmentError";
    this.file = file;
    this.problems = problems;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || "(top level)";
}

export function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  const lines = problems.map((p) => {
    const where = p.line ? `${file}:${p.line}:${p.column ?? 1}` : file;
    return `  ${where}: ${formatPath(p.path)}: ${p.message}`;
  });
  return `${file}: ${problems.length} ${noun} in environment file\n${lines.join("\n")}`;
}
