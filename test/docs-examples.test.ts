/**
 * Every config example in the README and the checks' docs is valid config: an example people copy
 * must not fail with "unknown key".
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinChecks } from "../src/checks/index.js";
import { configFromText } from "../src/core/config/load-config.js";

const ROOT = new URL("../", import.meta.url);
const pages = ["README.md", ...readdirSync(new URL("docs/checks/", ROOT)).map((name) => `docs/checks/${name}`)];

const examples = pages.map((page) => ({
  page,
  blocks: readFileSync(new URL(page, ROOT), "utf8")
    .split("```yaml\n")
    .slice(1)
    .map((block) => block.split("```")[0]!)
    .filter((block) => /^(checks|fail_on|paths|allowlist|review|_extends):/m.test(block)),
}));

describe("config examples in the docs", () => {
  // Without this, a change in how the examples are fenced would leave nothing to test, and pass.
  it("are found", () => {
    expect(examples.find((e) => e.page === "README.md")?.blocks.length ?? 0).toBeGreaterThan(0);
  });
  for (const { page, blocks } of examples) {
    for (const [i, block] of blocks.entries()) {
      it(`${page} example ${i + 1} is valid config`, () => {
        expect(() => configFromText(block, page, builtinChecks)).not.toThrow();
      });
    }
  }
});
