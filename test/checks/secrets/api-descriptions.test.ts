import { describe, expect, it } from "vitest";
import { isApiDescription } from "../../../src/checks/secrets/api-descriptions.js";
import { arrayLineView } from "../../../src/core/added-line-view.js";
import { createSecretsCheck } from "../../../src/checks/secrets/check.js";
import { addedFile, randomGithubPat, scan, testRules } from "./harness.js";

const lines = (texts: string[]) => arrayLineView(texts.map((text, i) => ({ line: i + 1, text })));

describe("isApiDescription", () => {
  it("recognises OpenAPI and Swagger documents by their version key near the top", () => {
    expect(isApiDescription("api/openapi.json", lines(["{", '  "openapi": "3.0.3",']))).toBe(true);
    expect(isApiDescription("api/spec.yaml", lines(["# API", "openapi: 3.1.0"]))).toBe(true);
    expect(isApiDescription("swagger.yml", lines(["swagger: '2.0'"]))).toBe(true);
  });

  it("does not take other files for one", () => {
    expect(isApiDescription("src/openapi.ts", lines(['const openapi = "3.0.0";']))).toBe(false);
    expect(isApiDescription("config.yml", lines(["name: app", "openapi_version: 3"]))).toBe(false);
    const late = [...Array.from({ length: 50 }, () => "x: 1"), "openapi: 3.0.0"];
    expect(isApiDescription("late.yml", lines(late))).toBe(false);
  });
});

describe("secrets check on API descriptions", () => {
  it("runs vendor rules but not generic rules, and says so", async () => {
    const check = createSecretsCheck(testRules);
    const token = randomGithubPat();
    const spec = ["openapi: 3.0.3", "components:", "  examples:", '    login: { password: "Zq8vLm3Rt7Kp9" }', `    token: "${token}"`];
    const result = await scan(check, [addedFile("docs/api.yaml", spec)]);
    expect(result.findings.map((f) => [f.ruleId, f.startLine])).toEqual([["secrets/test-github-pat", 5]]);
    // Examples in an API description are documentation: reported, at test severity, and marked.
    expect(result.findings[0]!.severity).toBe("low");
    expect(result.findings[0]!.properties?.api_example).toBe(true);
    expect(result.outcomes[0]!.warnings.join("\n")).toMatch(/1 file\(s\) are OpenAPI or Swagger descriptions/);
    const plain = await scan(check, [addedFile("docs/api.yaml", spec.slice(1))]);
    expect(plain.findings.map((f) => f.ruleId).sort()).toEqual(["secrets/test-generic-password", "secrets/test-github-pat"]);
    expect(plain.findings.find((f) => f.ruleId === "secrets/test-github-pat")!.severity).not.toBe("low");
  });
});
