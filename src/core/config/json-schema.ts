/**
 * The config's JSON Schema, for editors (yaml-language-server, VS Code) that autocomplete and
 * check `.github/pr-sentinel.yml`. Generated from the zod schema, never edited by hand:
 * `npm run schema` writes schema/pr-sentinel.schema.json, and a test fails when it is stale.
 */
import { z } from "zod";
import type { Check } from "../types.js";
import { DOCS_BASE_URL } from "../docs-url.js";
import { buildConfigSchema } from "./schema.js";
import { SCHEMA_PATH } from "./load-config.js";

const REPOSITORY_URL = DOCS_BASE_URL.replace(/\/blob\/main\/docs$/, "");
export const CONFIG_SCHEMA_ID = `${REPOSITORY_URL}/raw/main/${SCHEMA_PATH}`;

export function buildConfigJsonSchema(checks: readonly Check[]): Record<string, unknown> {
  // `input`: what a person writes, so keys with defaults are optional. Draft-07 is what editors support best.
  const generated = z.toJSONSchema(buildConfigSchema(checks), { io: "input", target: "draft-7" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: CONFIG_SCHEMA_ID,
    title: "pr-sentinel configuration (.github/pr-sentinel.yml)",
    ...rest,
  };
}

/** The file's exact text: stable key order, two-space indent, final newline. */
export function configJsonSchemaText(checks: readonly Check[]): string {
  return `${JSON.stringify(buildConfigJsonSchema(checks), null, 2)}\n`;
}
