/**
 * Files that projects commit on purpose, in the style of real ones (written for these tests), added
 * in one change through the real engine and the policy check: the file audits must stay silent on
 * all of them, except the two whose outcome is a decision (a vendored jar is a low binary-file
 * finding; a key under test/fixtures is still reported, at low). Binary fixtures reach the check as
 * the sources hand them over: `readHead` refuses them with `ContentError("binary")`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { fileAudits } from "../../../../src/checks/policy/audits/files/index.js";
import { policyCheck } from "../../../../src/checks/policy/index.js";
import { configFromObject } from "../../../../src/core/config/load-config.js";
import { runScan } from "../../../../src/core/engine.js";
import { ContentError, type ChangedFile } from "../../../../src/core/types.js";
import { fileChange } from "../../dependencies/harness.js";

const SAFE_DIR = fileURLToPath(new URL("../../../fixtures/policy/files/safe/", import.meta.url));
const FILE_RULES = new Set(fileAudits.map((a) => `policy/${a.id}`));

/** The decided outcomes; every other safe file gives no file-audit finding. */
const EXPECTED = [
  { path: "libs/acme-strings-1.2.0.jar", ruleId: "policy/binary-file", severity: "low", line: 1 },
  { path: "test/fixtures/tls/server.key", ruleId: "policy/private-key-file", severity: "low", line: 1 },
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function addedFile(full: string): ChangedFile {
  const path = relative(SAFE_DIR, full).split("\\").join("/");
  const bytes = readFileSync(full);
  if (bytes.subarray(0, 8000).includes(0)) {
    return fileChange(path, null, "", {
      binary: true,
      addedLines: [],
      commentableLines: new Set(),
      readHead: async () => {
        throw new ContentError(`${path}: binary file`, "binary");
      },
    });
  }
  return fileChange(path, null, bytes.toString("utf8"));
}

describe("safe added files", () => {
  const files = walk(SAFE_DIR).map(addedFile);

  it("are at least fifteen, text and binary", () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(files.filter((f) => f.binary).length).toBeGreaterThanOrEqual(3);
  });

  it("give no file-audit finding except the decided ones", async () => {
    const config = configFromObject({}, "safe-files", [policyCheck]);
    const result = await runScan({ files, checks: [policyCheck], config, logger: pino({ level: "silent" }), services: {}, offline: true });
    expect(result.outcomes.filter((o) => o.status === "error")).toEqual([]);
    const found = result.findings
      .filter((f) => FILE_RULES.has(f.ruleId))
      .map((f) => ({ path: f.path, ruleId: f.ruleId, severity: f.severity, line: f.startLine }))
      .sort((a, b) => a.path.localeCompare(b.path));
    expect(found).toEqual(EXPECTED);
  });
});
