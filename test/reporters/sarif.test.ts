import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { trustedMarkdown } from "../../src/core/trusted-markdown.js";
import { FINGERPRINT_KEY, pathToUri, renderSarif, toSarifLog } from "../../src/reporters/sarif.js";
import { finding, fullResult, outcome, scanResult } from "./sample-result.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * The official SARIF 2.1.0 schema as shipped by @microsoft/jest-sarif. It is written for draft-04;
 * its only draft-04 keyword is the root `id`, so renamed to `$id` it compiles under draft-07.
 */
function sarifValidator() {
  const require = createRequire(import.meta.url);
  const path = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const { $schema: _draft04, id, ...schema } = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  // One of its patterns (a language tag) is not valid with the `u` flag, so patterns compile without it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...schema, $id: String(id) } as Record<string, unknown>);
}

const validate = sarifValidator();
const render = (result = fullResult()) => JSON.parse(renderSarif(result, { toolVersion: "0.1.0" }));

describe("renderSarif", () => {
  it.each([
    ["a full result", fullResult()],
    ["a clean result", scanResult()],
    ["a result with hostile paths", scanResult({ findings: [finding({ path: "dir with space/ü#?%.ts", message: "<b>x</b>\n@team" })] })],
    [
      "a result with a secret from an earlier commit (no region) and baselined findings",
      scanResult({
        findings: [finding({ commentable: false, properties: { commit: "a".repeat(40), commit_date: "2026-03-01T10:00:00Z", not_in_head: true } })],
        suppressed: { ignoredPaths: 0, inline: 0, allowlist: 0, baseline: 2 },
      }),
    ],
  ])("is valid SARIF 2.1.0 for %s", (_name, result) => {
    const log = render(result);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("is checked by a validator that does reject broken SARIF", () => {
    const log = render();
    log.runs[0].results[0].level = "fatal";
    expect(validate(log)).toBe(false);
    expect(validate({ ...render(), version: "2.0.0" })).toBe(false);
  });

  it("has one run with the tool, its rules and help URIs", () => {
    const log = render();
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: "pr-sentinel", version: "0.1.0", informationUri: "https://github.com/pr-sentinel/pr-sentinel" });
    expect(driver.rules[0]).toEqual({
      id: "secrets/github-classic-pat",
      name: "SecretsGithubClassicPat",
      shortDescription: { text: "GitHub classic personal access token" },
      fullDescription: { text: "A token that acts as its owner." },
      helpUri: "https://github.com/pr-sentinel/pr-sentinel/blob/main/docs/checks/secrets.md#github-classic-pat",
      defaultConfiguration: { level: "error" },
      properties: { tags: ["security", "secrets"], "security-severity": "8.0", severity: "high", checkId: "secrets" },
    });
  });

  it("gives every result a rule index that resolves, even for a rule the check did not declare", () => {
    const run = render().runs[0];
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain("secrets/undeclared-rule");
  });

  it("maps severity to level and to a security-severity GitHub ranks the same way", () => {
    const results = render().runs[0].results;
    const bySeverity = Object.fromEntries(results.map((r: { properties: Record<string, string> }) => [r.properties.severity, r]));
    expect(bySeverity.critical).toMatchObject({ level: "error", properties: { "security-severity": "9.5" } });
    expect(bySeverity.high).toMatchObject({ level: "error", properties: { "security-severity": "8.0" } });
    expect(bySeverity.medium).toMatchObject({ level: "warning", properties: { "security-severity": "5.5" } });
    expect(bySeverity.low).toMatchObject({ level: "note", properties: { "security-severity": "3.0" } });
    // GitHub: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low.
    const info = toSarifLog(scanResult({ findings: [finding({ severity: "info" })] }), { toolVersion: "x" }).runs[0]!.results[0]!;
    expect(info.level).toBe("note");
    expect(Number(info.properties["security-severity"])).toBeGreaterThan(0);
    expect(Number(info.properties["security-severity"])).toBeLessThan(4);
  });

  it("locates results by relative URI and lines, with the fingerprint GitHub tracks", () => {
    const f = finding({ path: "infra/main.tf", startLine: 3, endLine: 4 });
    const result = render(scanResult({ findings: [f] })).runs[0].results[0];
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "infra/main.tf", uriBaseId: "%SRCROOT%" },
      region: { startLine: 3, endLine: 4 },
    });
    expect(result.partialFingerprints).toEqual({ primaryLocationLineHash: f.fingerprint, [FINGERPRINT_KEY]: f.fingerprint });
    expect(FINGERPRINT_KEY).toBe("prSentinel/v1");
    expect(result.properties).toMatchObject({ severity: "high", confidence: "high", evidence: f.evidence });
    expect(result.message.text).toBe(`${f.message}\n${f.remediation}`);
  });

  it("percent-encodes each path segment", () => {
    expect(pathToUri("dir with space/a#b?.ts")).toBe("dir%20with%20space/a%23b%3F.ts");
  });

  it("reports checks that could not run as notifications and an unsuccessful execution", () => {
    const invocation = render().runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    const texts = invocation.toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => [n.level, n.message.text]);
    expect(texts).toEqual([
      ["error", "dependencies: not checked (error): timed out after 60s (checks.dependencies.timeout_seconds)"],
      ["warning", "osv: not checked (skipped): needs the network and the scan is offline; nothing was checked"],
      ["warning", "policy: Dockerfile too large to read"],
    ]);
    const clean = render(scanResult({ outcomes: [outcome("secrets")] })).runs[0].invocations[0];
    expect(clean).toMatchObject({ executionSuccessful: true, toolExecutionNotifications: [] });
  });
});

describe("renderSarif for code scanning", () => {
  const declared = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `secrets/rule-${i}`,
      checkId: "secrets",
      title: `Rule ${i}`,
      description: "A description that would be repeated for every rule of every check.",
      severity: "high" as const,
      helpUrl: `https://github.com/pr-sentinel/pr-sentinel/blob/main/docs/checks/secrets.md#rule-${i}`,
      risk: trustedMarkdown("Anyone holding it can act as you."),
      fix: trustedMarkdown("Revoke it at [the provider](https://example.com/revoke)."),
    }));

  it("embeds only the rules that have results, in declaration order, with consistent rule indexes", () => {
    const findings = [finding({ ruleId: "secrets/rule-7" }), finding({ ruleId: "secrets/rule-3" }), finding({ ruleId: "secrets/rule-7" })];
    const text = renderSarif(scanResult({ findings, rules: declared(300) }), { toolVersion: "0.1.0" });
    const run = JSON.parse(text).runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(["secrets/rule-3", "secrets/rule-7"]);
    expect(run.results.map((r: { ruleIndex: number }) => r.ruleIndex)).toEqual([1, 0, 1]);
    expect(text.length).toBeLessThan(10_000);
    expect(render(scanResult()).runs[0].tool.driver.rules).toEqual([]);
  });

  it("keeps each embedded rule's help: its risk and its fix", () => {
    const rule = render(scanResult({ findings: [finding({ ruleId: "secrets/rule-0" })], rules: declared(1) })).runs[0].tool.driver.rules[0];
    expect(rule.help).toEqual({
      text: "Anyone holding it can act as you.\n\nFix: Revoke it at [the provider](https://example.com/revoke).",
      markdown: "**Why it matters:** Anyone holding it can act as you.\n\n**Fix:** Revoke it at [the provider](https://example.com/revoke).",
    });
  });

  it("names the repository and commit in versionControlProvenance, valid SARIF", () => {
    const sha = "8de3ad9c0ffee8de3ad9c0ffee8de3ad9c0ffee0";
    const log = JSON.parse(renderSarif(fullResult(), { toolVersion: "0.1.0", repositoryUri: "https://github.com/owner/repo", revisionId: sha }));
    expect(log.runs[0].versionControlProvenance).toEqual([{ repositoryUri: "https://github.com/owner/repo", revisionId: sha, mappedTo: { uriBaseId: "%SRCROOT%" } }]);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const noCommit = JSON.parse(renderSarif(fullResult(), { toolVersion: "0.1.0", repositoryUri: "https://github.com/owner/repo" }));
    expect(noCommit.runs[0].versionControlProvenance).toEqual([{ repositoryUri: "https://github.com/owner/repo", mappedTo: { uriBaseId: "%SRCROOT%" } }]);
    expect(render().runs[0].versionControlProvenance).toBeUndefined();
  });

  it.each([
    ["user info", "https://bot:ghp_s3cr3t@github.com/owner/repo"],
    ["a query", "https://github.com/owner/repo?token=s3cr3t"],
    ["a fragment", "https://github.com/owner/repo#s3cr3t"],
    ["an ssh address", "git@github.com:owner/s3cr3t.git"],
    ["a local path", "/home/s3cr3t/repo"],
    ["no URL at all", "s3cr3t"],
  ])("leaves provenance out, rather than repairing it, for a repository URI with %s", (_name, repositoryUri) => {
    const text = renderSarif(fullResult(), { toolVersion: "0.1.0", repositoryUri, revisionId: "a".repeat(40) });
    expect(JSON.parse(text).runs[0].versionControlProvenance).toBeUndefined();
    expect(text).not.toContain("s3cr3t");
  });

  it("leaves out a revision that is not a commit id", () => {
    const log = JSON.parse(renderSarif(fullResult(), { toolVersion: "0.1.0", repositoryUri: "https://github.com/o/r", revisionId: "main\u001b[31m" }));
    expect(log.runs[0].versionControlProvenance).toEqual([{ repositoryUri: "https://github.com/o/r", mappedTo: { uriBaseId: "%SRCROOT%" } }]);
  });

  it("sets automationDetails.id (default pr-sentinel/) and keeps informationUri", () => {
    const run = render().runs[0];
    expect(run.automationDetails).toEqual({ id: "pr-sentinel/" });
    expect(run.tool.driver.informationUri).toBe("https://github.com/pr-sentinel/pr-sentinel");
    expect(toSarifLog(fullResult(), { toolVersion: "x", automationId: "pr-sentinel/monorepo-a/" }).runs[0]!.automationDetails).toEqual({ id: "pr-sentinel/monorepo-a/" });
  });

  it("fingerprints results by the finding's fingerprint, under GitHub's key and its own, never by line", () => {
    const at = (startLine: number) => finding({ startLine, endLine: startLine, fingerprint: "f".repeat(64) });
    const [a, b] = [at(3), at(300)].map((f) => render(scanResult({ findings: [f] })).runs[0].results[0].partialFingerprints);
    expect(a).toEqual({ primaryLocationLineHash: "f".repeat(64), "prSentinel/v1": "f".repeat(64) });
    expect(b).toEqual(a);
  });
});
