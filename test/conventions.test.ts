/**
 * Conventions enforced by a test rather than by reviewers (see CONTRIBUTING.md, "Adding a check"):
 * every registered check lives in `src/checks/<id>/`, has `docs/checks/<id>.md` naming each of its
 * rules, declares unique kebab-case rule ids, and works with no options at all. With an empty
 * registry only the registry-wide tests run; each check is held to the rest as it arrives.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { builtinChecks } from "../src/checks/index.js";
import { buildConfigSchema } from "../src/core/config/schema.js";
import { SEVERITIES, type Check } from "../src/core/types.js";

const ROOT = new URL("../", import.meta.url);
const CHECKS_DIR = new URL("src/checks/", ROOT);
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SHARED_KEYS = ["enabled", "severity", "timeout_seconds", "paths"];

// A check lives in `src/checks/<id>/` (or, when it is small, in `src/checks/<id>.ts`).
const checkFolders = readdirSync(CHECKS_DIR).filter((name) => statSync(new URL(name, CHECKS_DIR)).isDirectory());
const checkHomes = [
  ...checkFolders,
  ...readdirSync(CHECKS_DIR)
    .filter((name) => name.endsWith(".ts") && name !== "index.ts")
    .map((name) => name.slice(0, -".ts".length)),
];

function isCheck(value: unknown): value is Check {
  if (value === null || typeof value !== "object") return false;
  const candidate = value as Partial<Check>;
  return typeof candidate.meta?.id === "string" && typeof candidate.run === "function" && candidate.optionsSchema !== undefined;
}

/** A rule id counts as mentioned when it appears as a whole word (not inside a longer id). */
function mentions(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`).test(text);
}

/** Everything wrong with one check, as sentences that say what to do; empty when it follows the conventions. */
function conventionProblems(check: Check, folders: readonly string[], docsPage: string | undefined): string[] {
  const id = check.meta.id;
  const problems: string[] = [];
  if (!KEBAB.test(id)) problems.push(`check id "${id}" is not kebab-case`);
  if (!folders.includes(id)) problems.push(`check "${id}" has no folder src/checks/${id}/ (its id must equal its folder or file name)`);
  if (docsPage === undefined) problems.push(`docs/checks/${id}.md is missing`);
  const ruleIds = check.meta.rules.map((r) => r.id);
  for (const [i, ruleId] of ruleIds.entries()) {
    if (ruleIds.indexOf(ruleId) !== i) problems.push(`rule id "${ruleId}" is declared twice`);
    if (!KEBAB.test(ruleId)) problems.push(`rule id "${ruleId}" is not kebab-case`);
    if (docsPage !== undefined && !mentions(docsPage, ruleId)) problems.push(`docs/checks/${id}.md does not mention rule "${ruleId}"`);
  }
  for (const severity of [check.meta.defaultSeverity, ...check.meta.rules.map((r) => r.severity)]) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) problems.push(`unknown severity "${severity}"`);
  }
  if (!check.optionsSchema.safeParse({}).success) problems.push(`options of "${id}" do not accept {}: give every option a default`);
  else if (!buildConfigSchema([check]).safeParse({ checks: { [id]: {} } }).success) problems.push(`config entry of "${id}" does not accept {}`);
  const redeclared = Object.keys(check.optionsSchema.shape).filter((key) => SHARED_KEYS.includes(key));
  if (redeclared.length > 0) problems.push(`options of "${id}" redeclare shared keys: ${redeclared.join(", ")}`);
  return problems;
}

function docsPageOf(id: string): string | undefined {
  const page = new URL(`docs/checks/${id}.md`, ROOT);
  return existsSync(page) ? readFileSync(page, "utf8") : undefined;
}

describe("the check registry", () => {
  it("has unique check ids", () => {
    const ids = builtinChecks.map((c) => c.meta.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("registers every check a folder under src/checks/ exports, under the folder's name", async () => {
    const problems: string[] = [];
    const modules = [
      ...checkFolders.flatMap((folder) => [`${folder}/check.ts`, `${folder}/index.ts`].map((file) => ({ home: folder, file }))),
      ...checkHomes.filter((home) => !checkFolders.includes(home)).map((home) => ({ home, file: `${home}.ts` })),
    ];
    for (const { home, file } of modules) {
      const modulePath = new URL(file, CHECKS_DIR);
      if (!existsSync(modulePath)) continue;
      const exported = Object.values(await import(modulePath.href)).filter(isCheck);
      for (const check of exported) {
        if (check.meta.id !== home) problems.push(`src/checks/${file} exports a check with id "${check.meta.id}"; it must be "${home}"`);
        if (!builtinChecks.some((c) => c === check || c.meta.id === check.meta.id)) {
          problems.push(`src/checks/${file} exports check "${check.meta.id}", which src/checks/index.ts does not register`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(builtinChecks.map((check) => [check.meta.id, check] as const))("check %s follows the conventions", (id, check) => {
    expect(conventionProblems(check, checkHomes, docsPageOf(id))).toEqual([]);
  });
});

describe("the conventions themselves", () => {
  const broken = {
    meta: {
      id: "Bad_Check",
      title: "Bad",
      description: "Breaks every convention.",
      defaultSeverity: "urgent",
      tags: [],
      rules: [
        { id: "rule-one", title: "1", severity: "high" },
        { id: "rule-one", title: "1 again", severity: "high" },
        { id: "Rule_Two", title: "2", severity: "low" },
      ],
    },
    optionsSchema: z.object({ threshold: z.number(), enabled: z.boolean().default(true) }),
    run: async () => [],
  } as unknown as Check;

  it("catch a check that breaks them", () => {
    const problems = conventionProblems(broken, ["secrets"], "This page mentions rule-one-extended only.");
    expect(problems).toEqual([
      'check id "Bad_Check" is not kebab-case',
      'check "Bad_Check" has no folder src/checks/Bad_Check/ (its id must equal its folder or file name)',
      'docs/checks/Bad_Check.md does not mention rule "rule-one"',
      'rule id "rule-one" is declared twice',
      'docs/checks/Bad_Check.md does not mention rule "rule-one"',
      'rule id "Rule_Two" is not kebab-case',
      'docs/checks/Bad_Check.md does not mention rule "Rule_Two"',
      'unknown severity "urgent"',
      'options of "Bad_Check" do not accept {}: give every option a default',
      'options of "Bad_Check" redeclare shared keys: enabled',
    ]);
    expect(conventionProblems(broken, [], undefined)).toContain("docs/checks/Bad_Check.md is missing");
  });
});
