/**
 * Validates a response of the API against docs/api/openapi.yaml: the status must be listed for the
 * operation, the content type must be one it lists, and the body must match that schema (ajv, JSON
 * Schema 2020-12 as OpenAPI 3.1 uses, strict mode, formats). JSONL bodies are checked line by line
 * (each line one schema instance), CSV as a string. Headers marked `required` must be there; any
 * documented header present must match its schema. Every response a test gets goes through
 * `expectDocumented`, so the document cannot drift from the server.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

type Json = Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export const OPENAPI_PATH = new URL("../../../docs/api/openapi.yaml", import.meta.url);
export const openApiDocument = parse(readFileSync(OPENAPI_PATH, "utf8")) as Json;
/** The audit record's committed schema, which the document refers to by relative path. */
export const AUDIT_RECORD_REF = "../audit-record.schema.json";
export const auditRecordSchema = JSON.parse(readFileSync(new URL(AUDIT_RECORD_REF, OPENAPI_PATH), "utf8")) as Json & { $id: string };

const components = openApiDocument.components as { schemas: Json; responses: Record<string, Json> };
// Component schemas as one JSON Schema document, refs pointed at its $defs and at the record schema's $id.
const schemaDocument = JSON.parse(
  JSON.stringify({ $id: "https://pr-sentinel.invalid/api", $defs: components.schemas }).replaceAll("#/components/schemas/", "#/$defs/").replaceAll(`"${AUDIT_RECORD_REF}"`, JSON.stringify(auditRecordSchema.$id)),
) as Json;

export const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema(auditRecordSchema);
ajv.addSchema(schemaDocument);

export interface Operation {
  readonly path: string;
  readonly method: string;
}

export const SCAN_OPERATION: Operation = { path: "/api/v1/scan", method: "post" };
export const AUDIT_OPERATION: Operation = { path: "/api/v1/audit", method: "get" };

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

export function documentedResponse(status: number, operation: Operation = SCAN_OPERATION): Json | undefined {
  const path = (openApiDocument.paths as Json)[operation.path] as Record<string, { responses: Record<string, Json> }> | undefined;
  const response = path?.[operation.method]?.responses[String(status)];
  if (!response) return undefined;
  const ref = response.$ref;
  return typeof ref === "string" ? components.responses[ref.replace("#/components/responses/", "")] : response;
}

/** The body as schema instances: one JSON value, one per JSONL line, or the text itself for CSV. */
function instances(type: string, body: string): unknown[] {
  if (type === "application/x-ndjson") {
    if (body === "") return [];
    if (!body.endsWith("\n")) throw new Error("a JSONL body must end with a newline");
    return body.slice(0, -1).split("\n").map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`JSONL line ${i + 1} is not JSON`);
      }
    });
  }
  if (type === "text/csv") return [body];
  return [JSON.parse(body) as unknown];
}

/** Throws with ajv's errors unless the response is what the document says this status answers. */
export function expectDocumented(status: number, contentType: string | undefined, body: string, headers: Record<string, string | string[] | undefined> = {}, operation: Operation = SCAN_OPERATION): void {
  const name = `${operation.method.toUpperCase()} ${operation.path}`;
  const response = documentedResponse(status, operation);
  if (!response) throw new Error(`status ${status} is not documented for ${name}`);
  const type = (contentType ?? "").split(";")[0]!.trim();
  const content = response.content as Record<string, { schema: Json }> | undefined;
  const media = content?.[type];
  if (!media) throw new Error(`status ${status}: content type ${JSON.stringify(type)} is not documented (documented: ${Object.keys(content ?? {}).join(", ")})`);
  const validate = validatorFor(media.schema);
  instances(type, body).forEach((value, i) => {
    if (!validate(value)) throw new Error(`status ${status} ${type}${type === "application/x-ndjson" ? ` line ${i + 1}` : ""}: the body does not match the document: ${ajv.errorsText(validate.errors, { separator: "; " })}`);
  });
  for (const [header, spec] of Object.entries((response.headers ?? {}) as Record<string, { schema: Json; required?: boolean }>)) {
    const value = headers[header.toLowerCase()];
    if (value === undefined) {
      if (spec.required) throw new Error(`status ${status}: header ${header} is documented but missing`);
      continue;
    }
    const check = ajv.compile(spec.schema);
    if (!check(value)) throw new Error(`status ${status}: header ${header}=${String(value)} does not match: ${ajv.errorsText(check.errors)}`);
  }
}
