/**
 * End to end through the real secrets check: values whose name sits on another line, in another
 * attribute or in prose are reported by the right rule at the value's line, with redacted
 * evidence; the same files' non-secrets (references, `valueFrom`, plain settings) are not.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contextFormat, contextLines } from "../../../../src/checks/secrets/context/context-lines.js";
import { redactSecret } from "../../../../src/core/redact.js";
import { arrayView, findingsIn, linesOf, loadFixture, packedView, summary } from "./fixtures.js";

const NEGATIVES = new URL("../../../fixtures/secrets/negatives/", import.meta.url);

async function scanFixture(name: string, path = name) {
  const fixture = loadFixture(name);
  const findings = summary(await findingsIn(path, linesOf(fixture.text)));
  const evidence = (id: string) => redactSecret(fixture.secrets.get(id)!);
  return { findings, evidence, fixture };
}

describe("contextLines end to end", () => {
  it("Kubernetes env lists: name then value, value then name, flow maps; not valueFrom or references", async () => {
    const { findings, evidence } = await scanFixture("k8s-deployment.yaml");
    expect(findings).toEqual([
      { rule: "datadog-api-key", line: 18, evidence: evidence("dd") },
      { rule: "generic-api-key-assignment", line: 24, evidence: evidence("payments") },
      { rule: "generic-secret-assignment", line: 28, evidence: evidence("session") },
    ]);
  });

  // A parent key's value is also a generic finding on its own line; which rule check.ts keeps is
  // mergeDerivedMatches' decision once check.ts uses it (merge-derived.test.ts runs it on these files).
  it("Helm values: an env list entry and a parent key naming the service", async () => {
    const { findings, evidence } = await scanFixture("helm-values.yaml");
    expect(findings).toEqual([
      { rule: "datadog-api-key", line: 8, evidence: evidence("datadog") },
      { rule: "twilio-auth-token", line: 14, evidence: evidence("twilio") },
    ]);
  });

  it("hub's config: the host above oauth_token names GitHub", async () => {
    const { findings, evidence } = await scanFixture("hub", "home/.config/hub");
    expect(findings).toEqual([
      { rule: "github-legacy-token", line: 3, evidence: evidence("hub") },
    ]);
  });

  it("ECS task definitions: one-line and multi-line name/value objects, any casing; not secrets' valueFrom", async () => {
    const { findings, evidence } = await scanFixture("ecs-task-definition.json");
    expect(findings).toEqual([
      { rule: "datadog-api-key", line: 11, evidence: evidence("dd") },
      { rule: "aws-secret-access-key", line: 14, evidence: evidence("aws") },
    ]);
  });

  it("Postman environments: key/value objects", async () => {
    const { findings, evidence } = await scanFixture("staging.postman_environment.json");
    expect(findings).toEqual([{ rule: "generic-api-key-assignment", line: 13, evidence: evidence("postman") }]);
  });

  it("HCL container definitions", async () => {
    const { findings, evidence } = await scanFixture("ecs-service.tf");
    expect(findings).toEqual([{ rule: "datadog-api-key", line: 11, evidence: evidence("dd") }]);
  });

  it(".NET config: <add> in either attribute order and over two lines, <setting><value>, entities decoded", async () => {
    const { findings, evidence, fixture } = await scanFixture("web.config");
    expect(fixture.secrets.get("db")).toContain("&");
    expect(findings).toEqual([
      { rule: "generic-password-assignment", line: 5, evidence: evidence("db") },
      { rule: "generic-api-key-assignment", line: 6, evidence: evidence("maps") },
      { rule: "generic-api-key-assignment", line: 12, evidence: evidence("payments") },
    ]);
  });

  it("Markdown and reStructuredText: a name and a value in code spans", async () => {
    const md = await scanFixture("SETUP.md");
    expect(md.findings).toEqual([{ rule: "twilio-auth-token", line: 4, evidence: md.evidence("twilio") }]);
    const rst = await scanFixture("install.rst", "docs/install.rst");
    expect(rst.findings).toEqual([
      { rule: "generic-api-key-assignment", line: 4, evidence: rst.evidence("checkout") },
      { rule: "aws-secret-access-key", line: 5, evidence: rst.evidence("aws") },
    ]);
  });

  it("derives nothing for a file type it does not know, and the scan finds nothing there", async () => {
    const fixture = loadFixture("k8s-deployment.yaml");
    expect(contextFormat("src/deploy.ts")).toBeUndefined();
    expect(contextLines("src/deploy.ts", arrayView(linesOf(fixture.text)))).toEqual([]);
    expect(await findingsIn("src/deploy.ts", linesOf(fixture.text))).toEqual([]);
  });

  it("reads packed lines (the git source) as it reads arrays", () => {
    for (const [name, path] of [
      ["k8s-deployment.yaml", "k8s-deployment.yaml"],
      ["ecs-task-definition.json", "ecs-task-definition.json"],
      ["web.config", "web.config"],
      ["install.rst", "install.rst"],
      ["hub", ".config/hub"],
    ] as const) {
      const lines = linesOf(loadFixture(name).text, 7);
      expect(contextLines(path, packedView(lines)), name).toEqual(contextLines(path, arrayView(lines)));
      expect(contextLines(path, packedView(lines)).length, name).toBeGreaterThan(0);
    }
  });
});

describe("contextLines on the precision corpus' context negatives", () => {
  // corpus.test.ts requires these files to yield no finding at all; here, that they do derive the
  // lines, so it is the rules' filters (references, hashes, plain words) that keep them quiet.
  const derivedFrom = (name: string) => {
    const text = readFileSync(new URL(name, NEGATIVES), "utf8").replace(/\n$/, "");
    return contextLines(name, arrayView(linesOf(text))).map((l) => l.text);
  };

  it("derives the Kubernetes references, hashes and plain settings", () => {
    expect(derivedFrom("context-k8s-env.yaml")).toEqual(
      expect.arrayContaining([
        'DB_PASSWORD: "${DB_PASSWORD}"',
        'API_TOKEN: "$(REPORTS_API_TOKEN)"',
        'API_KEY_SHA256: "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"',
        'LOG_LEVEL: "debug"',
        'foo: "bar"',
        'datadog_api_key: "${DD_API_KEY}"',
      ]),
    );
    expect(derivedFrom("context-k8s-env.yaml").some((l) => l.startsWith("DD_API_KEY"))).toBe(false);
  });

  it("derives the JSON, XML and prose negatives", () => {
    expect(derivedFrom("context-ecs.json")).toEqual(expect.arrayContaining(['DB_PASSWORD: "${DB_PASSWORD}"', 'token: "{{token}}"', 'password: "<your-password>"']));
    expect(derivedFrom("context-web.config")).toEqual(expect.arrayContaining(['ApiKey: "#{ApiKey}#"', 'Password: "<set in Azure>"', 'ApiKeyHeader: "X-Api-Key"']));
    expect(derivedFrom("context-docs.md")).toEqual(['LOG_LEVEL: "debug"', 'API_KEY: "YOUR_API_KEY"', 'TOKEN: "<your-token>"', 'DB_PASSWORD: "${DB_PASSWORD}"']);
  });
});

describe("contextLines limits", () => {
  const entry = ["env:", "  - name: DD_API_KEY", '    value: "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"'];

  it("pairs a name only with a value in the same run of added lines", () => {
    expect(contextLines("k.yaml", arrayView(linesOf(entry.join("\n"))))).toEqual([
      { line: 3, text: 'DD_API_KEY: "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"' },
    ]);
    // The name line was added, the value line is unchanged context: nothing to derive.
    expect(contextLines("k.yaml", arrayView([{ line: 1, text: entry[0]! }, { line: 2, text: entry[1]! }]))).toEqual([]);
    // The value was added under a name that is context (line 2 not added): the name cannot be seen.
    expect(contextLines("k.yaml", arrayView([{ line: 1, text: entry[0]! }, { line: 3, text: entry[2]! }]))).toEqual([]);
  });

  it("looks no further than eight lines for the name", () => {
    const far = ["  - name: DD_API_KEY", ...Array.from({ length: 8 }, (_, i) => `    x${i}: y`), '    value: "v"'];
    const near = ["  - name: DD_API_KEY", ...Array.from({ length: 7 }, (_, i) => `    x${i}: y`), '    value: "v"'];
    expect(contextLines("k.yaml", arrayView(linesOf(far.join("\n"))))).toEqual([]);
    expect(contextLines("k.yaml", arrayView(linesOf(near.join("\n"))))).toEqual([{ line: 9, text: 'DD_API_KEY: "v"' }]);
  });

  it("skips lines over 4,096 characters, whole or as neighbours", () => {
    const long = `{"name": "DD_API_KEY", "value": "v", "pad": "${"x".repeat(4100)}"}`;
    expect(contextLines("a.json", arrayView(linesOf(long)))).toEqual([]);
    expect(contextLines("a.json", packedView(linesOf(long)))).toEqual([]);
    const split = ["{", `"name": "DD_API_KEY", "pad": "${"x".repeat(4100)}",`, '"value": "v"', "}"];
    expect(contextLines("a.json", arrayView(linesOf(split.join("\n"))))).toEqual([]);
  });

  it("stays linear on hostile input", () => {
    const hostile = [
      "- ".repeat(2000),
      "{".repeat(4000),
      `"value": ${'"a\\'.repeat(1300)}`,
      `<add ${'key="'.repeat(1000)}`,
      "`a` to ".repeat(580),
      `value: ${"name: ".repeat(680)}`,
    ];
    // 1,200 lines of about 4 KB (5 MB) per format; linear work takes well under a second each.
    const lines = linesOf(Array.from({ length: 1200 }, (_, i) => hostile[i % hostile.length]).join("\n"));
    const started = performance.now();
    for (const path of ["a.yaml", "a.json", "a.config", "a.md"]) contextLines(path, arrayView(lines));
    expect(performance.now() - started).toBeLessThan(8000);
  });
});
