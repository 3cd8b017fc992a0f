import { describe, expect, it } from "vitest";
import { createSecretsCheck } from "../../../src/checks/secrets/check.js";
import { keyedHash } from "../../../src/core/fingerprint.js";
import {
  addedFile,
  makeJwt,
  randomAwsPair,
  randomGithubPat,
  randomPemLines,
  randomSlackBotToken,
  scan,
  testRules,
} from "./harness.js";

const check = createSecretsCheck(testRules);

describe("secrets check", () => {
  it("reports a token at its line with the rule id, redacted evidence and a keyed-hash identity", async () => {
    const token = randomGithubPat();
    const result = await scan(check, [addedFile("src/config.ts", ["const a = 1;", `const token = "${token}";`])]);
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({
      ruleId: "secrets/test-github-pat",
      startLine: 2,
      endLine: 2,
      severity: "high",
      message: "GitHub classic personal access token",
      identity: keyedHash(token),
    });
    expect(finding!.evidence).toMatch(/^ghp_/);
    expect(finding!.evidence).not.toContain(token.slice(4, 16));
    expect(finding!.properties).toMatchObject({ provider: "GitHub" });
  });

  it("scans only the added lines of a modified file", async () => {
    const token = randomGithubPat();
    const file = addedFile("app.py", [{ line: 7, text: "x = 1" }], "modified");
    const withHead = { ...file, readHead: async () => `t = "${token}"\n`.repeat(6) + "x = 1\n" };
    const result = await scan(check, [withHead]);
    expect(result.findings).toHaveLength(0);
  });

  it("reports a secret that is moved to another file (it is added again)", async () => {
    const token = randomGithubPat();
    const moved = addedFile("new/place.env", [{ line: 3, text: `GH=${token}` }], "modified");
    const result = await scan(check, [moved]);
    expect(result.findings.map((f) => [f.path, f.startLine])).toEqual([["new/place.env", 3]]);
  });

  it("spans the lines of a PEM private key", async () => {
    const pem = randomPemLines();
    const result = await scan(check, [addedFile("deploy/key.txt", ["# key", ...pem, "done"])]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      ruleId: "secrets/test-private-key",
      startLine: 2,
      endLine: 1 + pem.length,
    });
    expect(result.findings[0]!.evidence).not.toContain("\n");
    expect(result.findings[0]!.evidence).not.toContain(pem[1]!.slice(0, 12));
  });

  it("does not join runs of added lines that are not consecutive", async () => {
    const pem = randomPemLines();
    const lines = pem.map((text, i) => ({ line: i < 3 ? i + 1 : i + 10, text }));
    const result = await scan(check, [addedFile("key.pem", lines, "modified")]);
    expect(result.findings).toHaveLength(0);
  });

  it("reports the same secret at each place and counts it once", async () => {
    const token = randomGithubPat();
    const result = await scan(check, [
      addedFile("a.env", [`TOKEN=${token}`]),
      addedFile("b.env", [`X=1`, `TOKEN=${token}`]),
    ]);
    expect(result.findings).toHaveLength(2);
    expect(result.stats.distinctFindings).toBe(1);
  });

  it("lowers the severity in test paths but still reports", async () => {
    const token = randomGithubPat();
    const result = await scan(check, [addedFile("test/fixtures/tokens.ts", [`"${token}"`])]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ severity: "low", properties: { test_file: true } });
    const custom = await scan(check, [addedFile("qa/tokens.ts", [`"${token}"`])], {
      test_paths: ["qa"],
      test_severity: "medium",
    });
    expect(custom.findings[0]!.severity).toBe("medium");
  });

  it("skips placeholders and documented examples", async () => {
    const lines = [
      'password = "${DB_PASSWORD}"',
      'password: "{{ vault_password }}"',
      'password = "changeme123"',
      'password = "<your-password>"',
      'password = "xxxxxxxxxxxx"',
      'password = "abcdef123456"',
      "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
      'password = "process.env.PASSWORD"',
      'password = "**********"',
    ];
    const result = await scan(check, [addedFile("docs/setup.md", lines)]);
    expect(result.findings).toEqual([]);
  });

  it("does not let a generic rule report hashes, UUIDs or lockfile integrity values", async () => {
    const lines = [
      'password_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
      'password_id = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"',
      '"integrity": "sha512-2hGLr0QcZ9Vw0qkq3pQOmlX2KuXjz6dDF0Rq6+fO1zr7bq8j2m4R8d0w1oZpX5y3u6pN0e9vT4wYl3h0m2r1kA==", "password": "sha512-2hGLr0QcZ9Vw0qkq3pQO"',
    ];
    const result = await scan(check, [addedFile("package-lock.json", lines)]);
    expect(result.findings).toEqual([]);
  });

  it("lets the specific rule win when a generic rule finds the same value", async () => {
    const token = randomGithubPat();
    const result = await scan(check, [addedFile("a.yml", [`password: "${token}"`])]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(["secrets/test-github-pat"]);
  });

  it("lets the specific rule win when the generic rule's value only overlaps it", async () => {
    const token = randomGithubPat();
    const result = await scan(check, [addedFile("a.yml", [`password: "${token}:x"`])]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(["secrets/test-github-pat"]);
  });

  it("describes a JWT by its claims and lowers an expired one", async () => {
    const live = makeJwt({ iss: "https://auth.example.test", exp: 4102444800 });
    const old = makeJwt({ iss: "issuer-a", exp: 1714521600 }, "RS256");
    const result = await scan(check, [addedFile("a.http", [`Authorization: Bearer ${live}`, `x ${old}`])]);
    const byLine = new Map(result.findings.map((f) => [f.startLine, f]));
    expect(byLine.get(1)!.message).toBe("JWT signed with HS256, issued by https://auth.example.test, expires 2100-01-01 (JSON Web Token)");
    expect(byLine.get(1)!.severity).toBe("medium");
    expect(byLine.get(2)!.message).toContain("expired 2024-05-01");
    expect(byLine.get(2)!.severity).toBe("low");
    expect(byLine.get(2)!.properties).toMatchObject({ jwt_alg: "RS256", jwt_issuer: "issuer-a" });
    expect(JSON.stringify(result)).not.toContain(old.split(".")[2]!.slice(0, 12));
  });

  it("runs only vendor-prefixed rules on lines longer than max_line_length", async () => {
    const token = randomGithubPat();
    const filler = "a=b;".repeat(2000);
    const lines = [`${filler}var t="${token}";${filler}`, `${filler}var password="Qw9#zL2!vK8@pR4$";`];
    const result = await scan(check, [addedFile("dist/app.min.js", lines)]);
    expect(result.findings.map((f) => [f.ruleId, f.startLine])).toEqual([["secrets/test-github-pat", 1]]);
    expect(result.outcomes[0]!.warnings.join("\n")).toMatch(/longer than max_line_length/);
  });

  it("scans at most max_file_bytes of a file and says so", async () => {
    const token = randomGithubPat();
    const lines = [...Array.from({ length: 2000 }, () => "x".repeat(9)), `t = "${token}"`];
    const result = await scan(check, [addedFile("big.txt", lines)], { max_file_bytes: 10_000 });
    expect(result.findings).toEqual([]);
    expect(result.outcomes[0]!.warnings.join("\n")).toMatch(/big\.txt: only the first 1000 of 2001 added lines/);
  });

  it("finds several kinds in one file", async () => {
    const aws = randomAwsPair();
    const slack = randomSlackBotToken();
    const result = await scan(check, [
      addedFile(".env", [`AWS_ACCESS_KEY_ID=${aws.id}`, `AWS_SECRET_ACCESS_KEY=${aws.secret}`, `SLACK=${slack}`]),
    ]);
    expect(result.findings.map((f) => [f.ruleId, f.startLine]).sort()).toEqual([
      ["secrets/test-aws-access-key-id", 1],
      ["secrets/test-aws-secret-access-key", 2],
      ["secrets/test-slack-bot-token", 3],
    ]);
  });

  it("lists one rule meta per rule plus the custom rules entry", () => {
    expect(check.meta.rules.map((r) => r.id)).toEqual([...testRules.map((r) => r.id), "custom"]);
  });

  it("stops when the scan is aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("superseded"));
    const run = check.run({
      files: [addedFile("a.txt", ["x"])],
      options: check.optionsSchema.parse({}),
      logger: (await import("pino")).pino({ level: "silent" }),
      signal: controller.signal,
      services: {},
      offline: false,
      readFileAtHead: async () => null,
    });
    await expect(run).rejects.toThrow("superseded");
  });
});

describe("redaction of user:password secrets", () => {
  it("shows the user and nothing of a short password behind a long user name", async () => {
    const { secretRules } = await import("../../../src/checks/secrets/rules/index.js");
    const password = "Xk9pQ2mZ";
    const result = await scan(createSecretsCheck(secretRules), [
      addedFile("deploy/app.env", [`DATABASE_URL=postgres://analytics_reader_service:${password}@db.internal:5432/warehouse`]),
    ]);
    expect(result.findings).toHaveLength(1);
    const evidence = result.findings[0]!.evidence ?? "";
    expect(evidence).toMatch(/^analytics_reader_service:/);
    for (let i = 0; i + 3 <= password.length; i++) expect(evidence).not.toContain(password.slice(i, i + 3));
  });
});

describe("redaction where the user is the credential", () => {
  it("does not show a token written in the user's place (https://<token>:x-oauth-basic@github.com)", async () => {
    const { secretRules } = await import("../../../src/checks/secrets/rules/index.js");
    const { randomFrom } = await import("./harness.js");
    const token = randomFrom("0123456789abcdef", 40);
    const result = await scan(createSecretsCheck(secretRules), [addedFile("scripts/clone.sh", [`git clone https://${token}:x-oauth-basic@github.com/acme/app.git`])]);
    expect(result.findings.length).toBeGreaterThan(0);
    for (const finding of result.findings) {
      const evidence = finding.evidence ?? "";
      // At most a few characters of each end, never the token's middle.
      expect(evidence).not.toContain(token.slice(4, 36));
      for (let i = 6; i + 8 <= token.length - 6; i++) expect(evidence).not.toContain(token.slice(i, i + 8));
    }
  });
});
