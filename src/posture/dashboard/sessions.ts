/**
 * Sign-in sessions. The cookie carries, sealed (seal.ts): a random session id, the user's id and
 * login, the user-to-server token and the expiry. The repositories the person may see live in
 * `dashboard_session_repos`, not in the cookie: a person in a large organisation reaches
 * thousands of repositories, far past a cookie's 4 KB, and a table lets every query filter by
 * `repo_key IN (SELECT … WHERE session_id = ?)` in SQL. The table holds only a hash of the session
 * id, and never the token: a copy of the database opens no session and calls no GitHub API. The
 * token stays in the sealed cookie because re-checking access every `RECHECK_MS` needs it; the
 * cookie is HttpOnly, encrypted and lives no longer than the token (8 hours).
 * Logging out deletes the row, so a stolen copy of the cookie dies with it.
 */
import { createHash, randomBytes } from "node:crypto";
import { chainKey } from "../audit/record.js";
import type { Q } from "./queries.js";

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const RECHECK_MS = 10 * 60 * 1000;
const REPO_CHUNK = 500;

export interface SessionCookie {
  readonly sid: string;
  readonly uid: number;
  readonly login: string;
  readonly token: string;
}

export interface Session extends SessionCookie {
  /** `dashboard_sessions.id`, what queries filter by. */
  readonly key: string;
  readonly checkedAt: number;
  readonly expiresAt: number;
}

export const sessionKey = (sid: string) => createHash("sha256").update(sid).digest("hex");

export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

export function cookieFromPayload(payload: Record<string, unknown> | undefined): SessionCookie | undefined {
  if (!payload) return undefined;
  const { sid, uid, login, token } = payload;
  if (typeof sid !== "string" || typeof uid !== "number" || typeof login !== "string" || typeof token !== "string") return undefined;
  return { sid, uid, login, token };
}

export async function createSession(q: Q, cookie: SessionCookie, repositories: readonly string[], now: number): Promise<Session> {
  const key = sessionKey(cookie.sid);
  const iso = new Date(now).toISOString();
  const expiresAt = now + SESSION_TTL_MS;
  await q.deleteFrom("dashboard_sessions").where("expires_at", "<", iso).execute();
  await q.deleteFrom("dashboard_session_repos").where("session_id", "not in", q.selectFrom("dashboard_sessions").select("id")).execute();
  await q
    .insertInto("dashboard_sessions")
    .values({ id: key, user_id: cookie.uid, login: cookie.login, created_at: iso, checked_at: iso, expires_at: new Date(expiresAt).toISOString() })
    .execute();
  await writeRepos(q, key, repositories);
  return { ...cookie, key, checkedAt: now, expiresAt };
}

async function writeRepos(q: Q, key: string, repositories: readonly string[]): Promise<void> {
  const rows = [...new Set(repositories.map(chainKey))].map((repo_key) => ({ session_id: key, repo_key }));
  for (let i = 0; i < rows.length; i += REPO_CHUNK) await q.insertInto("dashboard_session_repos").values(rows.slice(i, i + REPO_CHUNK)).execute();
}

/** The session the cookie names, if its row still exists, belongs to the same user and has not expired. */
export async function loadSession(q: Q, cookie: SessionCookie, now: number): Promise<Session | undefined> {
  const key = sessionKey(cookie.sid);
  const row = await q.selectFrom("dashboard_sessions").selectAll().where("id", "=", key).executeTakeFirst();
  if (!row || Number(row.user_id) !== cookie.uid) return undefined;
  const expiresAt = Date.parse(row.expires_at);
  if (!(expiresAt > now)) return undefined;
  return { ...cookie, key, checkedAt: Date.parse(row.checked_at), expiresAt };
}

export async function replaceSessionRepos(q: Q, session: Session, repositories: readonly string[], now: number): Promise<Session> {
  await q.deleteFrom("dashboard_session_repos").where("session_id", "=", session.key).execute();
  await writeRepos(q, session.key, repositories);
  await q.updateTable("dashboard_sessions").set({ checked_at: new Date(now).toISOString() }).where("id", "=", session.key).execute();
  return { ...session, checkedAt: now };
}

export async function deleteSession(q: Q, key: string): Promise<void> {
  await q.deleteFrom("dashboard_session_repos").where("session_id", "=", key).execute();
  await q.deleteFrom("dashboard_sessions").where("id", "=", key).execute();
}
