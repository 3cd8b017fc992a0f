/**
 * The context fixtures (test/fixtures/secrets/context/) with their `%NAME:KIND%` markers replaced
 * by credentials generated now, and a scan through the real secrets check. Nothing realistic is
 * committed: the fixtures hold the shape of real files, the values are made at test time.
 */
import { readFileSync } from "node:fs";
import { arrayLineView } from "../../../../src/core/added-line-view.js";
import { PackedAddedLinesBuilder } from "../../../../src/core/diff/packed-added-lines.js";
import type { AddedLine, AddedLineView, FindingDraft } from "../../../../src/core/types.js";
import { addedFile, BASE62, BASE64, randomFrom, secretsCheckDrafts } from "../harness.js";

const FIXTURES = new URL("../../../fixtures/secrets/context/", import.meta.url);
const HEX = "0123456789abcdef";

export interface Fixture {
  /** The file's text with generated values in place of the markers. */
  readonly text: string;
  /** Marker name -> the secret as the application reads it (entity-decoded for XML). */
  readonly secrets: ReadonlyMap<string, string>;
}

function generate(kind: string): { written: string; secret: string } {
  switch (kind) {
    case "HEX32":
      return same(randomFrom(HEX, 32));
    case "HEX40":
      return same(randomFrom(HEX, 40));
    case "AWS40":
      return same(randomFrom(BASE64, 40));
    case "B62_32":
      return same(generated(32));
    case "XMLPASS": {
      // An `&` the file must write as `&amp;`: the rules judge the decoded value.
      const [a, b] = [generated(9), generated(9)];
      return { written: `${a}&amp;${b}`, secret: `${a}&${b}` };
    }
    default:
      throw new Error(`unknown fixture marker kind ${kind}`);
  }
}

const same = (value: string) => ({ written: value, secret: value });

/**
 * Random base62 with digits inside it: the generic rules rightly take a value of letters only
 * (or letters and a trailing number) for words, and a test must not fail by chance.
 */
function generated(length: number): string {
  for (;;) {
    const value = randomFrom(BASE62, length);
    if ((value.match(/[0-9]/g)?.length ?? 0) >= 3 && /[0-9][A-Za-z]/.test(value)) return value;
  }
}

export function loadFixture(name: string): Fixture {
  const secrets = new Map<string, string>();
  const written = new Map<string, string>();
  const raw = readFileSync(new URL(name, FIXTURES), "utf8").replace(/\n$/, "");
  const text = raw.replace(/%([a-z0-9]+):([A-Z0-9_]+)%/g, (_, id: string, kind: string) => {
    if (!written.has(id)) {
      const value = generate(kind);
      written.set(id, value.written);
      secrets.set(id, value.secret);
    }
    return written.get(id)!;
  });
  return { text, secrets };
}

export function linesOf(text: string, first = 1): AddedLine[] {
  return text.split("\n").map((line, i) => ({ line: first + i, text: line }));
}

export function arrayView(lines: readonly AddedLine[]): AddedLineView {
  return arrayLineView(lines);
}

/** The same lines packed as the git source hands them out, to test the packed fast path. */
export function packedView(lines: readonly AddedLine[]): AddedLineView {
  const builder = new PackedAddedLinesBuilder();
  for (const line of lines) builder.add(line.line, line.text);
  return builder.build();
}

/** Findings of the real secrets check (built-in rules, default options) for one added file. */
export function findingsIn(path: string, lines: readonly AddedLine[]): Promise<FindingDraft[]> {
  return secretsCheckDrafts([addedFile(path, lines)]);
}

/** What a test compares: rule, line and evidence of each finding, in line order. */
export function summary(findings: readonly FindingDraft[]): { rule: string; line: number; evidence: string | undefined }[] {
  return findings
    .map((f) => ({ rule: f.ruleId, line: f.startLine, evidence: f.evidence }))
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
