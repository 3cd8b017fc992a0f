import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authorizeUrl,
  exchangeCode,
  fetchAccessibleRepositories,
  fetchUser,
  GitHubAccessError,
  newPkceVerifier,
  pkceChallenge,
} from "../../../src/posture/dashboard/github-access.js";
import { freePort } from "../../helpers/free-port.js";
import { startFakeOAuth, type FakeOAuth } from "../../helpers/fake-github/oauth.js";

describe("GitHub access for the dashboard", () => {
  let fake: FakeOAuth;
  const many = Array.from({ length: 250 }, (_, i) => `big-org/repo-${i}`);
  beforeAll(async () => {
    fake = await startFakeOAuth([{ id: 5, login: "carol", installations: { 1: many, 2: ["small/one", "big-org/repo-3"] } }]);
  });
  afterAll(() => fake?.close());
  const config = () => ({ oauthClientId: fake.clientId, oauthClientSecret: fake.clientSecret, baseUrl: fake.url, apiUrl: fake.url });

  const redirect = "http://127.0.0.1:1/dashboard/oauth/callback";

  /** Approves as carol on the fake's page, as a browser would; returns the code and the verifier the authorize URL was made with. */
  async function approvedCode(): Promise<{ code: string; verifier: string }> {
    const verifier = newPkceVerifier();
    const authorize = new URL(authorizeUrl(config(), redirect, "st", verifier));
    expect(authorize.searchParams.get("client_id")).toBe(fake.clientId);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    const approve = new URL("/login/oauth/authorize/approve", fake.url);
    for (const name of ["state", "redirect_uri", "code_challenge"]) approve.searchParams.set(name, authorize.searchParams.get(name)!);
    approve.searchParams.set("as", "carol");
    const approved = await fetch(approve, { redirect: "manual" });
    return { code: new URL(approved.headers.get("location")!).searchParams.get("code")!, verifier };
  }

  async function token(): Promise<string> {
    const { code, verifier } = await approvedCode();
    return await exchangeCode(config(), code, redirect, verifier);
  }

  it("sends PKCE: the challenge is the verifier's SHA-256, and a code cannot be exchanged without the verifier", async () => {
    const verifier = newPkceVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(authorizeUrl(config(), redirect, "st", verifier)).searchParams.get("code_challenge")).toBe(pkceChallenge(verifier));
    // RFC 7636, appendix B.
    expect(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    const { code } = await approvedCode();
    await expect(exchangeCode(config(), code, redirect, newPkceVerifier())).rejects.toThrow(/token exchange: invalid_grant/);
  });

  it("lists every repository of every installation, page by page, once each", async () => {
    const t = await token();
    expect(await fetchUser(config(), t)).toEqual({ id: 5, login: "carol" });
    const names = await fetchAccessibleRepositories(config(), t);
    expect(names).toHaveLength(251);
    expect(new Set(names)).toEqual(new Set([...many, "small/one"]));
    expect(fake.calls.filter((c) => c.startsWith("/user/installations/1/repositories"))).toEqual([1, 2, 3].map((p) => `/user/installations/1/repositories?per_page=100&page=${p}`));
  });

  it("says which call failed: a used code, a revoked token, an unreachable GitHub", async () => {
    await expect(exchangeCode(config(), "not-a-code", "http://127.0.0.1:1/x", newPkceVerifier())).rejects.toThrow(/token exchange: bad_verification_code/);
    const t = await token();
    fake.revokeTokens("carol");
    const revoked = await fetchUser(config(), t).catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(GitHubAccessError);
    expect((revoked as GitHubAccessError).unauthorized).toBe(true);
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(fetchUser({ ...config(), apiUrl: closed }, t)).rejects.toThrow(GitHubAccessError);
  });
});
