/**
 * Validates a response of the scan API against docs/api/openapi.yaml: the status must be listed
 * for the operation, the content type must be one it lists, and the body must match that schema
 * (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses, strict mode, formats). Every response a test
 * gets goes through `expectDocumented`, so the document cannot drift from the server.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

type Json = Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export const OPENAPI_PATH = new URL("../../../docs/api/openapi.yaml", import.meta.url);
export const openApiDocument = parse(readFileSync(OPENAPI_PATH, "utf8")) as Json;

const components = openApiDocument.components as { schemas: Json; responses: Record<string, Json> };
// Component schemas as one JSON Schema document, refs pointed at its $defs.
const schemaDocument = JSON.parse(JSON.stringify({ $id: "https://pr-sentinel.invalid/api", $defs: components.schemas }).replaceAll("#/components/schemas/", "#/$defs/")) as Json;

export const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema(schemaDocument);

const validators = new Map<string, ValidateFunction>();
function validatorFor(schema: Json): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    const ref = typeof schema.$ref === "string" ? schema.$ref.replace("#/components/schemas/", "https://pr-sentinel.invalid/api#/$defs/") : undefined;
    validate = ref ? ajv.getSchema(ref)! : ajv.compile(schema);
    if (!validate) throw new Error(`schema ${String(schema.$ref)} is not in the document`);
    validators.set(key, validate);
  }
  return validate;
}

export function documentedResponse(status: number): Json | undefined {
  const responses = (openApiDocument.paths as Json)["/api/v1/scan"] as { post: { responses: Record<string, Json> } };
  const response = responses.post.responses[String(status)];
  if (!response) return undefined;
  const ref = response.$ref;
  return typeof ref === "string" ? components.responses[ref.replace("#/components/responses/", "")] : response;
}

/** Throws with ajv's errors unless the response is what the document says this status answers. */
export function expectDocumented(status: number, contentType: string | undefined, body: string, headers: Record<string, string | string[] | undefined> = {}): void {
  const response = documentedResponse(status);
  if (!response) throw new Error(`status ${status} is not documented for POST /api/v1/scan`);
  const type = (contentType ?? "").split(";")[0]!.trim();
  const content = response.content as Record<string, { schema: Json }> | undefined;
  const media = content?.[type];
  if (!media) throw new Error(`status ${status}: content type ${JSON.stringify(type)} is not documented (documented: ${Object.keys(content ?? {}).join(", ")})`);
  const validate = validatorFor(media.schema);
  const value: unknown = JSON.parse(body);
  if (!validate(value)) throw new Error(`status ${status} ${type}: the body does not match the document: ${ajv.errorsText(validate.errors, { separator: "; " })}`);
  for (const [name, spec] of Object.entries((response.headers ?? {}) as Record<string, { schema: Json }>)) {
    const header = headers[name.toLowerCase()];
    if (header === undefined) throw new Error(`status ${status}: header ${name} is documented but missing`);
    const check = ajv.compile(spec.schema);
    if (!check(header)) throw new Error(`status ${status}: header ${name}=${String(header)} does not match: ${ajv.errorsText(check.errors)}`);
  }
}
