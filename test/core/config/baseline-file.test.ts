import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  baselineEntries,
  baselineFromText,
  MAX_BASELINE_BYTES,
  MAX_FREE_FORM_BASELINE_BYTES,
  renderBaselineFile,
  type BaselineEntry,
} from "../../../src/core/config/baseline-file.js";
import { ConfigError } from "../../../src/core/config/load-config.js";
import type { Finding } from "../../../src/core/types.js";

const fp = (n: number) => createHash("sha256").update(`entry ${n}`).digest("hex");
const entry = (n: number, path = `src/file${n}.ts`): BaselineEntry => ({ fingerprint: fp(n), rule: "secrets/generic-api-key", path, reason: "baseline", date: "2026-12-02" });
const options = (format: "yaml" | "json") => ({ date: "2026-12-02", format, scope: "empty tree…HEAD@1a2b3c4" }) as const;

function problems(text: string, name = "baseline.yml"): string[] {
  try {
    baselineFromText(text, name);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).source).toBe(name);
    return [...(error as ConfigError).problems];
  }
  throw new Error("expected a ConfigError");
}

describe("baseline files", () => {
  it.each(["yaml", "json"] as const)("reads back what it writes (%s), odd paths included", (format) => {
    const entries = [entry(1), entry(2, 'dir with "quotes"/and, commas {x}.ts'), entry(3, "ünïcødé/\u0085\u2028.txt"), entry(4, "#not-a-comment: yes")];
    const text = renderBaselineFile(entries, options(format));
    const baseline = baselineFromText(text, `b.${format === "json" ? "json" : "yml"}`);
    expect([...baseline.fingerprints]).toEqual(entries.map((e) => e.fingerprint));
  });

  it("writes YAML a person can read: a header saying how to use it, one entry per line", () => {
    const text = renderBaselineFile([entry(1)], options("yaml"));
    expect(text).toMatch(/^# pr-sentinel baseline: 1 finding\(s\) accepted as they were on 2026-12-02 \(empty tree…HEAD@1a2b3c4\)\./);
    expect(text).toContain("baseline: <this file's path>");
    expect(text.split("\n").filter((l) => l.startsWith("  - {"))).toHaveLength(1);
    expect(renderBaselineFile([], options("yaml"))).toMatch(/\nentries: \[\]\n$/);
    expect([...baselineFromText(renderBaselineFile([], options("yaml")), "b.yml").fingerprints]).toEqual([]);
  });

  it("also reads a baseline written by hand in any YAML layout, when it is small", () => {
    const text = ["version: 1", "entries:", `  - fingerprint: ${fp(9)}`, "    rule: secrets/x", "    path: a.txt", "    reason: accepted by the team", "    date: 2026-01-31", ""].join("\n");
    expect([...baselineFromText(text, "b.yml").fingerprints]).toEqual([fp(9)]);
  });

  it("names the line of each bad entry, in both layouts", () => {
    const good = renderBaselineFile([entry(1), entry(2), entry(3)], options("yaml")).split("\n");
    const at = good.findIndex((l) => l.includes(fp(2)));
    good[at] = good[at]!.replace(fp(2), "abc").replace("2026-12-02", "2026-02-30");
    expect(problems(good.join("\n"))).toEqual([
      `\`entries[1].fingerprint\` (line ${at + 1}): expected the finding's full fingerprint: 64 lowercase hex characters`,
      `\`entries[1].date\` (line ${at + 1}): expected the day it was accepted as YYYY-MM-DD`,
    ]);
    const json = renderBaselineFile([entry(1), entry(2)], options("json")).split("\n");
    const jsonAt = json.findIndex((l) => l.includes(fp(2)));
    json[jsonAt] = json[jsonAt]!.replace('"reason":"baseline"', '"reason":""');
    expect(problems(json.join("\n"), "b.json")).toEqual([`\`entries[1].reason\` (line ${jsonAt + 1}): say why the finding is accepted (the generated files say \`baseline\`)`]);
  });

  it("refuses a wrong version, unknown keys, and broken syntax with its line", () => {
    expect(problems("version: 2\nentries: []\n")).toEqual(["`version` (line 1): expected version: 1"]);
    expect(problems("version: 1\nentries: []\nextra: 1\n")[0]).toMatch(/^\(top level\) \(line 1\): Unrecognized key: "extra"/);
    expect(problems(`version: 1\nentries:\n  - { fingerprint: ${fp(1)}, rule: r, path: p, reason: baseline, date: 2026-01-01, secret: x }\n`)[0]).toMatch(
      /^`entries\[0\]` \(line 3\): Unrecognized key: "secret"/,
    );
    expect(problems("version: 1\nentries: [\n")[0]).toMatch(/line \d+/);
    expect(problems('{\n  "version": 1,\n  "entries": [\n  ,]\n}\n', "b.json")[0]).toMatch(/^invalid JSON at line 4: /);
  });

  it("lists at most 20 problems of a broken generated file", () => {
    const lines = Array.from({ length: 50 }, (_, i) => `  - { fingerprint: bad${i}, rule: r, path: p, reason: baseline, date: 2026-01-01 }`);
    const found = problems(`version: 1\nentries:\n${lines.join("\n")}\n`);
    expect(found).toHaveLength(21);
    expect(found[20]).toBe("and 30 more problems");
  });

  it("refuses a file over 5 MB, and a hand-written layout over 256 KiB, without parsing it", () => {
    expect(problems(`version: 1\n#${"x".repeat(MAX_BASELINE_BYTES)}\n`)[0]).toMatch(/larger than 5 MB/);
    const generated = renderBaselineFile(Array.from({ length: 2000 }, (_, i) => entry(i)), options("yaml"));
    expect(generated.length).toBeGreaterThan(MAX_FREE_FORM_BASELINE_BYTES);
    expect(baselineFromText(generated, "b.yml").fingerprints.size).toBe(2000);
    const lines = generated.split("\n");
    lines[1000] = `  -   fingerprint: ${fp(1)}`;
    expect(problems(lines.join("\n"))).toEqual([expect.stringMatching(/^line 1001: not in the layout pr-sentinel baseline writes/)]);
  });

  it("makes one entry per fingerprint, with no evidence or message", () => {
    const finding = { fingerprint: fp(1), ruleId: "secrets/x", path: "a.txt", evidence: "AKIA…(20 chars)", message: "m" } as unknown as Finding;
    expect(baselineEntries([finding, finding], "2026-12-02")).toEqual([{ fingerprint: fp(1), rule: "secrets/x", path: "a.txt", reason: "baseline", date: "2026-12-02" }]);
  });
});
