/**
 * The policy check hands an added file's text to the file audits from its added lines, without a
 * read: from packed lines (what the git source gives) as one slice of the packed text, otherwise
 * by joining the lines. Both must give the audits the same text, so the same findings and sizes.
 */
import { generateKeyPairSync } from "node:crypto";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { policyCheck } from "../../../src/checks/policy/index.js";
import { configFromObject } from "../../../src/core/config/load-config.js";
import { PackedAddedLines, PackedAddedLinesBuilder } from "../../../src/core/diff/packed-added-lines.js";
import { runScan } from "../../../src/core/engine.js";
import type { ChangedFile } from "../../../src/core/types.js";
import { changedFile, type TestChangedFile } from "../../helpers/changed-file.js";

function packed(file: TestChangedFile): ChangedFile {
  const builder = new PackedAddedLinesBuilder();
  for (const { line, text } of file.addedLines) builder.add(line, text);
  const view = builder.build();
  return Object.assign(Object.create(file) as ChangedFile, { addedLineView: view });
}

async function fileFindings(files: readonly ChangedFile[]) {
  const config = configFromObject({ checks: { policy: { max_file_bytes: 1024 } } }, "policy-check", [policyCheck]);
  const result = await runScan({ files, checks: [policyCheck], config, logger: pino({ level: "silent" }), services: {}, offline: true });
  expect(result.outcomes.filter((o) => o.status === "error")).toEqual([]);
  return result.findings.map((f) => ({ ruleId: f.ruleId, path: f.path, line: f.startLine, message: f.message })).sort((a, b) => a.path.localeCompare(b.path));
}

describe("policy check: added files from their added lines", () => {
  const { privateKey } = generateKeyPairSync("ed25519", { privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  // Joined, 1,024 bytes (at the limit: fine) and 1,025 (over it), with blank lines inside and at the
  // end: a separator too many or too few in the text the audits get moves one across the limit.
  const text = (bytes: number) => `${`${"x".repeat(99)}\n\n`.repeat(10)}${"y".repeat(bytes - 1011)}\n\n`;
  const sources = () => [
    changedFile({ path: "deploy/id_ed25519", head: privateKey }),
    changedFile({ path: "data/at-limit.txt", head: text(1024) }),
    changedFile({ path: "data/over-limit.txt", head: text(1025) }),
  ];

  it("gives the same findings from packed lines as from line objects, without reading the file", async () => {
    const plain = sources();
    const fromLines = await fileFindings(plain);
    const heads = sources();
    const views = heads.map(packed);
    expect(views.every((f) => f.addedLineView instanceof PackedAddedLines)).toBe(true);
    const fromPacked = await fileFindings(views);
    expect(fromPacked).toEqual(fromLines);
    expect(fromPacked.map((f) => `${f.ruleId} ${f.path}`)).toEqual(["policy/large-file data/over-limit.txt", "policy/private-key-file deploy/id_ed25519"]);
    expect(heads.map((f) => f.headReads)).toEqual([0, 0, 0]);
  });
});
