/**
 * Sign-in with the App's own OAuth credentials and what the signed-in person may see. The code is
 * exchanged for a user-to-server token; with it GitHub lists the App's installations the person
 * can reach and, per installation, the repositories they can access in it (the intersection of the
 * installation's repositories and the person's own access). That list is the whole of what the
 * dashboard shows them. Every answer is size-bounded, time-bounded and checked with zod; paging
 * follows `per_page=100` up to fixed caps (an account beyond them gets a clear error, not a cut list).
 */
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";

export interface GitHubOAuthConfig {
  readonly oauthClientId: string;
  readonly oauthClientSecret: string;
  /** GitHub's web address, e.g. https://github.com (authorize, token exchange, links). */
  readonly baseUrl: string;
  /** The REST API, e.g. https://api.github.com. */
  readonly apiUrl: string;
}

export interface GitHubUser {
  readonly id: number;
  readonly login: string;
}

export class GitHubAccessError extends Error {
  constructor(
    message: string,
    /** 401 from GitHub: the token is no longer valid (revoked, expired). */
    readonly unauthorized = false,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const PER_PAGE = 100;
const MAX_INSTALLATION_PAGES = 10;
const MAX_REPOSITORY_PAGES = 100;

/**
 * PKCE (RFC 7636, S256), which GitHub's web flow supports: the authorize request carries the
 * SHA-256 of a random verifier that only this server holds (sealed in the state cookie), and the
 * code exchange must show the verifier. A code intercepted on its way back (a proxy log, a
 * browser extension, a referrer) is then useless even to someone who also has the client secret.
 */
export function newPkceVerifier(): string {
  return randomBytes(32).toString("base64url");
}

export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

export function authorizeUrl(config: GitHubOAuthConfig, redirectUri: string, state: string, pkceVerifier: string): string {
  const url = new URL("/login/oauth/authorize", config.baseUrl);
  url.searchParams.set("client_id", config.oauthClientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", pkceChallenge(pkceVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("allow_signup", "false");
  return url.toString();
}

/** fetch, with a network failure or timeout reported as what it is, naming the call. */
async function call(what: string, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "error" });
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : (error as Error).message;
    throw new GitHubAccessError(`${what}: ${reason}`);
  }
}

async function readJson(response: Response, what: string): Promise<unknown> {
  const length = Number(response.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) throw new GitHubAccessError(`${what}: answer of ${length} bytes is over the ${MAX_BODY_BYTES} limit`);
  const text = await response.text();
  if (text.length > MAX_BODY_BYTES) throw new GitHubAccessError(`${what}: answer over the ${MAX_BODY_BYTES} byte limit`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GitHubAccessError(`${what}: answered HTTP ${response.status} with something that is not JSON`);
  }
}

const tokenAnswer = z.union([
  z.object({ access_token: z.string().min(1).max(1000), token_type: z.string().optional() }),
  z.object({ error: z.string().max(200), error_description: z.string().max(500).optional() }),
]);

export async function exchangeCode(config: GitHubOAuthConfig, code: string, redirectUri: string, pkceVerifier: string): Promise<string> {
  const what = "GitHub token exchange";
  const response = await call(what, new URL("/login/oauth/access_token", config.baseUrl), {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ client_id: config.oauthClientId, client_secret: config.oauthClientSecret, code, redirect_uri: redirectUri, code_verifier: pkceVerifier }),
  });
  const parsed = tokenAnswer.safeParse(await readJson(response, what));
  if (!response.ok || !parsed.success) throw new GitHubAccessError(`${what}: HTTP ${response.status}, unexpected answer`);
  if ("error" in parsed.data) throw new GitHubAccessError(`${what}: ${parsed.data.error}${parsed.data.error_description ? ` (${parsed.data.error_description})` : ""}`);
  return parsed.data.access_token;
}

async function api<T>(config: GitHubOAuthConfig, token: string, path: string, schema: z.ZodType<T>): Promise<T> {
  const what = `GitHub GET ${path.split("?")[0]}`;
  const response = await call(what, new URL(path.replace(/^\//, ""), config.apiUrl.endsWith("/") ? config.apiUrl : `${config.apiUrl}/`), {
    headers: { accept: "application/vnd.github+json", authorization: `Bearer ${token}`, "x-github-api-version": "2022-11-28" },
  });
  if (response.status === 401) throw new GitHubAccessError(`${what}: the sign-in is no longer valid`, true);
  const body = await readJson(response, what);
  if (!response.ok) throw new GitHubAccessError(`${what}: HTTP ${response.status}`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new GitHubAccessError(`${what}: unexpected answer (${parsed.error.issues[0]?.path.join(".") ?? "?"})`);
  return parsed.data;
}

const userSchema = z.object({ id: z.number().int().positive(), login: z.string().min(1).max(100) });
const installationsSchema = z.object({ total_count: z.number().int().min(0), installations: z.array(z.object({ id: z.number().int().positive() })) });
const repositoriesSchema = z.object({ total_count: z.number().int().min(0), repositories: z.array(z.object({ full_name: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/) })) });

export function fetchUser(config: GitHubOAuthConfig, token: string): Promise<GitHubUser> {
  return api(config, token, "/user", userSchema);
}

async function paged<T>(fetchPage: (page: number) => Promise<{ total: number; items: T[] }>, maxPages: number, what: string): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    if (page > maxPages) throw new GitHubAccessError(`${what}: more than ${maxPages * PER_PAGE}; the dashboard does not list that many`);
    const { total, items } = await fetchPage(page);
    all.push(...items);
    if (items.length < PER_PAGE || all.length >= total) return all;
  }
}

/** Full names (`owner/name`) of every repository the person can access through the App's installations. */
export async function fetchAccessibleRepositories(config: GitHubOAuthConfig, token: string): Promise<string[]> {
  const installations = await paged(
    async (page) => {
      const body = await api(config, token, `/user/installations?per_page=${PER_PAGE}&page=${page}`, installationsSchema);
      return { total: body.total_count, items: body.installations };
    },
    MAX_INSTALLATION_PAGES,
    "installations",
  );
  const names = new Set<string>();
  for (const installation of installations) {
    const repositories = await paged(
      async (page) => {
        const body = await api(config, token, `/user/installations/${installation.id}/repositories?per_page=${PER_PAGE}&page=${page}`, repositoriesSchema);
        return { total: body.total_count, items: body.repositories };
      },
      MAX_REPOSITORY_PAGES,
      `repositories of installation ${installation.id}`,
    );
    for (const repository of repositories) names.add(repository.full_name);
  }
  return [...names];
}
