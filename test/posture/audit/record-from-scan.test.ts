import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { secretsCheck } from "../../../src/checks/secrets/index.js";
import { configFromObject } from "../../../src/core/config/load-config.js";
import { runScan } from "../../../src/core/engine.js";
import { defineCheck, type ScanResult } from "../../../src/core/types.js";
import { exportAudit } from "../../../src/posture/audit/export.js";
import { openAuditStore } from "../../../src/posture/audit/open-store.js";
import { auditRecordFromScan, auditRecordWithoutScan, configHash } from "../../../src/posture/audit/record-from-scan.js";
import { base62Crc32Checksum } from "../../../src/checks/secrets/validators/github-token.js";
import { addedFile, BASE62, randomAwsPair, randomFrom, randomGithubPat } from "../../checks/secrets/harness.js";
import { finding, record, scanResult } from "./fixtures.js";

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const schema = JSON.parse(readFileSync(new URL("../../../docs/audit-record.schema.json", import.meta.url), "utf8")) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-audit-record-"));
  dirs.push(dir);
  return dir;
};

class Collect extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.text += chunk.toString("utf8");
    done();
  }
}

async function exportOf(records: Parameters<typeof record>[0][] | ReturnType<typeof record>[], format: "jsonl" | "csv" = "jsonl") {
  const dataDir = tempDir();
  const store = await openAuditStore({ dataDir, logger: silent });
  try {
    await store.appendMany(records as ReturnType<typeof record>[]);
    const out = new Collect();
    await exportAudit(store, { format }, out);
    return { text: out.text, dataDir };
  } finally {
    await store.close();
  }
}

describe("auditRecordFromScan", () => {
  it("counts findings by check, rule and severity and lists each by fingerprint and place only", () => {
    const findings = [
      finding({ severity: "critical", ruleId: "secrets/aws-access-key", message: "AWS key AKIA…", evidence: "AKIA…WXYZ (20 chars)", suggestion: "x = env()" }),
      finding({ severity: "high" }),
      finding({ checkId: "dependencies", ruleId: "dependencies/known-vulnerability", severity: "medium", confidence: "low", path: "package-lock.json", startLine: 10, endLine: 12 }),
    ];
    const r = record({ result: scanResult(findings) });
    expect(r.counts).toEqual({
      total: 3,
      by_severity: { critical: 1, high: 1, medium: 1, low: 0, info: 0 },
      by_check: { secrets: 2, dependencies: 1 },
      by_rule: { "secrets/aws-access-key": 1, "secrets/github-classic-pat": 1, "dependencies/known-vulnerability": 1 },
    });
    expect(r.findings[2]).toEqual({
      fingerprint: findings[2]!.fingerprint,
      rule_id: "dependencies/known-vulnerability",
      check_id: "dependencies",
      path: "package-lock.json",
      start_line: 10,
      end_line: 12,
      severity: "medium",
      confidence: "low",
    });
    const text = JSON.stringify(r);
    for (const leaked of ["AWS key", "AKIA", "x = env()", "helpUrl", "evidence", "suggestion"]) expect(text).not.toContain(leaked);
    expect(r.verdict).toMatchObject({ conclusion: "fail", check_run_conclusion: "failure", fail_on: "high" });
    expect(r.suppressions).toEqual({
      inline: 1,
      ignored_paths: 2,
      allowlist: { count: 1, entries: [{ fingerprint: "abcdef012345", reason: "test fixture key, revoked", expires: "2999-01-01", findings: null }] },
      expired_allowlist: [],
      baseline: 0,
    });
    expect(r.checks[1]).toEqual({ check_id: "dependencies", status: "skipped", message: "offline: OSV not asked", duration_ms: 0, finding_count: 0 });
    expect(r.timings).toEqual({
      queued_at: "2023-11-14T22:13:20.000Z",
      started_at: "2023-11-14T22:13:20.250Z",
      finished_at: "2023-11-14T22:13:21.000Z",
      queue_ms: 250,
      run_ms: 750,
      total_ms: 1000,
    });
  });

  it("lists the allowlist entries in effect, with per-entry counts when the engine gives them", () => {
    const result = scanResult();
    const attributed = { ...result, suppressed: { ...result.suppressed, allowlistApplied: [{ fingerprint: "abcdef012345", findings: 1 }] } } as ScanResult;
    const base = {
      job: { target: { kind: "merge_group" as const, owner: "o", repo: "r", headSha: "a".repeat(40), baseSha: "b".repeat(40), headRef: "refs/heads/gh-readonly-queue/main/pr-1" }, event: "merge_group.checks_requested" },
      checkRunId: 9,
      timings: { queuedAt: 0, startedAt: 0, finishedAt: Date.parse("2026-06-01T00:00:00Z") },
      appVersion: "1.2.3",
    };
    const configInfo = {
      hash: null,
      source: { kind: "extends" as const, path: ".github/pr-sentinel.yml", ref: "main", extends: "o/.github" },
      allowlist: [
        { fingerprint: "abcdef012345", reason: "revoked\nline two", expires: "2026-06-01" },
        { fingerprint: "0123456789ab", reason: "expired", expires: "2026-05-31" },
        { fingerprint: "fedcba987654", reason: "forever" },
      ],
    };
    const r = auditRecordFromScan({ ...base, result: attributed, configInfo });
    expect(r.subject).toEqual({ kind: "merge_group", ref: "refs/heads/gh-readonly-queue/main/pr-1" });
    expect(r.installation_id).toBeNull();
    expect(r.suppressions.allowlist.entries).toEqual([
      { fingerprint: "abcdef012345", reason: "revoked line two", expires: "2026-06-01", findings: 1 },
      { fingerprint: "fedcba987654", reason: "forever", expires: null, findings: 0 },
    ]);
  });

  it("scrubs free text that may quote a changed file", () => {
    const pat = randomGithubPat();
    const result = scanResult();
    const noisy: ScanResult = {
      ...result,
      outcomes: [{ checkId: "dependencies", status: "error", message: `package-lock.json: Unexpected token in "${pat}"\n at line 3`, warnings: [], durationMs: 1, findingCount: 0 }],
      notes: [`partial scan near ${pat}`],
    };
    const r = record({ result: noisy });
    expect(JSON.stringify(r)).not.toContain(pat.slice(4, 20));
    expect(r.checks[0]!.message).toMatch(/^package-lock\.json: Unexpected token in "…"$/);
  });

  it("records a check run completed without a scan", () => {
    const r = auditRecordWithoutScan({
      job: { target: { kind: "pull_request", owner: "o", repo: "r", pullNumber: 3, headSha: "a".repeat(40), baseSha: "b".repeat(40) }, event: "pull_request.opened", installationId: 1, deliveryId: "x" },
      checkRunId: 4,
      checkRunConclusion: "action_required",
      title: "Invalid .github/pr-sentinel.yml",
      configInfo: { hash: null, source: { kind: "repository", path: ".github/pr-sentinel.yml", ref: "main" } },
      timings: { queuedAt: 1, startedAt: 2, finishedAt: 3 },
      appVersion: "1.0.0",
    });
    expect(r).toMatchObject({ scanned: false, verdict: { conclusion: null, check_run_conclusion: "action_required" }, counts: { total: 0 }, findings: [] });
  });

  it("hashes configs independent of key order", () => {
    expect(configHash({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(configHash({ b: { d: "x", c: [1, 2] }, a: 1 }));
    expect(configHash({ a: 1 })).not.toBe(configHash({ a: 2 }));
    expect(configHash({ a: 0.5 })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe("the committed JSON Schema", () => {
  it("accepts every exported record, scanned or not", async () => {
    const unscanned = auditRecordWithoutScan({
      job: { target: { kind: "pull_request", owner: "o", repo: "r", pullNumber: 3, headSha: "a".repeat(40), baseSha: "b".repeat(40) }, event: "pull_request.opened" },
      checkRunId: 4,
      checkRunConclusion: "neutral",
      title: "PR Sentinel could not finish the scan",
      configInfo: { hash: null, source: { kind: "defaults" } },
      timings: { queuedAt: 1, startedAt: 2, finishedAt: 3 },
      appVersion: "1.0.0",
    });
    const { text } = await exportOf([record(), record({ result: scanResult([]) }), unscanned]);
    const lines = text.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const ok = validate(JSON.parse(line));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it("rejects a record carrying a finding's message (the schema is closed)", async () => {
    const { text } = await exportOf([record()]);
    const parsed = JSON.parse(text) as { findings: Record<string, unknown>[] };
    parsed.findings[0]!.message = "a secret";
    expect(validate(parsed)).toBe(false);
  });
});

describe("a planted secret", () => {
  it("appears nowhere in the record, the export or the database file", async () => {
    const body = randomFrom(BASE62, 30);
    // A checksummed token, so the rule really reports it.
    const pat = `ghp_${body}${base62Crc32Checksum(body)}`;
    const aws = randomAwsPair();
    const failing = defineCheck({
      meta: { id: "policy", title: "Quoting parser", description: "Fails quoting its input", defaultSeverity: "high", tags: [], rules: [] },
      optionsSchema: z.object({}),
      run: () => Promise.reject(new Error(`cannot parse .github/workflows/ci.yml: unexpected "${aws.secret}" at 3:1`)),
    });
    const checks = [secretsCheck, failing];
    const result = await runScan({
      files: [addedFile("src/settings.ts", ["export const settings = {", `  token: "${pat}",`, `  awsKeyId: "${aws.id}",`, `  awsSecret: "${aws.secret}",`, "};"])],
      config: configFromObject({ fail_on: "high" }, "test", checks),
      checks,
      logger: pino({ level: "silent" }),
      notes: [`listing stopped at ${pat}`],
      today: "2026-01-01",
    });
    // The scan really found it, so the test can fail.
    expect(result.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(["secrets/github-classic-pat", "secrets/aws-access-key-id"]));
    expect(result.outcomes.find((o) => o.checkId === "policy")?.status).toBe("error");
    expect(result.findings.some((f) => (f.evidence ?? "").length > 0)).toBe(true);

    const input = record({ result });
    const { text: jsonl, dataDir } = await exportOf([input]);
    const { text: csv } = await exportOf([input], "csv");
    const files = readdirSync(dataDir).map((name) => readFileSync(join(dataDir, name)).toString("latin1"));
    expect(files.length).toBeGreaterThan(0);
    const haystacks = { record: JSON.stringify(input), jsonl, csv, database: files.join("\n") };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of [pat, aws.id, aws.secret]) {
        // The middle of each: redacted evidence keeps a few characters at each end, we keep none.
        const middle = secret.slice(6, secret.length - 6);
        expect(text.includes(middle), `${where} holds part of a planted secret`).toBe(false);
      }
    }
    expect(jsonl).toContain("secrets/github-classic-pat");
  });
});
