/** The repository's own `.github/pr-sentinel.yml` (pr-sentinel reviewing itself) must stay valid. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { builtinChecks } from "../src/checks/index.js";
import { configFromText, CONFIG_PATH } from "../src/core/config/load-config.js";

it("the repository's own config is valid and lowers the rule samples to test data", () => {
  const text = readFileSync(new URL(`../${CONFIG_PATH}`, import.meta.url), "utf8");
  const config = configFromText(text, CONFIG_PATH, builtinChecks);
  expect(config.checks.secrets?.test_paths).toContain("src/checks/secrets/rules/");
});
