import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeUrl, exchangeCode, fetchAccessibleRepositories, fetchUser, GitHubAccessError } from "../../../src/posture/dashboard/github-access.js";
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

  async function token(): Promise<string> {
    const redirect = "http://127.0.0.1:1/dashboard/oauth/callback";
    const authorize = new URL(authorizeUrl(config(), redirect, "st"));
    expect(authorize.searchParams.get("client_id")).toBe(fake.clientId);
    const approved = await fetch(`${fake.url}/login/oauth/authorize/approve?as=carol&state=st&redirect_uri=${encodeURIComponent(redirect)}`, { redirect: "manual" });
    const code = new URL(approved.headers.get("location")!).searchParams.get("code")!;
    return await exchangeCode(config(), code, redirect);
  }

  it("lists every repository of every installation, page by page, once each", async () => {
    const t = await token();
    expect(await fetchUser(config(), t)).toEqual({ id: 5, login: "carol" });
    const names = await fetchAccessibleRepositories(config(), t);
    expect(names).toHaveLength(251);
    expect(new Set(names)).toEqual(new Set([...many, "small/one"]));
    expect(fake.calls.filter((c) => c.startsWith("/user/installations/1/repositories"))).toEqual([1, 2, 3].map((p) => `/user/installations/1/repositories?per_page=100&page=${p}`));
  });

  it("says which call failed: a used code, a revoked token, an unreachable GitHub", async () => {
    await expect(exchangeCode(config(), "not-a-code", "http://127.0.0.1:1/x")).rejects.toThrow(/token exchange: bad_verification_code/);
    const t = await token();
    fake.revokeTokens("carol");
    const revoked = await fetchUser(config(), t).catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(GitHubAccessError);
    expect((revoked as GitHubAccessError).unauthorized).toBe(true);
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(fetchUser({ ...config(), apiUrl: closed }, t)).rejects.toThrow(GitHubAccessError);
  });
});
