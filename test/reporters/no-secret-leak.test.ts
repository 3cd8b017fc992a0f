import { describe, expect, it } from "vitest";
import { runScan } from "../../src/core/engine.js";
import { redactSecret } from "../../src/core/redact.js";
import { keyedHash } from "../../src/core/fingerprint.js";
import { REPORT_FORMATS, renderReport } from "../../src/reporters/index.js";
import { changedFile, lines } from "../helpers/changed-file.js";
import { configFor, silentLogger, testCheck } from "../core/helpers/test-checks.js";

// Made up for this test; shaped like a token so a redaction that keeps too much would show.
const SECRET = "tok_9fK2mQ7xLp4Rt8Vb3Nc6Hj1Wd5Zs0Ye";

describe("no report format repeats a secret", () => {
  it.each(REPORT_FORMATS)("%s shows only the redacted evidence", async (format) => {
    const check = testCheck("finder", async ({ files }) =>
      files.flatMap((file) =>
        file.addedLines
          .filter((l) => l.text.includes("tok_"))
          .map((l) => {
            const secret = /tok_\w+/.exec(l.text)![0];
            return {
              ruleId: "rule-a",
              path: file.path,
              startLine: l.line,
              message: "a token",
              evidence: redactSecret(secret, "tok_"),
              fingerprintKey: keyedHash(secret),
              identity: keyedHash(secret),
            };
          }),
      ),
    );
    const files = [changedFile({ path: "src/settings.py", head: lines("DEBUG = False", `API_TOKEN = "${SECRET}"`) })];
    const result = await runScan({ files, checks: [check], config: configFor([check]), logger: silentLogger });
    expect(result.findings).toHaveLength(1);
    const report = renderReport(format, result, { color: true, toolVersion: "0.1.0" });
    expect(report).toContain("tok_");
    expect(report).not.toContain(SECRET);
    // Not even a long piece of it: at most a third is ever shown.
    for (let i = 0; i + 12 <= SECRET.length; i++) expect(report).not.toContain(SECRET.slice(i, i + 12));
  });
});
