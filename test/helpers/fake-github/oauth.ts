/**
 * A fake of GitHub's OAuth web flow and the user-to-server endpoints the dashboard asks, on its own
 * loopback server (web and API on one port): the authorize page lists the fake's users as buttons
 * (a person clicks "Authorize as …", as on GitHub), the code is single-use and bound to the client
 * and redirect_uri (and, when the authorize request carried a PKCE S256 `code_challenge`, to the
 * `code_verifier` whose hash it is, as GitHub checks it), and `/user/installations/{id}/repositories` pages by `per_page`/`page`. Tests
 * change a user's access or revoke their token to see the dashboard re-check.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeOAuthUser {
  readonly id: number;
  readonly login: string;
  /** Installation id to the full names of the repositories this user reaches in it. */
  installations: Record<number, string[]>;
}

export interface FakeOAuth {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly users: Map<string, FakeOAuthUser>;
  /** Paths the API was asked, in order (no tokens). */
  readonly calls: string[];
  revokeTokens(login: string): void;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startFakeOAuth(users: readonly FakeOAuthUser[]): Promise<FakeOAuth> {
  const clientId = `Iv1.${randomBytes(8).toString("hex")}`;
  const clientSecret = randomBytes(20).toString("hex");
  const byLogin = new Map(users.map((u) => [u.login, u]));
  const codes = new Map<string, { login: string; redirectUri: string; challenge?: string }>();
  const tokens = new Map<string, string>();
  const calls: string[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204);
      res.end();
      return;
    }
    if (url.pathname === "/login/oauth/authorize") {
      if (url.searchParams.get("client_id") !== clientId) return json(res, 400, { error: "unknown client_id" });
      const method = url.searchParams.get("code_challenge_method");
      if (url.searchParams.has("code_challenge") && method !== "S256") return json(res, 400, { error: "unsupported code_challenge_method" });
      const keep = ["state", "redirect_uri", "code_challenge"].map((k) => `<input type="hidden" name="${k}" value="${escape(url.searchParams.get(k) ?? "")}">`).join("");
      const buttons = [...byLogin.keys()].map((login) => `<button type="submit" name="as" value="${escape(login)}" id="authorize-${escape(login)}">Authorize as ${escape(login)}</button>`).join(" ");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>Authorize</title><h1>Authorize the App</h1><form method="get" action="/login/oauth/authorize/approve">${keep}${buttons}</form>`);
      return;
    }
    if (url.pathname === "/login/oauth/authorize/approve") {
      const login = url.searchParams.get("as") ?? "";
      const redirectUri = url.searchParams.get("redirect_uri") ?? "";
      if (!byLogin.has(login) || !/^http:\/\/127\.0\.0\.1:\d+\//.test(redirectUri)) return json(res, 400, { error: "bad approval" });
      const code = randomBytes(10).toString("hex");
      const challenge = url.searchParams.get("code_challenge") || undefined;
      codes.set(code, { login, redirectUri, ...(challenge ? { challenge } : {}) });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    if (url.pathname === "/login/oauth/access_token" && req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, string>;
      const grant = codes.get(body.code ?? "");
      codes.delete(body.code ?? "");
      if (body.client_id !== clientId || body.client_secret !== clientSecret) return json(res, 200, { error: "incorrect_client_credentials" });
      if (!grant || grant.redirectUri !== body.redirect_uri) return json(res, 200, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
      if (grant.challenge !== undefined && createHash("sha256").update(body.code_verifier ?? "", "ascii").digest("base64url") !== grant.challenge) {
        return json(res, 200, { error: "invalid_grant", error_description: "The code_verifier does not match the code_challenge." });
      }
      const token = `ghu_${randomBytes(18).toString("hex")}`;
      tokens.set(token, grant.login);
      return json(res, 200, { access_token: token, token_type: "bearer", scope: "" });
    }
    calls.push(url.pathname + url.search);
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    const user = byLogin.get(tokens.get(token) ?? "");
    if (!user) return json(res, 401, { message: "Bad credentials" });
    if (url.pathname === "/user") return json(res, 200, { id: user.id, login: user.login });
    const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
    const slice = <T>(all: T[]) => all.slice((page - 1) * perPage, page * perPage);
    if (url.pathname === "/user/installations") {
      const ids = Object.keys(user.installations).map(Number);
      return json(res, 200, { total_count: ids.length, installations: slice(ids).map((id) => ({ id, account: { login: "acme" } })) });
    }
    const match = /^\/user\/installations\/(\d+)\/repositories$/.exec(url.pathname);
    const repos = match ? user.installations[Number(match[1])] : undefined;
    if (repos) return json(res, 200, { total_count: repos.length, repositories: slice(repos).map((full_name, i) => ({ id: i + 1, full_name })) });
    return json(res, 404, { message: "Not Found" });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    users: byLogin,
    calls,
    revokeTokens(login) {
      for (const [token, owner] of tokens) if (owner === login) tokens.delete(token);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
