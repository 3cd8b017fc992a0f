import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsCheck } from "../../../../src/checks/secrets/check.js";
import { createSecretVerifier, SECRET_VERIFIER_SERVICE } from "../../../../src/checks/secrets/verify/index.js";
import { createServices } from "../../../../src/services/create-services.js";
import { servicesEnvFrom } from "../../../../src/services/services-env.js";
import { signV4 } from "../../../../src/checks/secrets/verify/sigv4.js";
import { addedFile, randomAwsPair, randomGithubPat, randomSlackBotToken, scan, testRules } from "../harness.js";

const live = {
  github: randomGithubPat(),
  slack: randomSlackBotToken(),
  gitlab: "glpat-live-fake-value-0001",
  stripe: "sk_live_fake_value_for_loopback",
  openai: "sk-fake-value-for-loopback",
  npm: "npm_fake_value_for_loopback",
  aws: randomAwsPair(),
};
const FIXED_NOW = new Date("2026-01-02T03:04:05Z");

let server: Server;
let base: string;
let concurrent = 0;
let maxConcurrent = 0;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Fakes of the providers' endpoints, answering with the providers' documented response shapes. */
async function handle(req: IncomingMessage, res: ServerResponse) {
  const auth = req.headers.authorization ?? "";
  const url = new URL(req.url ?? "/", "http://fake");
  const counted = url.pathname.startsWith("/counted");
  if (counted) maxConcurrent = Math.max(maxConcurrent, ++concurrent);
  try {
    if (url.pathname.startsWith("/slow")) await new Promise((r) => setTimeout(r, 2000));
    if (counted) await new Promise((r) => setTimeout(r, 200));
    switch (url.pathname.replace(/^\/(?:slow|counted)/, "")) {
      case "/user":
        if (auth === `Bearer ${live.github}`) return json(res, 200, { login: "octo-owner", id: 1, type: "User" });
        return json(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
      case "/api/v4/personal_access_tokens/self":
        if (req.headers["private-token"] === live.gitlab) {
          return json(res, 200, { id: 4, name: "ci", revoked: false, active: true, scopes: ["api"] });
        }
        return json(res, 401, { message: "401 Unauthorized" });
      case "/api/auth.test":
        if (auth === `Bearer ${live.slack}`) return json(res, 200, { ok: true, team: "Acme", user: "bot", team_id: "T1" });
        return json(res, 200, { ok: false, error: "invalid_auth" });
      case "/v1/balance":
        if (auth === `Bearer ${live.stripe}`) return json(res, 200, { object: "balance", available: [], pending: [] });
        return json(res, 401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
      case "/v1/models":
        if (auth === `Bearer ${live.openai}`) return json(res, 200, { object: "list", data: [] });
        return json(res, 401, { error: { message: "Incorrect API key provided", code: "invalid_api_key" } });
      case "/-/whoami":
        if (auth === `Bearer ${live.npm}`) return json(res, 200, { username: "publisher" });
        return json(res, 401, { error: "unauthorized" });
      case "/": {
        const body = await bodyOf(req);
        const expected = signV4(
          {
            method: "POST",
            url: new URL("/", base),
            headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
            body,
            region: "us-east-1",
            service: "sts",
            date: FIXED_NOW,
          },
          { accessKeyId: live.aws.id, secretAccessKey: live.aws.secret },
        );
        res.writeHead(auth === expected.authorization ? 200 : 403, { "content-type": "text/xml" });
        // As STS does: an unknown key id is InvalidClientTokenId, a known one with the wrong secret SignatureDoesNotMatch.
        const knownId = auth.includes(`Credential=${live.aws.id}/`);
        return res.end(
          auth === expected.authorization
            ? `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`
            : `<ErrorResponse><Error><Type>Sender</Type><Code>${knownId ? "SignatureDoesNotMatch" : "InvalidClientTokenId"}</Code></Error></ErrorResponse>`,
        );
      }
      case "/redirect/user":
        res.writeHead(302, { location: "http://elsewhere.invalid/user" });
        return res.end();
      default:
        return json(res, 500, { message: "boom" });
    }
  } finally {
    if (counted) concurrent--;
  }
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const verifier = () =>
  createSecretVerifier({
    baseUrls: { github: base, gitlab: base, slack: base, stripe: base, openai: base, npm: base, aws: base },
    now: () => FIXED_NOW,
    timeoutMs: 1000,
  });

describe("secret verifier", () => {
  it.each([
    ["github", live.github, "GitHub user octo-owner"],
    ["gitlab", live.gitlab, 'GitLab token "ci"'],
    ["slack", live.slack, "Slack team Acme"],
    ["stripe", live.stripe, undefined],
    ["openai", live.openai, undefined],
    ["npm", live.npm, "npm user publisher"],
  ])("says a working %s credential is active and a dead one is not", async (name, secret, detail) => {
    const v = verifier();
    expect(await v.verify({ verifier: name, secret })).toEqual({ status: "active", detail });
    expect((await v.verify({ verifier: name, secret: `${secret}x` })).status).toBe("inactive");
  });

  it("signs STS GetCallerIdentity with the key pair found in the same file", async () => {
    const v = verifier();
    const ok = await v.verify({ verifier: "aws", secret: live.aws.secret, related: [live.aws.id] });
    expect(ok).toEqual({ status: "active", detail: "AWS identity arn:aws:iam::123456789012:user/ci" });
    const wrong = await v.verify({ verifier: "aws", secret: live.aws.secret, related: [randomAwsPair().id] });
    expect(wrong.status).toBe("inactive");
    expect((await v.verify({ verifier: "aws", secret: live.aws.secret })).status).toBe("unknown");
  });

  it("does not call a live AWS key id inactive because the file paired it with another secret", async () => {
    const v = verifier();
    const mismatched = await v.verify({ verifier: "aws", secret: live.aws.id, related: [randomAwsPair().secret] });
    expect(mismatched).toEqual({ status: "unknown", detail: "SignatureDoesNotMatch" });
  });

  it("does not call a temporary (ASIA) AWS key inactive when its session token was not sent", async () => {
    const v = verifier();
    const temporary = `ASIA${randomAwsPair().id.slice(4)}`;
    const result = await v.verify({ verifier: "aws", secret: temporary, related: [randomAwsPair().secret] });
    expect(result.status).toBe("unknown");
  });

  it("does not send a GitHub refresh token, which no bearer call accepts, and does not call it inactive", async () => {
    const seen: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const v = createSecretVerifier({ baseUrls: { github: base }, fetch: recording, timeoutMs: 1000 });
    const refresh = `ghr_${randomGithubPat().slice(4)}`;
    expect(await v.verify({ verifier: "github", secret: refresh })).toEqual({
      status: "unknown",
      detail: "refresh tokens cannot be checked",
    });
    expect(seen).toEqual([]);
  });

  it("gives up after the timeout and refuses redirects", async () => {
    const slow = createSecretVerifier({ baseUrls: { github: `${base}/slow` }, timeoutMs: 100 });
    expect(await slow.verify({ verifier: "github", secret: live.github })).toEqual({ status: "unknown", detail: "timed out" });
    const redirected = createSecretVerifier({ baseUrls: { github: `${base}/redirect` } });
    expect((await redirected.verify({ verifier: "github", secret: live.github })).status).toBe("unknown");
  });

  it("bounds concurrency", async () => {
    maxConcurrent = 0;
    const v = createSecretVerifier({ baseUrls: { github: `${base}/counted` }, timeoutMs: 5000, concurrency: 2 });
    await Promise.all(Array.from({ length: 5 }, () => v.verify({ verifier: "github", secret: "x" })));
    expect(maxConcurrent).toBe(2);
  }, 15_000);

  it("is off unless the operator sets PR_SENTINEL_VERIFY_SECRETS=1", () => {
    const verifierFor = (env: Record<string, string>) => createServices(servicesEnvFrom(env), { offline: false }).secretVerifier;
    expect(verifierFor({})).toBeUndefined();
    expect(verifierFor({ PR_SENTINEL_VERIFY_SECRETS: "0" })).toBeUndefined();
    expect(verifierFor({ PR_SENTINEL_VERIFY_SECRETS: "1" })).toBeDefined();
  });

  it("is not a config option: a repository cannot switch it on", async () => {
    const check = createSecretsCheck(testRules);
    await expect(scan(check, [], { verify: true })).rejects.toThrow(/verify/);
  });
});

describe("secrets check with verification", () => {
  it("marks a verified-active credential critical and keeps an unverifiable one as found", async () => {
    const check = createSecretsCheck(testRules);
    const dead = randomGithubPat();
    const result = await scan(
      check,
      [
        addedFile("ci/test.env", [`GH=${live.github}`, `OLD=${dead}`]),
        addedFile(".env", [`AWS_ACCESS_KEY_ID=${live.aws.id}`, `AWS_SECRET_ACCESS_KEY=${live.aws.secret}`]),
      ],
      {},
      { services: { [SECRET_VERIFIER_SERVICE]: verifier() } },
    );
    const byLine = (path: string, line: number) => result.findings.find((f) => f.path === path && f.startLine === line)!;
    expect(byLine("ci/test.env", 1)).toMatchObject({ severity: "critical", properties: { verified: true } });
    expect(byLine("ci/test.env", 1).message).toMatch(/verified active$/);
    expect(byLine("ci/test.env", 2)).toMatchObject({ severity: "high", properties: { verified: false } });
    expect(byLine(".env", 2)).toMatchObject({ severity: "critical", properties: { verified: true } });
  });

  it("never hides a finding when the provider fails", async () => {
    const check = createSecretsCheck(testRules);
    const broken = createSecretVerifier({ baseUrls: { github: `${base}/nowhere` }, timeoutMs: 500 });
    const result = await scan(check, [addedFile("a.env", [`GH=${live.github}`])], {}, { services: { secretVerifier: broken } });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ severity: "high", properties: { verification: "unknown (HTTP 500)" } });
  });
});
