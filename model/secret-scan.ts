/**
 * Finds credentials in any text a person typed, wherever it sits: the loader runs it on every string of the
 * environment file (a generic walk, not a list of fields), and synthesis runs it on every finished artifact.
 *
 * What counts as a credential:
 * - key formats: PEM private keys, AWS access key ids, GitHub and Slack tokens, Keystone (Fernet) tokens, JSON web
 *   tokens;
 * - URLs that carry one: user information (`https://user:pass@host`, `https://token@host`) or a token-looking query
 *   parameter (`access_token=`, `X-Amz-Signature=`, `X-Amz-Credential=`, `sig=`, `signature=`, `api_key=`,
 *   `password=`, `client_secret=`, …);
 * - a long high-entropy string where a plain name belongs: a word of at least {@link MIN_SECRET_LENGTH} characters
 *   with {@link MIN_SECRET_ENTROPY} bits or more per character, mixing lower case, upper case and digits, that
 *   switches between them as often as random text does ({@link MIN_SECRET_SWITCHES}). Values whose format is an opaque
 *   identifier (UUIDs, ARNs, AMI ids, OpenSSH public keys, URLs apart from their user information and query) are
 *   not measured: their randomness is their format.
 */

/** Key formats and token-carrying URL parts, with what they are in words. */
export const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/, "an access token"],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}/, "an access token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "an access token"],
  [/\bgAAAAA[A-Za-z0-9_-]{40,}/, "a Keystone token"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, "a JSON web token"],
  // Anchored on "://" rather than the scheme: a literal the regex engine finds fast in megabytes of text.
  [/:\/\/[^/\s?#@"']+@[^\s"']/, "a URL with user information (a user name, password or token before the host)"],
  [/[?&;](access_token|id_token|refresh_token|token|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|sig|signature|api_?key|apikey|secret|client_secret|password|passwd)=[^&\s"']+/i, "a URL with a token in its query"],
];

/** One expression that matches wherever one of {@link SECRET_PATTERNS} may: one pass over a text instead of nine. */
const QUICK_PATTERN = new RegExp(SECRET_PATTERNS.map(([re]) => `(?:${re.source})`).join("|"), "i");

/** Shortest string measured for entropy: shorter random strings are ordinary identifiers. */
export const MIN_SECRET_LENGTH = 32;
/** Shannon entropy, in bits per character, from which a long single-word string looks random. */
export const MIN_SECRET_ENTROPY = 4.2;

/** Formats whose randomness is their shape: never measured for entropy (key formats are still checked). */
const OPAQUE_FORMATS: readonly RegExp[] = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:\S+$/,
  /^ami-[0-9a-f]{8,17}$/,
  /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/,
];

/** What credential `value` looks like, in words ("a JSON web token"), or undefined when it looks like none. */
export function secretIn(value: string): string | undefined {
  const known = SECRET_PATTERNS.find(([re]) => re.test(value));
  if (known) return known[1];
  return looksRandom(value) ? "a random secret (a long high-entropy string where a name belongs)" : undefined;
}

function looksRandom(value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH || OPAQUE_FORMATS.some((re) => re.test(value))) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  return value.split(/[\s,;]+/).some(
    (word) =>
      word.length >= MIN_SECRET_LENGTH &&
      /[a-z]/.test(word) &&
      /[A-Z]/.test(word) &&
      /\d/.test(word) &&
      shannonEntropy(word) >= MIN_SECRET_ENTROPY &&
      classSwitches(word) >= MIN_SECRET_SWITCHES * word.length,
  );
}

/**
 * Generated secrets switch between lower case, upper case and digits at random (about once every three characters);
 * names switch at word boundaries only ("CloudImage-AMD64": twice in 16). Switches per character from which a word
 * looks generated.
 */
export const MIN_SECRET_SWITCHES = 0.15;

/** Lower-to-upper case switches and letter-digit switches between adjacent characters. */
function classSwitches(word: string): number {
  let switches = 0;
  for (let i = 1; i < word.length; i++) {
    const [a, b] = [word[i - 1], word[i]];
    if ((/[a-z]/.test(a) && /[A-Z]/.test(b)) || (/[A-Za-z]/.test(a) && /\d/.test(b)) || (/\d/.test(a) && /[A-Za-z]/.test(b))) switches++;
  }
  return switches;
}

/** Shannon entropy of `text` in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A fast first look at a whole text (an artifact of megabytes): false when no part of it can hold a credential, so
 * the text need not be parsed and walked. True may still be a false alarm; {@link secretsInDocument} decides.
 */
export function mayHoldSecret(text: string): boolean {
  if (QUICK_PATTERN.test(text)) return true;
  // Runs of base64 characters, found by one pass over the text (a regular expression restarts at every position).
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isTokenChar(text.charCodeAt(i))) continue;
    if (i - start >= MIN_SECRET_LENGTH && looksRandom(text.slice(start, i))) return true;
    start = i + 1;
  }
  return false;
}

/** Letters, digits and + / = _ - (base64 and base64url). */
function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61 || c === 95 || c === 45;
}

/** One credential found in a parsed document. */
export interface SecretFinding {
  /** Path inside the document. */
  readonly path: readonly (string | number)[];
  /** What it looks like, in words. */
  readonly what: string;
}

/**
 * Every string of a parsed document (JSON or YAML data) that looks like a credential. Terraform interpolations
 * (`${...}`) and cdktf's "//" metadata (construct paths) are built by the toolkit from names already checked.
 */
export function secretsInDocument(value: unknown, path: (string | number)[] = []): SecretFinding[] {
  if (typeof value === "string") {
    if (value.includes("${")) return SECRET_PATTERNS.filter(([re]) => re.test(value)).map(([, what]) => ({ path, what }));
    const what = secretIn(value);
    return what ? [{ path, what }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => secretsInDocument(item, [...path, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, item]) => (k === "//" ? [] : secretsInDocument(item, [...path, k])));
  return [];
}
