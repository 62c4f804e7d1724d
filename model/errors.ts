/** One thing wrong with an environment file, located as precisely as we can. */
export interface ConfigProblem {
  /** Path inside the document, e.g. ["sites", "openstack", 1, "subnetCidr"]. Empty for the whole file. */
  readonly path: readonly (string | number)[];
  /** What is wrong and what to write instead. */
  readonly message: string;
  /** 1-based line in the file. @default - none (props written in TypeScript, or a problem of the whole file) */
  readonly line?: number;
  /** 1-based column in the file. @default - none, like `line` */
  readonly column?: number;
}

/**
 * Every problem found in one environment file (or another YAML document the loader reads, named by `noun`).
 * Thrown by the loader; the CLI prints it without a stack trace.
 */
export class EnvironmentError extends Error {
  /** The file (or the props' source name) the problems are in. */
  readonly file: string;
  /** Every problem found, in file order. */
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[], noun = "environment file") {
    super(formatProblems(file, problems, noun));
    this.name = "EnvironmentError";
    this.file = file;
    this.problems = problems;
  }
}

/** A path as messages print it: `sites.openstack[1].subnetCidr`; `(top level)` for the empty path. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || "(top level)";
}

export function formatProblems(file: string, problems: readonly ConfigProblem[], noun = "environment file"): string {
  const count = problems.length === 1 ? "problem" : "problems";
  const lines = problems.map((p) => {
    const where = p.line ? `${file}:${p.line}:${p.column ?? 1}` : file;
    return `  ${where}: ${formatPath(p.path)}: ${p.message}`;
  });
  return `${file}: ${problems.length} ${count} in ${noun}\n${lines.join("\n")}`;
}

/**
 * The candidate a person most likely meant by `word` (a typo, a case slip or a swapped pair of letters), or
 * undefined when nothing is close enough to suggest.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Short names (site "os-a" vs "os-c") differ by one character on purpose: only a case slip counts there.
  const allowed = word.length <= 4 ? 0 : Math.min(3, Math.floor(word.length / 4));
  if (bestDistance <= allowed) return best;
  // A unit suffix left out: "interval" for "intervalSec", "volumeSize" for "volumeSizeGiB".
  if (lower.length >= 4) return candidates.find((c) => c.toLowerCase().startsWith(lower) && c.length - word.length <= 4);
  return undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** `; did you mean "x"?` when a candidate is close to `word`, else an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? "" : `; did you mean ${JSON.stringify(match)}?`;
}
