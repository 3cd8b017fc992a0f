import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RetryLaterError, retryTransientErrors, transientWait, type RetryOptions } from "../../../src/app/github/transient-retry.js";
import type { GitHubClient } from "../../../src/sources/github/octokit.js";

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

interface Received {
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

/** A loopback GitHub that answers from a script, one answer per request (the last repeats). */
class ScriptedGitHub {
  readonly received: Received[] = [];
  private script: Answer[] = [];
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.received.push({ method: req.method ?? "", url: req.url ?? "", body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
        const answer = this.script.length > 1 ? this.script.shift()! : this.script[0] ?? { status: 200, body: {} };
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(JSON.stringify(answer.body ?? {}));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(...answers: Answer[]): void {
    this.script = answers;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const ok: Answer = { status: 200, body: { name: "r", full_name: "o/r" } };
const secondary = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };

let github: ScriptedGitHub;
let waits: number[];

beforeEach(async () => {
  github = new ScriptedGitHub();
  await github.start();
  waits = [];
});

afterEach(async () => {
  await github.stop();
});

function client(options: RetryOptions = {}, baseUrl = github.url): GitHubClient {
  const octokit = new ProbotOctokit({ baseUrl, throttle: { enabled: false }, retry: { enabled: false } }) as unknown as GitHubClient;
  retryTransientErrors(octokit, {
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 1,
    ...options,
  });
  return octokit;
}

async function failure(promise: Promise<unknown>): Promise<Error & { status?: number; waitMs?: number; cause?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("the request succeeded");
}

describe("retryTransientErrors against a real HTTP server", () => {
  it("retries a 502 once and hands back the 200", async () => {
    github.answer({ status: 502, body: { message: "Server Error" } }, ok);
    const { data } = await client().rest.repos.get({ owner: "o", repo: "r" });
    expect(data.full_name).toBe("o/r");
    expect(github.received).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it("sends the same body again when it retries a write", async () => {
    github.answer({ status: 503, body: {} }, { status: 201, body: { id: 5 } });
    const { data } = await client().rest.checks.create({ owner: "o", repo: "r", name: "PR Sentinel", head_sha: "a".repeat(40) });
    expect(data.id).toBe(5);
    expect(github.received.map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(github.received[1]!.body).toBe(github.received[0]!.body);
    expect(JSON.parse(github.received[0]!.body)).toMatchObject({ name: "PR Sentinel", head_sha: "a".repeat(40) });
  });

  it("waits at least `retry-after` on a secondary rate limit (403) before trying again", async () => {
    github.answer({ status: 403, headers: { "retry-after": "3" }, body: secondary }, ok);
    await client().rest.repos.get({ owner: "o", repo: "r" });
    expect(github.received).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(3_000);
  });

  it("waits at least `retry-after` on a 429", async () => {
    github.answer({ status: 429, headers: { "retry-after": "2" }, body: { message: "Too many requests" } }, ok);
    await client().rest.repos.get({ owner: "o", repo: "r" });
    expect(github.received).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(2_000);
  });

  it("waits a minute on a secondary rate limit that names no `retry-after`", async () => {
    github.answer({ status: 403, body: secondary }, ok);
    await client({ maxWaitMs: 120_000 }).rest.repos.get({ owner: "o", repo: "r" });
    expect(github.received).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(60_000);
  });

  it("does not retry a 403 that is a permission error, and keeps its status", async () => {
    github.answer({ status: 403, body: { message: "Resource not accessible by integration" } }, ok);
    const error = await failure(client().rest.repos.get({ owner: "o", repo: "r" }));
    expect(error).not.toBeInstanceOf(RetryLaterError);
    expect(error.status).toBe(403);
    expect(github.received).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it.each([404, 422, 401, 400])("does not retry a %i, and keeps its status", async (status) => {
    github.answer({ status, body: { message: "no" } }, ok);
    const error = await failure(client().rest.repos.get({ owner: "o", repo: "r" }));
    expect(error).not.toBeInstanceOf(RetryLaterError);
    expect(error.status).toBe(status);
    expect(github.received).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("retries a refused connection, then gives up with RetryLaterError", async () => {
    const closed = new ScriptedGitHub();
    await closed.start();
    const deadUrl = closed.url;
    await closed.stop();
    const error = await failure(client({ attempts: 3 }, deadUrl).rest.repos.get({ owner: "o", repo: "r" }));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(waits).toHaveLength(2);
    expect(error.message).toMatch(/GET/);
  });

  it("does not sleep through a `retry-after` longer than maxWaitMs: RetryLaterError at once", async () => {
    github.answer({ status: 403, headers: { "retry-after": "120" }, body: secondary }, ok);
    const error = await failure(client({ maxWaitMs: 30_000 }).rest.repos.get({ owner: "o", repo: "r" }));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error.waitMs).toBeGreaterThanOrEqual(120_000);
    expect((error.cause as { status?: number }).status).toBe(403);
    expect(github.received).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("does not sleep until an exhausted primary limit resets when that is past maxWaitMs", async () => {
    const reset = Math.floor(Date.now() / 1000) + 600;
    github.answer({ status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) }, body: { message: "API rate limit exceeded" } }, ok);
    const error = await failure(client().rest.repos.get({ owner: "o", repo: "r" }));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error.waitMs).toBeGreaterThan(500_000);
    expect(waits).toEqual([]);
  });

  it("stops after `attempts` requests, backing off exponentially in between", async () => {
    github.answer({ status: 502, body: {} });
    const error = await failure(client({ attempts: 4, baseDelayMs: 100 }).rest.repos.get({ owner: "o", repo: "r" }));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error.cause as { status?: number }).status).toBe(502);
    expect(github.received).toHaveLength(4);
    // random() = 1: the full jitter's ceiling, base * 2^(n-1).
    expect(waits).toEqual([100, 200, 400]);
  });

  it("stops waiting when the request is aborted", async () => {
    github.answer({ status: 502, body: {} });
    const octokit = new ProbotOctokit({ baseUrl: github.url, throttle: { enabled: false }, retry: { enabled: false } }) as unknown as GitHubClient;
    retryTransientErrors(octokit, { baseDelayMs: 10_000, random: () => 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 100);
    const started = performance.now();
    const error = await failure(octokit.rest.repos.get({ owner: "o", repo: "r", request: { signal: controller.signal } }));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).not.toBeInstanceOf(RetryLaterError);
    expect(github.received).toHaveLength(1);
  });
});

describe("transientWait", () => {
  const now = 1_800_000_000_000;
  const headers = (h: Record<string, string>) => ({ response: { headers: h } });

  it.each([
    ["a 500", { status: 500 }, { waitMs: 0, status: 500 }],
    ["a 502", { status: 502 }, { waitMs: 0, status: 502 }],
    ["a 503 with retry-after", { status: 503, ...headers({ "retry-after": "5" }) }, { waitMs: 5_000, status: 503 }],
    ["a 403 with retry-after", { status: 403, ...headers({ "retry-after": "3" }) }, { waitMs: 3_000, status: 403 }],
    ["a 429 with retry-after", { status: 429, ...headers({ "retry-after": "7" }) }, { waitMs: 7_000, status: 429 }],
    ["a 429 without retry-after", { status: 429 }, { waitMs: 0, status: 429 }],
    ["a secondary rate limit by its message", { status: 403, message: "You have exceeded a secondary rate limit" }, { waitMs: 60_000, status: 403 }],
    ["an exhausted primary limit, until its reset", { status: 403, ...headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 30) }) }, { waitMs: 30_000, status: 403 }],
    ["an exhausted primary limit whose reset is past", { status: 403, ...headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 - 30) }) }, { waitMs: 0, status: 403 }],
    ["an exhausted primary limit without a reset", { status: 429, ...headers({ "x-ratelimit-remaining": "0" }) }, { waitMs: 60_000, status: 429 }],
    ["a network error (no status)", new TypeError("fetch failed"), { waitMs: 0, status: "network" }],
    ["status 0", { status: 0 }, { waitMs: 0, status: "network" }],
  ])("treats %s as transient", (_what, error, expected) => {
    expect(transientWait(error, now)).toEqual(expected);
  });

  it.each([
    ["a permission 403", { status: 403, message: "Resource not accessible by integration" }],
    ["a 403 with rate-limit budget left", { status: 403, ...headers({ "x-ratelimit-remaining": "4999" }) }],
    ["a 401", { status: 401 }],
    ["a 404", { status: 404 }],
    ["a 409", { status: 409 }],
    ["a 422", { status: 422, message: "Validation Failed" }],
    ["an abort", Object.assign(new Error("aborted"), { name: "AbortError" })],
    ["an abort Octokit gave status 500", Object.assign(new Error("aborted"), { name: "AbortError", status: 500 })],
  ])("treats %s as final", (_what, error) => {
    expect(transientWait(error, now)).toBeUndefined();
  });
});
