/**
 * `/dashboard` on the app's server: routes, sign-in with GitHub, sessions and the security headers.
 * Returns false for any path outside /dashboard so the server tries its next handler.
 *
 * Sign-in: /dashboard/login seals a random `state` and a PKCE verifier (10 minutes) into a cookie
 * and sends the person to GitHub with the verifier's S256 challenge; /dashboard/oauth/callback
 * accepts only that state, exchanges the code with the verifier, asks who the
 * person is and which repositories they reach through the App's installations, and opens a
 * session (sessions.ts). Access is asked again when a session's list is older than 10 minutes, so
 * a person removed from a repository stops seeing it within that time; when GitHub cannot be
 * reached then, the page fails closed (503) rather than show a stale list.
 * Forms: logout is a POST carrying an HMAC of the session id (synchronizer token), and a POST
 * whose Origin is another site is refused before the token is looked at.
 */
import { readBoundedBody } from "../api/read-body.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { AuditStore } from "../audit/open-store.js";
import { clearCookie, readCookie, SESSION_COOKIE, setCookie, STATE_COOKIE } from "./cookies.js";
import { authorizeUrl, exchangeCode, fetchAccessibleRepositories, fetchUser, GitHubAccessError, newPkceVerifier, type GitHubOAuthConfig } from "./github-access.js";
import { messagePage, overviewPage, pullRequestPageHtml, repositoryPageHtml, signInPage, type PageContext } from "./pages.js";
import { dashboardDb, syncDashboard } from "./project.js";
import { mayRead, overview, pullRequestPage, repositoryPage } from "./queries.js";
import { createSealer } from "./seal.js";
import { cookieFromPayload, createSession, deleteSession, loadSession, newSessionId, RECHECK_MS, replaceSessionRepos, SESSION_TTL_MS, type Session } from "./sessions.js";
import { STYLE_CSS, STYLE_ETAG } from "./style.js";
import { migrateDashboardTables } from "./migrations.js";

export interface DashboardLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DashboardOptions {
  readonly store: AuditStore;
  readonly github: GitHubOAuthConfig;
  /** DASHBOARD_COOKIE_KEY: 32 random bytes, base64 (or the bytes). */
  readonly cookieKey: string | Uint8Array;
  readonly logger: DashboardLogger;
  /** The App's slug, for the "install it" hint on an empty dashboard. */
  readonly appSlug?: string;
  /** Where the dashboard is reached from outside (https://sentinel.example.com); default: from the request's Host. */
  readonly publicUrl?: string;
  readonly now?: () => Date;
}

export type DashboardHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & {
  /** Brings the projection up to date now (pages also do it before they read); call it at start-up. */
  sync(): Promise<unknown>;
};

const STATE_TTL_MS = 10 * 60 * 1000;
const MAX_FORM_BYTES = 4096;
/** A form that has not arrived by then is refused like a bad one (a slow client must not hold the handler). */
const FORM_TIMEOUT_MS = 10_000;
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** No script at all, one served stylesheet, no framing, forms only to ourselves. */
const CSP = ["default-src 'none'", "style-src 'self'", "img-src 'self' data:", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"].join("; ");

function isLoopback(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? "").replace(/:\d+$/, "");
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

export function createDashboardHandler(options: DashboardOptions): DashboardHandler {
  const { store, github, logger } = options;
  const now = options.now ?? (() => new Date());
  const sealer = createSealer(options.cookieKey);
  const db = dashboardDb(store);
  const githubUrl = github.baseUrl.replace(/\/+$/, "");
  let ready: Promise<void> | undefined;
  let syncing: Promise<string | null> | undefined;
  const migrate = () => (ready ??= migrateDashboardTables(store.db as never, store.dialect).catch((error: unknown) => {
    ready = undefined;
    throw error;
  }));
  const sync = async () => {
    await migrate();
    // One sync at a time per process; requests arriving meanwhile wait for the same one.
    syncing ??= syncDashboard(store, logger)
      .then((result) => result.version ?? null)
      .finally(() => (syncing = undefined));
    return await syncing;
  };
  // Overview pages by session and trail state: many people reloading it between two scans cost one query round.
  const overviews = new Map<string, string>();
  const OVERVIEW_CACHE = 100;

  const secureCookies = (req: IncomingMessage) => !(isLoopback(req) && !(req.socket as { encrypted?: boolean }).encrypted);
  const origin = (req: IncomingMessage) => options.publicUrl?.replace(/\/+$/, "") ?? `${secureCookies(req) ? "https" : "http"}://${req.headers.host ?? "localhost"}`;
  const redirectUri = (req: IncomingMessage) => `${origin(req)}/dashboard/oauth/callback`;

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}): true {
    res.writeHead(status, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": CSP,
      "x-frame-options": "DENY",
      "referrer-policy": "same-origin",
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
      ...headers,
    });
    res.end(body);
    return true;
  }
  const redirect = (res: ServerResponse, location: string, cookies: string[] = []) => send(res, 303, "", { location, ...(cookies.length ? { "set-cookie": cookies } : {}) });
  const installUrl = options.appSlug ? `${githubUrl}/apps/${encodeURIComponent(options.appSlug)}/installations/new` : undefined;
  const ctxFor = (session: Session | undefined): PageContext => ({
    login: session?.login ?? null,
    csrf: session ? sealer.csrfToken(session.sid) : null,
    githubUrl,
    ...(installUrl ? { installUrl } : {}),
  });

  async function currentSession(req: IncomingMessage): Promise<Session | undefined> {
    const raw = readCookie(req, SESSION_COOKIE);
    if (!raw) return undefined;
    const cookie = cookieFromPayload(sealer.open(SESSION_COOKIE, raw, now().getTime()));
    if (!cookie) return undefined;
    await migrate();
    return await loadSession(db, cookie, now().getTime());
  }

  async function recheck(session: Session): Promise<Session | "signed-out" | "unavailable"> {
    if (now().getTime() - session.checkedAt < RECHECK_MS) return session;
    try {
      const repositories = await fetchAccessibleRepositories(github, session.token);
      return await db.transaction().execute((trx) => replaceSessionRepos(trx, session, repositories, now().getTime()));
    } catch (error) {
      if (error instanceof GitHubAccessError && error.unauthorized) {
        await deleteSession(db, session.key);
        return "signed-out";
      }
      logger.warn({ login: session.login, problem: (error as Error).message }, "dashboard: access could not be re-checked with GitHub");
      return "unavailable";
    }
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const state = randomBytes(24).toString("base64url");
    const verifier = newPkceVerifier();
    const sealed = sealer.seal(STATE_COOKIE, { state, verifier }, now().getTime() + STATE_TTL_MS);
    return redirect(res, authorizeUrl(github, redirectUri(req), state, verifier), [setCookie(STATE_COOKIE, sealed, { secure: secureCookies(req), maxAgeSeconds: STATE_TTL_MS / 1000 })]);
  }

  async function callback(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<true> {
    const secure = secureCookies(req);
    const clearState = clearCookie(STATE_COOKIE, secure);
    const raw = readCookie(req, STATE_COOKIE);
    const started = raw ? sealer.open(STATE_COOKIE, raw, now().getTime()) : undefined;
    const expected = started?.state;
    const verifier = started?.verifier;
    const state = query.get("state");
    const code = query.get("code");
    if (typeof expected !== "string" || typeof verifier !== "string" || !state || state !== expected || !code || code.length > 500) {
      return send(res, 400, signInPage(ctxFor(undefined), "That sign-in link was not started here, or it is over 10 minutes old. Sign in again."), { "set-cookie": clearState });
    }
    try {
      const token = await exchangeCode(github, code, redirectUri(req), verifier);
      const user = await fetchUser(github, token);
      const repositories = await fetchAccessibleRepositories(github, token);
      const sid = newSessionId();
      await migrate();
      await db.transaction().execute((trx) => createSession(trx, { sid, uid: user.id, login: user.login, token }, repositories, now().getTime()));
      const sealed = sealer.seal(SESSION_COOKIE, { sid, uid: user.id, login: user.login, token }, now().getTime() + SESSION_TTL_MS);
      logger.info({ login: user.login, repositories: repositories.length }, "dashboard: signed in");
      return redirect(res, "/dashboard", [clearState, setCookie(SESSION_COOKIE, sealed, { secure, maxAgeSeconds: SESSION_TTL_MS / 1000 })]);
    } catch (error) {
      if (!(error instanceof GitHubAccessError)) throw error;
      logger.warn({ problem: error.message }, "dashboard: sign-in failed");
      return send(res, 502, signInPage(ctxFor(undefined), `Sign-in failed: ${error.message}`), { "set-cookie": clearState });
    }
  }

  async function logout(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const origin_ = req.headers.origin;
    if (origin_ && origin_ !== origin(req)) return send(res, 403, messagePage(ctxFor(undefined), "Refused", "That form was sent from another site."));
    const form = await readForm(req);
    const session = await currentSession(req);
    if (!form || !session || !sealer.checkCsrf(session.sid, form.get("csrf") ?? "")) {
      return send(res, 403, messagePage(ctxFor(undefined), "Refused", "The form's token did not match your session. Reload the page and try again."));
    }
    await deleteSession(db, session.key);
    return redirect(res, "/dashboard", [clearCookie(SESSION_COOKIE, secureCookies(req))]);
  }

  async function page(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<true> {
    const found = await currentSession(req);
    if (!found) return send(res, 200, signInPage(ctxFor(undefined)));
    const session = await recheck(found);
    if (session === "signed-out") return send(res, 200, signInPage(ctxFor(undefined), "Your GitHub sign-in ended; sign in again."), { "set-cookie": clearCookie(SESSION_COOKIE, secureCookies(req)) });
    if (session === "unavailable") return send(res, 503, messagePage(ctxFor(found), "GitHub unavailable", "Your access could not be checked with GitHub just now. Try again in a minute."));
    const ctx = ctxFor(session);
    const notFound = () => send(res, 404, messagePage(ctx, "Not found", "No such page, or not one you can access."));
    const version = await sync();
    if (segments.length === 0) {
      const key = version === null ? undefined : `${session.key}|${session.checkedAt}|${version}|${now().toISOString().slice(0, 10)}`;
      let body = key === undefined ? undefined : overviews.get(key);
      if (body === undefined) {
        body = overviewPage(ctx, await overview(db, session.key, now()));
        if (key !== undefined) {
          overviews.set(key, body);
          if (overviews.size > OVERVIEW_CACHE) overviews.delete(overviews.keys().next().value!);
        }
      }
      return send(res, 200, body);
    }
    if (segments[0] !== "repos" || segments.length < 3) return notFound();
    const [owner, name] = [segments[1]!, segments[2]!];
    if (!NAME.test(owner) || !NAME.test(name)) return notFound();
    const repository = `${owner}/${name}`;
    if (!(await mayRead(db, session.key, repository))) return notFound();
    if (segments.length === 3) return send(res, 200, repositoryPageHtml(ctx, repository, await repositoryPage(db, session.key, repository, now())));
    if (segments.length === 5 && segments[3] === "pulls" && /^[1-9]\d{0,9}$/.test(segments[4]!)) {
      const n = Number(segments[4]);
      const pull = await pullRequestPage(db, session.key, repository, n);
      if (pull.scans.length === 0) return notFound();
      return send(res, 200, pullRequestPageHtml(ctx, repository, n, pull));
    }
    return notFound();
  }

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    const path = url.pathname;
    if (path !== "/dashboard" && !path.startsWith("/dashboard/")) return false;
    const method = req.method ?? "GET";
    try {
      if (path === "/dashboard/assets/style.css") {
        if (method !== "GET" && method !== "HEAD") return send(res, 405, "", { allow: "GET, HEAD" });
        res.writeHead(200, { "content-type": "text/css; charset=utf-8", etag: STYLE_ETAG, "cache-control": "public, max-age=3600", "x-content-type-options": "nosniff" });
        res.end(method === "HEAD" ? undefined : STYLE_CSS);
        return true;
      }
      if (path === "/dashboard/logout") return method === "POST" ? await logout(req, res) : send(res, 405, "", { allow: "POST" });
      if (method !== "GET" && method !== "HEAD") return send(res, 405, "", { allow: "GET, HEAD" });
      if (path === "/dashboard/login") return await login(req, res);
      if (path === "/dashboard/oauth/callback") return await callback(req, res, url.searchParams);
      let segments: string[];
      try {
        segments = path.split("/").slice(2).filter(Boolean).map(decodeURIComponent);
      } catch {
        return send(res, 404, messagePage(ctxFor(undefined), "Not found", "No such page."));
      }
      return await page(req, res, segments);
    } catch (error) {
      logger.error({ err: error, path }, "dashboard: request failed");
      if (!res.headersSent) send(res, 500, messagePage(ctxFor(undefined), "Something went wrong", "The dashboard could not answer; the error is in the server's log."));
      else res.end();
      return true;
    }
  };
  return Object.assign(handler, { sync });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return undefined;
  const read = await readBoundedBody(req, MAX_FORM_BYTES, FORM_TIMEOUT_MS);
  return read.ok ? new URLSearchParams(read.body.toString("utf8")) : undefined;
}
