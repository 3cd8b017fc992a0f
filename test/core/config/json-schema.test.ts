import { readdirSync, readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { builtinChecks } from "../../../src/checks/index.js";
import { buildConfigJsonSchema, CONFIG_SCHEMA_ID, configJsonSchemaText } from "../../../src/core/config/json-schema.js";
import { SCHEMA_PATH } from "../../../src/core/config/load-config.js";
import { demoCheck } from "../helpers/demo-check.js";

const ROOT = new URL("../../../", import.meta.url);
const FIXTURES = new URL("test/fixtures/configs/", ROOT);
// ajv-formats is CommonJS with a default export; under NodeNext its type is the module namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function validatorFor(schema: Record<string, unknown>) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe("the committed JSON Schema", () => {
  it(`${SCHEMA_PATH} is current`, () => {
    const committed = readFileSync(new URL(SCHEMA_PATH, ROOT), "utf8");
    const current = configJsonSchemaText(builtinChecks);
    // A plain equality would print two huge files; say what to do instead.
    if (committed !== current) {
      expect.fail(`${SCHEMA_PATH} is out of date with the config schema or the check registry: run \`npm run schema\` and commit the file`);
    }
  });

  it("has an id, a title and makes keys with defaults optional", () => {
    const schema = buildConfigJsonSchema(builtinChecks);
    expect(schema).toMatchObject({ $id: CONFIG_SCHEMA_ID, title: expect.stringContaining("pr-sentinel"), type: "object" });
    expect(schema.required ?? []).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe("the JSON Schema agrees with the loader", () => {
  const validate = validatorFor(buildConfigJsonSchema([demoCheck]));
  const load = (kind: string, name: string) => parse(readFileSync(new URL(`${kind}/${name}`, FIXTURES), "utf8")) ?? {};

  it.each(readdirSync(new URL("valid/", FIXTURES)))("accepts valid/%s", (name) => {
    expect(validate(load("valid", name)), JSON.stringify(validate.errors)).toBe(true);
  });

  // Invalid YAML cannot reach a schema, and a refinement (no `!` globs) has no JSON Schema form.
  const notSchemaLevel = new Set(["invalid-yaml.yml", "duplicate-keys.yml", "alias-bomb.yml", "negated-ignore-glob.yml"]);
  it.each(readdirSync(new URL("invalid/", FIXTURES)).filter((n) => !notSchemaLevel.has(n)))("rejects invalid/%s", (name) => {
    expect(validate(load("invalid", name))).toBe(false);
  });
});
