/**
 * Writes schema/pr-sentinel.schema.json and the generated reference in docs/configuration.md from
 * the config schema and the check registry. Run it (`npm run schema`) after changing a check's
 * options or the config schema; tests in test/core/config/ fail until both files are current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { builtinChecks } from "../src/checks/index.js";
import { CONFIGURATION_DOC_PATH, renderConfigReference, replaceReference } from "../src/core/config/config-reference.js";
import { configJsonSchemaText } from "../src/core/config/json-schema.js";
import { SCHEMA_PATH } from "../src/core/config/load-config.js";

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

writeFileSync(fromRoot(SCHEMA_PATH), configJsonSchemaText(builtinChecks));
const docPath = fromRoot(CONFIGURATION_DOC_PATH);
writeFileSync(docPath, replaceReference(readFileSync(docPath, "utf8"), renderConfigReference(builtinChecks)));
console.log(`wrote ${SCHEMA_PATH} and the reference in ${CONFIGURATION_DOC_PATH} (${builtinChecks.length} checks)`);
