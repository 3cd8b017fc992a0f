/**
 * `GET /api/v1/audit` on the app's own server (src/app/server.ts), beside the webhooks and the scan
 * API: a pull request with a planted key is scanned through a fake GitHub, and its audit record is
 * then read back over HTTP with an `audit` token issued by `pr-sentinel tokens create` on the same
 * DATA_DIR while the app runs. The key is found by the scan and is nowhere in the export.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTokensCommand } from "../../../src/cli/tokens-command.js";
import { startHarness, type Harness } from "../../helpers/fake-github/harness.js";
import { addPullRequest } from "../../helpers/fake-github/scenario.js";
import { checksUnderTest, fakeAwsKeyId } from "../../helpers/fake-github/test-checks.js";
import { pullRequestPayload } from "../../helpers/fake-github/webhooks.js";
import { AUDIT_OPERATION, expectDocumented } from "./openapi-validator.js";

const KEY = fakeAwsKeyId("audit-api");
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ checks: checksUnderTest() });
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

async function issue(scopes: readonly string[]): Promise<string> {
  let out = "";
  let err = "";
  const code = await runTokensCommand(["create", "--name", `server ${scopes.join("+")}`, ...scopes.flatMap((s) => ["--scope", s])], {
    stdout: { write: (c: string) => (out += c) },
    stderr: { write: (c: string) => (err += c) },
    env: { DATA_DIR: h.dataDir },
  });
  if (code !== 0) throw new Error(err);
  return out.trim();
}

async function get(path: string, token: string) {
  const res = await fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  expectDocumented(res.status, res.headers.get("content-type") ?? undefined, text, Object.fromEntries(res.headers), AUDIT_OPERATION);
  return { status: res.status, text, headers: res.headers };
}

describe("the audit API on the app's server", () => {
  it("exports the record of a scanned pull request to an audit token, and refuses a scan token", async () => {
    const pull = addPullRequest(h.fake, { owner: "acme", repo: "exported", number: 3, changes: [{ path: "src/aws.ts", base: null, head: `export const key = "${KEY}";\n` }] });
    const payload = pullRequestPayload({ action: "opened", owner: "acme", repo: "exported", installationId: 41, number: 3, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: 1 });
    expect((await h.send("pull_request", payload, "audit-api-1")).status).toBe(200);
    await h.app.idle();

    const auditor = await issue(["audit"]);
    const res = await get("/api/v1/audit?repo=acme/exported", auditor);
    expect(res.status).toBe(200);
    const records = res.text.trimEnd().split("\n").map((l) => JSON.parse(l) as { repository: string; head_sha: string; findings: { rule: string }[] });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ repository: "acme/exported", head_sha: pull.headSha });
    expect(records[0]!.findings.length).toBeGreaterThan(0);
    for (let i = 0; i + 8 <= KEY.length; i++) expect(res.text).not.toContain(KEY.slice(i, i + 8));
    const csv = await get("/api/v1/audit?repo=acme/exported&format=csv", auditor);
    expect(csv.text.split("\r\n")).toHaveLength(3);
    for (let i = 0; i + 8 <= KEY.length; i++) expect(csv.text).not.toContain(KEY.slice(i, i + 8));

    const scanner = await issue(["scan"]);
    expect((await get("/api/v1/audit", scanner)).status).toBe(403);
    // The webhooks still answer beside it.
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  }, 60_000);
});
