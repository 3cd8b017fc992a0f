/**
 * Errors as RFC 9457 problem details (`application/problem+json`): a `type` naming the kind of
 * problem (a section of docs/api.md), a fixed `title` per kind, a `detail` for this request, and
 * for a bad body `errors`, one per problem, each with a JSON pointer into the body (or, for a bad
 * query, the parameter's name). Nothing from
 * the request is echoed beyond names (of keys, paths) and line numbers.
 */
import type { ServerResponse } from "node:http";
import { DOCS_BASE_URL } from "../../core/docs-url.js";

export const PROBLEM_KINDS = {
  "invalid-request": { status: 400, title: "The request body is not a valid scan request" },
  "invalid-query": { status: 400, title: "The query parameters are not valid" },
  unauthenticated: { status: 401, title: "A valid API token is required" },
  "token-revoked": { status: 403, title: "The API token was revoked" },
  "insufficient-scope": { status: 403, title: "The API token does not have the scope this endpoint needs" },
  "not-found": { status: 404, title: "No such endpoint" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  "request-timeout": { status: 408, title: "The request body did not arrive in time" },
  "body-too-large": { status: 413, title: "The request body is over the size limit" },
  "unsupported-media-type": { status: 415, title: "The request body must be JSON" },
  "rate-limited": { status: 429, title: "The token's rate limit is used up" },
  "scan-failed": { status: 500, title: "The scan could not be completed" },
  "export-failed": { status: 500, title: "The export could not be completed" },
  "queue-full": { status: 503, title: "Every scan slot and queue place is taken" },
  "exports-busy": { status: 503, title: "Every export slot is taken" },
} as const;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

export interface PointerError {
  /** JSON pointer into the request body (RFC 6901), `""` for the whole body. */
  readonly pointer: string;
  readonly detail: string;
}

export interface ParameterError {
  /** The query parameter's name. */
  readonly parameter: string;
  readonly detail: string;
}

export type ProblemError = PointerError | ParameterError;

export interface Problem {
  readonly kind: ProblemKind;
  readonly detail: string;
  readonly errors?: readonly ProblemError[];
  readonly headers?: Readonly<Record<string, string>>;
  /** Close the connection after answering (the body was not read to its end). */
  readonly close?: boolean;
}

export function problemType(kind: ProblemKind): string {
  return `${DOCS_BASE_URL}/api.md#${kind}`;
}

export function sendProblem(res: ServerResponse, problem: Problem): void {
  const { status, title } = PROBLEM_KINDS[problem.kind];
  const body = {
    type: problemType(problem.kind),
    title,
    status,
    detail: problem.detail,
    ...(problem.errors && problem.errors.length > 0 ? { errors: problem.errors } : {}),
  };
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/problem+json",
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store",
    ...(problem.close ? { connection: "close" } : {}),
    ...problem.headers,
  });
  res.end(text);
}

/** A JSON pointer from a path of keys and indexes. */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((part) => `/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
