/**
 * Checks requests against GitHub's official OpenAPI description (`@octokit/openapi`, api.github.com,
 * dereferenced): the path and method must be an operation GitHub has, and a JSON body must validate
 * against that operation's request-body schema. The description is loaded once per process.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;

interface Operation {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: object }> };
}

interface Route {
  readonly template: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly operationId?: string;
  /** Only the request-body schema is kept: responses are most of the description's 70 MB. */
  readonly bodySchema?: object;
}

export interface ValidationResult {
  readonly operationId?: string;
  readonly template?: string;
  /** Empty when the request is valid. */
  readonly errors: readonly string[];
}

const METHODS = ["get", "post", "put", "patch", "delete", "head"];

let cached: { routes: Route[]; ajv: Ajv; validators: Map<string, ValidateFunction> } | undefined;

function load() {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.deref.json");
  const spec = JSON.parse(readFileSync(file, "utf8")) as { paths: Record<string, Record<string, Operation>> };
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      routes.push({
        template,
        method: method.toUpperCase(),
        pattern: templatePattern(template),
        operationId: operation.operationId,
        bodySchema: operation.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  // Literal segments win over parameters (`/pulls/comments/{id}` before `/pulls/{pull_number}`).
  routes.sort((a, b) => literalWeight(b.template) - literalWeight(a.template));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  cached = { routes, ajv, validators: new Map() };
  return cached;
}

function templatePattern(template: string): RegExp {
  const source = template
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      // A file path may arrive with its slashes encoded (%2F, what Octokit sends) or not.
      return param[1] === "path" ? ".+" : "[^/]+";
    })
    .join("/");
  return new RegExp(`^${source}$`);
}

function literalWeight(template: string): number {
  return template.split("/").filter((s) => s && !s.startsWith("{")).length;
}

export function findRoute(method: string, path: string): Route | undefined {
  return load().routes.find((r) => r.method === method && r.pattern.test(path));
}

export function validateRequest(method: string, path: string, body: unknown): ValidationResult {
  const state = load();
  const route = findRoute(method, path);
  if (!route) return { errors: [`${method} ${path} is not an operation in GitHub's OpenAPI description`] };
  const schema = route.bodySchema;
  const base = { operationId: route.operationId, template: route.template };
  if (!schema || body === undefined) return { ...base, errors: [] };
  const key = `${route.method} ${route.template}`;
  let validate = state.validators.get(key);
  if (!validate) {
    validate = state.ajv.compile(schema);
    state.validators.set(key, validate);
  }
  if (validate(body)) return { ...base, errors: [] };
  return {
    ...base,
    errors: (validate.errors ?? []).map((e) => `${route.operationId}: body${e.instancePath} ${e.message ?? "is invalid"}`),
  };
}
