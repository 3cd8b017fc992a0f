/**
 * The dashboard on a real loopback server over a real audit store, with the fake GitHub OAuth
 * (test/helpers/fake-github/oauth.ts), and a sign-in that walks the whole flow over HTTP with a
 * cookie jar (login → authorize page → approve → callback → session cookie).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openAuditStore, type AuditStore } from "../../../src/posture/audit/open-store.js";
import { createDashboardHandler, type DashboardHandler } from "../../../src/posture/dashboard/handler.js";
import { startFakeOAuth, type FakeOAuth, type FakeOAuthUser } from "../../helpers/fake-github/oauth.js";

export const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface StoreFactory {
  readonly name: string;
  open(now: () => Date): Promise<AuditStore>;
}

export function sqliteFactory(dirs: string[]): StoreFactory {
  return {
    name: "SQLite",
    open(now) {
      const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-dashboard-"));
      dirs.push(dir);
      return openAuditStore({ dataDir: join(dir, "data"), logger: silent, now });
    },
  };
}

export const USERS = (): FakeOAuthUser[] => [
  { id: 101, login: "alice", installations: { 7: ["acme/widgets", "acme/gadgets"], 8: ["other-org/tools"] } },
  { id: 102, login: "bob", installations: { 7: ["acme/gadgets"] } },
];

export interface Dashboard {
  readonly url: string;
  readonly store: AuditStore;
  readonly oauth: FakeOAuth;
  readonly handler: DashboardHandler;
  clock: { now: Date };
  close(): Promise<void>;
}

export async function startDashboard(store: AuditStore, clock: { now: Date }, users: FakeOAuthUser[] = USERS()): Promise<Dashboard> {
  const oauth = await startFakeOAuth(users);
  const handler = createDashboardHandler({
    store,
    github: { oauthClientId: oauth.clientId, oauthClientSecret: oauth.clientSecret, baseUrl: oauth.url, apiUrl: oauth.url },
    cookieKey: randomBytes(32).toString("base64"),
    logger: silent,
    now: () => clock.now,
  });
  const server: Server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    oauth,
    handler,
    clock,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await oauth.close();
    },
  };
}

/** A browser's cookie jar, just enough: name=value pairs from Set-Cookie, Max-Age=0 deletes. */
export class Jar {
  readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export async function get(jar: Jar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
  jar.take(response);
  return response;
}

export async function signIn(dashboard: Dashboard, login: string): Promise<Jar> {
  const jar = new Jar();
  const start = await get(jar, `${dashboard.url}/dashboard/login`);
  const authorize = new URL(start.headers.get("location")!);
  const approve = new URL("/login/oauth/authorize/approve", dashboard.oauth.url);
  approve.searchParams.set("as", login);
  approve.searchParams.set("state", authorize.searchParams.get("state")!);
  approve.searchParams.set("redirect_uri", authorize.searchParams.get("redirect_uri")!);
  const approved = await fetch(approve, { redirect: "manual" });
  const callback = await get(jar, approved.headers.get("location")!);
  if (callback.status !== 303) throw new Error(`sign-in as ${login}: callback answered ${callback.status}: ${await callback.text()}`);
  return jar;
}
