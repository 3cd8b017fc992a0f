/**
 * Writes schema/pr-sentinel.schema.json from the config schema and the check registry.
 * Run it (`npm run schema`) after changing a check's options or the config schema; the test
 * test/core/config/json-schema.test.ts fails until the committed file is current.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { builtinChecks } from "../src/checks/index.js";
import { configJsonSchemaText } from "../src/core/config/json-schema.js";
import { SCHEMA_PATH } from "../src/core/config/load-config.js";

const target = fileURLToPath(new URL(`../${SCHEMA_PATH}`, import.meta.url));
writeFileSync(target, configJsonSchemaText(builtinChecks));
console.log(`wrote ${SCHEMA_PATH} (${builtinChecks.length} checks)`);
