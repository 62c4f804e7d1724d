/**
 * A minimal OpenStack REST session for `estate preflight`: one Keystone v3 token (POST /v3/auth/tokens, project
 * scoped), the service catalog it carries, and JSON requests to catalog endpoints with Node's own fetch.
 *
 * Why REST and not the openstack CLI: one token serves every call (the CLI authenticates and starts Python again on
 * each, about two seconds apiece), the exact HTTP status and the policy message of a refusal reach the report as
 * the service sent them, the token's own role list is what policy is checked against (the role-assignment API is
 * admin-only by default), and the command needs nothing but Node on the CI runner.
 * Source of the request shapes: Keystone API v3 reference, "Password authentication with scoped authorization" and
 * "Authenticating with an Application Credential" (https://docs.openstack.org/api-ref/identity/v3/).
 */
import { CommandError } from "../errors";
import type { CloudEntry } from "./clouds-yaml";

/** How long one request may take before the cloud counts as unreachable. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface CatalogEndpoint {
  readonly interface: string;
  readonly region?: string;
  readonly region_id?: string;
  readonly url: string;
}

export interface CatalogService {
  readonly type: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

/** What Keystone says about the token: who, which project, which roles (implied roles included), which services. */
export interface TokenInfo {
  readonly user: { readonly id: string; readonly name: string };
  readonly project: { readonly id: string; readonly name: string };
  readonly roles: readonly string[];
  readonly catalog: readonly CatalogService[];
}

export interface ApiResponse {
  readonly status: number;
  /** Parsed JSON, or the text of a non-JSON answer. */
  readonly body: any;
}

/** A cloud that cannot be reached or refuses the credentials: the command cannot check anything. */
export class CloudAccessError extends CommandError {}

function identityUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, "");
  return /\/v3$/.test(base) ? base : `${base}/v3`;
}

function authBody(cloud: CloudEntry): unknown {
  const a = cloud.auth;
  if (cloud.authType === "v3applicationcredential") {
    if (!a.application_credential_secret) throw new CommandError(`${cloud.file}: cloud "${cloud.name}" needs auth.application_credential_secret`);
    const credential = a.application_credential_id
      ? { id: a.application_credential_id, secret: a.application_credential_secret }
      : { name: a.application_credential_name, secret: a.application_credential_secret, user: userRef(cloud) };
    return { auth: { identity: { methods: ["application_credential"], application_credential: credential } } };
  }
  if (!a.password) throw new CommandError(`${cloud.file}: cloud "${cloud.name}" has no auth.password (nor one in secure.yaml)`);
  const projectDomain = a.project_domain_id ? { id: a.project_domain_id } : { name: a.project_domain_name ?? a.domain_name ?? "Default" };
  const project = a.project_id ? { id: a.project_id } : a.project_name ? { name: a.project_name, domain: projectDomain } : undefined;
  if (!project) throw new CommandError(`${cloud.file}: cloud "${cloud.name}" names no project (auth.project_name or auth.project_id); the stacks work in one project`);
  return { auth: { identity: { methods: ["password"], password: { user: { ...userRef(cloud), password: a.password } } }, scope: { project } } };
}

function userRef(cloud: CloudEntry): Record<string, unknown> {
  const a = cloud.auth;
  if (a.user_id) return { id: a.user_id };
  if (!a.username) throw new CommandError(`${cloud.file}: cloud "${cloud.name}" names no user (auth.username or auth.user_id)`);
  return { name: a.username, domain: a.user_domain_id ? { id: a.user_domain_id } : { name: a.user_domain_name ?? a.domain_name ?? "Default" } };
}

async function send(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, {
    method,
    headers: { Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the report.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

function reason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

/** The message OpenStack services put in an error body (NeutronError, Nova's badRequest, Octavia's faultstring). */
export function errorMessage(body: any): string {
  if (typeof body === "string") return body.trim().slice(0, 300);
  const inner = body?.NeutronError ?? body?.error ?? (body && typeof body === "object" ? Object.values(body)[0] : undefined);
  const text = inner?.message ?? body?.faultstring ?? body?.message ?? body?.description ?? JSON.stringify(body);
  return String(text).trim().slice(0, 300);
}

/** An authenticated session on one cloud, in one region. */
export class OpenstackSession {
  private constructor(
    readonly cloud: CloudEntry,
    readonly region: string,
    readonly token: TokenInfo,
    private readonly tokenId: string,
  ) {}

  /**
   * Authenticates as the cloud entry's user. An unreachable Keystone or refused credentials is a
   * CloudAccessError naming the URL and the answer, never the secret.
   */
  static async open(cloud: CloudEntry, region: string): Promise<OpenstackSession> {
    if (cloud.insecure) throw new CloudAccessError(`${cloud.file}: cloud "${cloud.name}" sets verify: false; estate preflight always verifies TLS. Give the CA with NODE_EXTRA_CA_CERTS instead`);
    if (cloud.cacert && !process.env.NODE_EXTRA_CA_CERTS) {
      throw new CloudAccessError(`${cloud.file}: cloud "${cloud.name}" names cacert ${cloud.cacert}; Node reads extra CAs from the environment: run with NODE_EXTRA_CA_CERTS=${cloud.cacert}`);
    }
    const url = `${identityUrl(cloud.auth.auth_url!)}/auth/tokens`;
    let r;
    try {
      r = await send("POST", url, {}, authBody(cloud));
    } catch (err) {
      if (err instanceof CommandError) throw err;
      throw new CloudAccessError(`cannot reach Keystone of cloud "${cloud.name}" at ${url}: ${reason(err)}`);
    }
    if (r.status !== 201) {
      throw new CloudAccessError(`Keystone of cloud "${cloud.name}" (${url}) refused the credentials of ${cloud.file}: HTTP ${r.status} ${errorMessage(r.body)}`);
    }
    const t = r.body?.token;
    const tokenId = r.headers.get("x-subject-token");
    if (!t?.project || !tokenId) throw new CloudAccessError(`Keystone of cloud "${cloud.name}" issued a token without a project scope; name the project in ${cloud.file}`);
    const info: TokenInfo = {
      user: { id: t.user.id, name: t.user.name },
      project: { id: t.project.id, name: t.project.name },
      roles: (t.roles ?? []).map((role: { name: string }) => role.name).sort(),
      catalog: t.catalog ?? [],
    };
    return new OpenstackSession(cloud, region, info, tokenId);
  }

  /** The endpoint of a service type (first of `types` in the catalog) in this session's region and interface. */
  endpoint(...types: string[]): string | undefined {
    for (const type of types) {
      const service = this.token.catalog.find((s) => s.type === type);
      const ep = service?.endpoints.find((e) => e.interface === this.cloud.interface && (e.region_id === this.region || e.region === this.region));
      if (ep) return ep.url.replace(/\/+$/, "");
    }
    return undefined;
  }

  /**
   * One JSON request to `base` + `path`. A network failure comes back as status 0 with the reason as body, so a
   * check can report it instead of aborting the whole run.
   */
  async request(method: string, base: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    try {
      const r = await send(method, `${base}${path}`, { "X-Auth-Token": this.tokenId, ...headers }, body);
      return { status: r.status, body: r.body };
    } catch (err) {
      return { status: 0, body: `cannot reach ${base}: ${reason(err)}` };
    }
  }
}
