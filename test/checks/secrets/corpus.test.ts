/**
 * Recall and precision of the whole check over the rule table's own vectors and the negative
 * fixtures in test/fixtures/secrets/negatives/. Every sample is an added line (or block) in its
 * own file. A positive must be found by its own rule and by no other; a rule's negative must not
 * be reported by that rule (rule.ts); a negative fixture must yield nothing at all. Precision is
 * the share of judged findings that are real. Fails below 98% recall or 98% precision and prints a
 * per-provider table.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { secretRules } from "../../../src/checks/secrets/rules/index.js";
import type { ChangedFile, FindingDraft } from "../../../src/core/types.js";
import { addedFile, secretsCheckDrafts } from "./harness.js";

const NEGATIVES_DIR = new URL("../../fixtures/secrets/negatives/", import.meta.url);
const THRESHOLD = 0.98;

interface Vector {
  readonly file: ChangedFile;
  /** The rule that must find it; undefined for a negative. */
  readonly rule?: string;
  /**
   * For a rule's negative: the rule that must not fire. Other rules may (a vendor's negative
   * `secret = <random>` is a fine generic finding), so their findings there are not judged.
   */
  readonly notRule?: string;
  readonly provider: string;
}

function vectors(): Vector[] {
  const list: Vector[] = [];
  secretRules.forEach((rule, r) => {
    // A rule limited to some paths is scanned under its sample path, in a folder of its own per sample.
    const pathOf = (kind: string, i: number) =>
      rule.samples.path ? `samples/${kind}-${r}-${i}/${rule.samples.path}` : `src/${kind}-${r}-${i}.txt`;
    rule.samples.positives.forEach((sample, i) => {
      list.push({ file: addedFile(pathOf("positive", i), sample.split("\n")), rule: rule.id, provider: rule.provider });
    });
    rule.samples.negatives.forEach((sample, i) => {
      list.push({ file: addedFile(pathOf("negative", i), sample.split("\n")), notRule: rule.id, provider: rule.provider });
    });
  });
  for (const name of readdirSync(NEGATIVES_DIR).sort()) {
    const text = readFileSync(new URL(name, NEGATIVES_DIR), "utf8").replace(/\n$/, "");
    list.push({ file: addedFile(`negatives/${name}`, text.split("\n")), provider: `fixture ${name}` });
  }
  return list;
}

const findingsOf = secretsCheckDrafts;

interface Tally {
  positives: number;
  found: number;
  findings: number;
  wrong: number;
}

describe("secrets corpus", () => {
  it("has a positive and a negative vector for every rule", () => {
    const missing = secretRules.filter((r) => r.samples.positives.length === 0 || r.samples.negatives.length === 0);
    expect(missing.map((r) => r.id)).toEqual([]);
  });

  it(`finds the rule's positives and nothing else (recall and precision >= ${THRESHOLD * 100}%)`, async () => {
    const all = vectors();
    const findings = await findingsOf(all.map((v) => v.file));
    const byPath = new Map<string, FindingDraft[]>();
    for (const f of findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);

    const tallies = new Map<string, Tally>();
    const tally = (provider: string) => {
      let t = tallies.get(provider);
      if (!t) tallies.set(provider, (t = { positives: 0, found: 0, findings: 0, wrong: 0 }));
      return t;
    };
    const problems: string[] = [];
    let positives = 0;
    let found = 0;
    let reported = 0;
    let real = 0;
    for (const v of all) {
      const here = byPath.get(v.file.path) ?? [];
      const t = tally(v.provider);
      if (v.rule) {
        positives++;
        t.positives++;
        if (here.some((f) => f.ruleId === v.rule)) {
          found++;
          t.found++;
        } else {
          problems.push(`missed: ${v.rule} in ${JSON.stringify(v.file.addedLines[0]?.text.slice(0, 60))} (found: ${here.map((f) => f.ruleId).join(", ") || "nothing"})`);
        }
      }
      for (const f of here) {
        if (v.notRule && f.ruleId !== v.notRule) continue;
        reported++;
        t.findings++;
        // A finding is real when it sits on a positive vector and is that vector's rule.
        if (v.rule && f.ruleId === v.rule) real++;
        else {
          t.wrong++;
          problems.push(`false positive: ${f.ruleId} on ${v.file.path}:${f.startLine} (${v.rule ? `expected ${v.rule}` : v.provider}) ${f.evidence ?? ""}`);
        }
      }
    }
    const recall = found / positives;
    const precision = reported === 0 ? 1 : real / reported;
    const summary = `recall ${(recall * 100).toFixed(2)}% (${found}/${positives}), precision ${(precision * 100).toFixed(2)}% (${real}/${reported}), ${secretRules.length} rules, ${all.length} vectors`;
    console.log(`secrets corpus: ${summary}`);
    if (recall < THRESHOLD || precision < THRESHOLD) {
      const rows = [...tallies]
        .filter(([, t]) => t.found < t.positives || t.wrong > 0)
        .map(([provider, t]) => `${provider.padEnd(28)} ${`${t.found}/${t.positives}`.padStart(8)} ${String(t.wrong).padStart(6)}`);
      console.log([`${"provider".padEnd(28)} ${"found".padStart(8)} ${"wrong".padStart(6)}`, ...rows, "", ...problems].join("\n"));
    }
    expect(recall, summary).toBeGreaterThanOrEqual(THRESHOLD);
    expect(precision, summary).toBeGreaterThanOrEqual(THRESHOLD);
  });
});
