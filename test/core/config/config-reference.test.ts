import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { builtinChecks } from "../../../src/checks/index.js";
import { CONFIGURATION_DOC_PATH, REFERENCE_END, REFERENCE_START, renderConfigReference, replaceReference } from "../../../src/core/config/config-reference.js";
import { configFromObject } from "../../../src/core/config/load-config.js";
import { demoCheck } from "../helpers/demo-check.js";

const ROOT = new URL("../../../", import.meta.url);

describe("the generated reference in docs/configuration.md", () => {
  it("is current", () => {
    const document = readFileSync(new URL(CONFIGURATION_DOC_PATH, ROOT), "utf8");
    const current = replaceReference(document, renderConfigReference(builtinChecks));
    if (current !== document) {
      expect.fail(`the reference in ${CONFIGURATION_DOC_PATH} is out of date: run \`npm run schema\` and commit the file`);
    }
  });

  it("lists every key with its type, default and description, including check options", () => {
    const reference = renderConfigReference([demoCheck]);
    expect(reference.startsWith(REFERENCE_START) && reference.endsWith(REFERENCE_END)).toBe(true);
    expect(reference).toContain('| `fail_on` | `"critical"`, `"high"`, `"medium"`, `"low"`, `"info"`, `"never"` | `"high"` |');
    expect(reference).toContain("| `allowlist[].reason` | string | required |");
    expect(reference).toContain("| `allowlist[].expires` | date (YYYY-MM-DD) | none |");
    expect(reference).toContain("| `checks.demo.timeout_seconds` | number (> 0, ≤ 600) | `60` |");
    expect(reference).toContain("| `checks.demo.severity` | map of rule id to");
    expect(reference).toContain("| `checks.demo.entropy` | number (≥ 0, ≤ 8) | `4` | Minimum entropy. |");
    expect(reference).toContain("- `checks.demo`: Demo ([docs](checks/demo.md))");
  });

  it("replaces only what lies between the markers", () => {
    const doc = `intro\n${REFERENCE_START}\nold\n${REFERENCE_END}\noutro\n`;
    expect(replaceReference(doc, `${REFERENCE_START}\nnew\n${REFERENCE_END}`)).toBe(`intro\n${REFERENCE_START}\nnew\n${REFERENCE_END}\noutro\n`);
    expect(() => replaceReference("no markers", "x")).toThrow(/lacks the markers/);
  });
});

describe("the example in docs/configuration.md", () => {
  it("is a valid config for the checks in this build", () => {
    const document = readFileSync(new URL(CONFIGURATION_DOC_PATH, ROOT), "utf8");
    const example = /## An example\n\n```yaml\n([\s\S]*?)```/.exec(document)?.[1];
    expect(example, "the example block is missing").toBeDefined();
    const value = parse(example!) as { checks?: Record<string, unknown> };
    // Keys of checks not registered yet are left out; each is held to the schema once it is.
    const registered = new Set(builtinChecks.map((c) => c.meta.id));
    for (const id of Object.keys(value.checks ?? {})) if (!registered.has(id)) delete value.checks![id];
    expect(() => configFromObject(value, CONFIGURATION_DOC_PATH, builtinChecks)).not.toThrow();
  });
});
