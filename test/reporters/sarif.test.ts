import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
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
    expect(result.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: f.fingerprint });
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
