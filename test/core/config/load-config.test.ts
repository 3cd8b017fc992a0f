import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, configFromObject, configFromText } from "../../../src/core/config/load-config.js";
import { z } from "zod";
import { defineCheck } from "../../../src/core/types.js";
import { demoCheck } from "../helpers/demo-check.js";

const FIXTURES = new URL("../../fixtures/configs/", import.meta.url);

const checks = [demoCheck];
const read = (kind: "valid" | "invalid", name: string) => readFileSync(new URL(`${kind}/${name}`, FIXTURES), "utf8");
const load = (text: string) => configFromText(text, ".github/pr-sentinel.yml", checks);

function problemsOf(text: string): readonly string[] {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("defaults", () => {
  it("gives a complete config for no config at all", () => {
    const expected = {
      fail_on: "high",
      on_error: "neutral",
      paths: { ignore: [] },
      allowlist: [],
      review: {
        comments: true,
        event: "COMMENT",
        max_inline_comments: 25,
        min_inline_confidence: "medium",
        summary_comment: "on_findings",
        include_drafts: false,
      },
      score: { criticality: "normal", weights: { severity: {}, confidence: {}, checks: {}, verified: 2, criticality: {} } },
      checks: { demo: { enabled: true, severity: {}, timeout_seconds: 60, paths: { include: [], ignore: [] }, entropy: 4, words: [] } },
    };
    expect(load("")).toEqual(expected);
    expect(load(read("valid", "empty.yml"))).toEqual(expected);
    expect(configFromObject(undefined, "x", checks)).toEqual(expected);
  });

  it("keeps given values and fills the rest", () => {
    const config = load(read("valid", "full.yml"));
    expect(config.fail_on).toBe("medium");
    expect(config.paths.ignore).toEqual(["*.min.js", "vendor/", "docs/**/*.md"]);
    expect(config.allowlist[1]).toMatchObject({ expires: "2030-01-31" });
    expect(config.checks.demo).toMatchObject({ severity: { "*": "low", "rule-a": "critical", "demo/rule-b": "info" }, entropy: 3.5 });
  });

  it.each(readdirSync(new URL("valid/", FIXTURES)))("accepts valid/%s", (name) => {
    expect(() => load(read("valid", name))).not.toThrow();
  });
});

// Each invalid fixture: the key path and the YAML line the message must name, and a word of the reason.
const INVALID: Record<string, { key: string; line: number; says: RegExp }> = {
  "wrong-type.yml": { key: "`review.max_inline_comments`", line: 3, says: /expected number, got "many"/ },
  "unknown-key-top.yml": { key: "`fail_onn`", line: 2, says: /unknown key; did you mean `fail_on`\?/ },
  "unknown-key-nested.yml": { key: "`paths.include`", line: 3, says: /unknown key; known keys here: ignore/ },
  "unknown-check.yml": { key: "`checks.secretz`", line: 4, says: /unknown key; known keys here: demo/ },
  "unknown-check-option.yml": { key: "`checks.demo.entropyy`", line: 3, says: /did you mean `entropy`\?/ },
  "check-option-wrong-type.yml": { key: "`checks.demo.entropy`", line: 3, says: /expected number, got "high"/ },
  "allowlist-without-reason.yml": { key: "`allowlist[1].reason`", line: 4, says: /required key is missing/ },
  "allowlist-bad-date.yml": { key: "`allowlist[0].expires`", line: 4, says: /expected a real date as YYYY-MM-DD.*got "2026-02-30"/ },
  "allowlist-bad-fingerprint.yml": { key: "`allowlist[0].fingerprint`", line: 2, says: /12 to 64 lowercase hex/ },
  "severity-unknown-rule.yml": { key: "`checks.demo.severity.rule-z`", line: 4, says: /unknown key.*rule-a/ },
  "severity-unknown-level.yml": { key: "`checks.demo.severity.rule-a`", line: 4, says: /expected one of.*got "urgent"/ },
  "negated-ignore-glob.yml": { key: "`paths.ignore[1]`", line: 4, says: /negated globs/ },
  "timeout-too-long.yml": { key: "`checks.demo.timeout_seconds`", line: 3, says: /600.*got 3600/ },
  "top-level-list.yml": { key: "(top level)", line: 1, says: /expected a mapping.*got a list/ },
  "top-level-scalar.yml": { key: "(top level)", line: 1, says: /expected a mapping.*got "fail_on high"/ },
};

describe("invalid configs", () => {
  it.each(Object.entries(INVALID))("%s names the key path and the line", (name, { key, line, says }) => {
    const problems = problemsOf(read("invalid", name));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.startsWith(`${key} (line ${line}): `)).toBe(true);
    expect(problems[0]).toMatch(says);
  });

  it("reports invalid YAML with its line", () => {
    const problems = problemsOf(read("invalid", "invalid-yaml.yml"));
    expect(problems[0]).toMatch(/^invalid YAML at line [34], column \d+: /);
  });

  it("reports duplicate keys with the line of the second one", () => {
    expect(problemsOf(read("invalid", "duplicate-keys.yml"))).toEqual([
      expect.stringMatching(/^duplicate key at line 3, column 1: /),
    ]);
  });

  it("refuses to expand an alias bomb", () => {
    const started = Date.now();
    expect(problemsOf(read("invalid", "alias-bomb.yml"))[0]).toMatch(/^invalid YAML: .*alias/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("refuses a file over the size limit", () => {
    expect(problemsOf(`# ${"x".repeat(300 * 1024)}\n`)[0]).toMatch(/larger than 256 KiB/);
  });

  it("lists every problem, and the error message carries the source", () => {
    try {
      load("fail_on: hgh\non_error: maybe\n");
      expect.unreachable();
    } catch (error) {
      const e = error as ConfigError;
      expect(e.problems).toHaveLength(2);
      expect(e.message).toMatch(/^invalid config \.github\/pr-sentinel\.yml: `fail_on` \(line 1\).*; `on_error` \(line 2\)/);
    }
  });

  it("names key paths without lines for an object that did not come from YAML", () => {
    expect(() => configFromObject({ paths: { ignore: "vendor" } }, "inline", checks)).toThrow(/`paths\.ignore`: expected array, got "vendor"/);
  });

  it("covers every invalid fixture", () => {
    const named = new Set([...Object.keys(INVALID), "invalid-yaml.yml", "duplicate-keys.yml", "alias-bomb.yml"]);
    expect(readdirSync(new URL("invalid/", FIXTURES)).filter((f) => !named.has(f))).toEqual([]);
  });
});

describe("unknown keys among many", () => {
  it("lists at most 15 known keys and still suggests the nearest", () => {
    const rules = Array.from({ length: 40 }, (_, i) => ({ id: `provider-${i}-token`, title: `T${i}`, severity: "high" as const }));
    const big = defineCheck({ meta: { ...demoCheck.meta, id: "big", rules }, optionsSchema: z.object({}), run: async () => [] });
    const problems = (() => {
      try {
        configFromText("checks:\n  big:\n    severity:\n      provider-39-tokn: low\n", "x", [big]);
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    expect(problems[0]).toMatch(/^`checks\.big\.severity\.provider-39-tokn` \(line 4\): unknown key; did you mean `provider-39-token`\?/);
    expect(problems[0]).toMatch(/… \(66 more\)/);
  });
});
