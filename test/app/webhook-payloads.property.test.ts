/**
 * Webhook payloads are GitHub's, but the webhook side must not trust their shape: whatever a
 * `pull_request` payload holds, it enqueues a job that `decodeScanJob` accepts (the same check a
 * worker applies to what it reads from Redis) or nothing, and a bad payload is a rejected delivery,
 * never a crash. Payloads start from GitHub's own examples (`@octokit/webhooks-examples`).
 */
import { createRequire } from "node:module";
import fc from "fast-check";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { decodeScanJob, ScanJobError, type ScanJob } from "../../src/app/jobs/scan-job.js";
import { createMetrics } from "../../src/app/metrics.js";
import type { ScanQueue } from "../../src/app/queue/scan-queue.js";
import { MemoryScanState } from "../../src/app/state/memory-scan-state.js";
import { registerWebhookHandlers } from "../../src/app/webhook-side.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const require = createRequire(import.meta.url);
const examples = (require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Json[] }[]).find((g) => g.name === "pull_request")!.examples;

const SCANNED_ACTIONS = ["opened", "synchronize", "reopened", "ready_for_review"];
const HEAD = "1".repeat(40);
const BASE = "2".repeat(40);

/** GitHub's example payloads of the actions that scan, made valid for this app; plus an `edited` with a new base. */
const basePayloads: Json[] = [
  ...examples.filter((e) => SCANNED_ACTIONS.includes(e.action)),
  { ...examples.find((e) => e.action === "opened")!, action: "edited", changes: { base: { ref: { from: "dev" }, sha: { from: "3".repeat(40) } } } },
].map((example) => {
  const payload = structuredClone(example);
  payload.installation = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uNDI0Mg==" };
  payload.pull_request.head.sha = HEAD;
  payload.pull_request.base.sha = BASE;
  payload.pull_request.updated_at = "2026-01-01T00:00:00Z";
  return payload;
});

const metrics = createMetrics({ defaultMetrics: false });

function fakeQueue(): ScanQueue & { readonly jobs: ScanJob[] } {
  const jobs: ScanJob[] = [];
  return {
    mode: "in-process",
    jobs,
    async enqueue(job) {
      jobs.push(structuredClone(job));
      return "queued";
    },
    async counts() {
      return { waiting: jobs.length, active: 0, delayed: 0 };
    },
    async idle() {},
    async healthy() {
      return true;
    },
    async close() {},
  };
}

function webhookSide() {
  const queue = fakeQueue();
  const state = new MemoryScanState();
  const probot = new Probot({
    githubToken: "test",
    log: pino({ level: "silent" }),
    Octokit: ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } }),
  });
  registerWebhookHandlers(probot, { queue: () => queue, state, metrics });
  let deliveries = 0;
  return {
    queue,
    state,
    /** Delivers; a rejection is the delivery failing (GitHub sees a 500), which is allowed. */
    async receive(payload: unknown, id = `delivery-${++deliveries}-${Math.random()}`): Promise<{ rejected?: unknown }> {
      try {
        await probot.receive({ id, name: "pull_request", payload } as never);
        return {};
      } catch (error) {
        return { rejected: error };
      }
    },
  };
}

/** Every enqueued job decodes; a rejection is an Error, not a crash of another kind. */
function expectOnlyValidJobs(side: ReturnType<typeof webhookSide>, outcome: { rejected?: unknown }): void {
  for (const job of side.queue.jobs) {
    try {
      decodeScanJob(structuredClone(job));
    } catch (error) {
      if (error instanceof ScanJobError) throw new Error(`enqueued an invalid job: ${error.message}\n${JSON.stringify(job).slice(0, 2000)}`);
      throw error;
    }
  }
  if (outcome.rejected !== undefined) expect(outcome.rejected).toBeInstanceOf(Error);
}

const HUGE = "x".repeat(1_000_000);
const hostile = fc.constantFrom<unknown>(
  "../../etc",
  "../x",
  "..",
  ".",
  "a/b",
  "owner:with:colons",
  "https://evil.example/",
  "",
  " ",
  "\u0000",
  "é",
  // Over every length limit; the 1 MB case is an example below (a counterexample would print it).
  "x".repeat(5_000),
  "A".repeat(40),
  "g".repeat(40),
  "1".repeat(39),
  -1,
  0,
  1.5,
  Number.MAX_SAFE_INTEGER + 10,
  1e308,
  "7",
  true,
  null,
  [],
  {},
  { login: "x" },
);
const anyValue = fc.oneof(hostile, fc.jsonValue({ maxDepth: 3 }));

/** Paths worth aiming at (the fields a job is built from), plus any path present in the payload. */
const AIMED = [
  "action",
  "number",
  "installation",
  "installation.id",
  "repository",
  "repository.name",
  "repository.full_name",
  "repository.owner",
  "repository.owner.login",
  "pull_request",
  "pull_request.number",
  "pull_request.head",
  "pull_request.head.sha",
  "pull_request.base",
  "pull_request.base.sha",
  "pull_request.draft",
  "pull_request.changed_files",
  "pull_request.updated_at",
  "changes",
  "changes.base",
];

function allPaths(value: unknown, prefix = "", depth = 0): string[] {
  if (depth > 3 || value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...allPaths(v, `${prefix}${k}.`, depth + 1)]);
}
const EVERY_PATH = [...new Set(basePayloads.flatMap((p) => allPaths(p)))];

type Mutation = { path: string; op: "delete" } | { path: string; op: "set"; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...AIMED) }, { weight: 1, arbitrary: fc.constantFrom(...EVERY_PATH) }),
  op: fc.constantFrom("delete" as const, "set" as const),
  value: anyValue,
}).map((m) => (m.op === "delete" ? { path: m.path, op: "delete" as const } : { path: m.path, op: "set" as const, value: m.value }));

function mutate(payload: Json, mutations: readonly Mutation[]): Json {
  const copy = structuredClone(payload);
  for (const m of mutations) {
    const keys = m.path.split(".");
    let at: unknown = copy;
    for (const k of keys.slice(0, -1)) at = at !== null && typeof at === "object" ? (at as Json)[k] : undefined;
    if (at === null || typeof at !== "object") continue;
    if (m.op === "delete") delete (at as Json)[keys.at(-1)!];
    else (at as Json)[keys.at(-1)!] = m.value;
  }
  return copy;
}

describe("webhook side on GitHub's example payloads", () => {
  it.each(basePayloads.map((p, i) => [`${p.action} #${i}`, p] as const))("enqueues exactly one valid job for %s", async (_name, payload) => {
    const side = webhookSide();
    const outcome = await side.receive(structuredClone(payload));
    expect(outcome.rejected).toBeUndefined();
    expect(side.queue.jobs).toHaveLength(1);
    const job = decodeScanJob(side.queue.jobs[0]);
    expect(job.target).toMatchObject({ kind: "pull_request", headSha: HEAD, baseSha: BASE, pullNumber: payload.pull_request.number });
    expect(job.installationId).toBe(4242);
    expect(job.order).toBe(Date.parse("2026-01-01T00:00:00Z"));
  });

  it("enqueues nothing for a redelivered id", async () => {
    const side = webhookSide();
    const payload = basePayloads[0]!;
    await side.receive(structuredClone(payload), "same-delivery");
    await side.receive(structuredClone(payload), "same-delivery");
    await side.receive({ ...structuredClone(payload), pull_request: { ...payload.pull_request, head: { ...payload.pull_request.head, sha: "9".repeat(40) } } }, "same-delivery");
    expect(side.queue.jobs).toHaveLength(1);
  });

  // The delivery id is claimed before the job is enqueued: if enqueueing fails (Redis restarting,
  // the queue closing), the webhook answers 500 and a redelivery of the same id must still queue it.
  it("enqueues a redelivery of a delivery whose enqueue failed", async () => {
    const side = webhookSide();
    const enqueue = side.queue.enqueue.bind(side.queue);
    let failures = 1;
    side.queue.enqueue = async (job) => {
      if (failures-- > 0) throw new Error("Connection is closed.");
      return enqueue(job);
    };
    const first = await side.receive(structuredClone(basePayloads[0]!), "flaky-delivery");
    expect(first.rejected).toBeInstanceOf(Error);
    expect(side.queue.jobs).toEqual([]);
    await side.receive(structuredClone(basePayloads[0]!), "flaky-delivery");
    expect(side.queue.jobs).toHaveLength(1);
  });

  it("enqueues nothing for an older `updated_at` of the same pull request after a newer one", async () => {
    const side = webhookSide();
    const at = (updatedAt: string, sha: string): Json => {
      const payload = structuredClone(basePayloads.find((p) => p.action === "synchronize")!);
      payload.pull_request.updated_at = updatedAt;
      payload.pull_request.head.sha = sha;
      return payload;
    };
    await side.receive(at("2026-02-01T10:00:05Z", "b".repeat(40)));
    await side.receive(at("2026-02-01T10:00:00Z", "a".repeat(40)));
    expect(side.queue.jobs.map((j) => j.target.headSha)).toEqual(["b".repeat(40)]);
    // The same older head for another pull request is not affected.
    const other = at("2026-02-01T10:00:00Z", "a".repeat(40));
    other.pull_request.number += 1;
    other.number += 1;
    await side.receive(other);
    expect(side.queue.jobs.map((j) => j.target.headSha)).toEqual(["b".repeat(40), "a".repeat(40)]);
  });

  it("enqueues nothing for actions that do not scan, and for an edit that did not change the base", async () => {
    const side = webhookSide();
    for (const example of examples.filter((e) => !SCANNED_ACTIONS.includes(e.action))) {
      await side.receive({ ...structuredClone(example), installation: { id: 1 } });
    }
    await side.receive({ ...structuredClone(basePayloads[0]!), action: "edited", changes: { title: { from: "old" } } });
    expect(side.queue.jobs).toEqual([]);
  });

  it.each([
    ["an owner that climbs out of the path", "repository.owner.login", "../../etc"],
    ["a repository that climbs out of the path", "repository.name", "../../etc"],
    ["a repository named `..`", "repository.name", ".."],
    ["an owner with a slash", "repository.owner.login", "a/b"],
    ["a short head SHA", "pull_request.head.sha", "abc123"],
    ["a base SHA that is not hex", "pull_request.base.sha", "z".repeat(40)],
    ["a pull number as a string", "pull_request.number", "7"],
    ["a negative pull number", "pull_request.number", -3],
    ["an installation id as a string", "installation.id", "4242"],
    ["a changed-file count as a string", "pull_request.changed_files", "12"],
    ["a huge owner", "repository.owner.login", HUGE],
  ])("enqueues no job for a payload with %s", async (_what, path, value) => {
    const side = webhookSide();
    const outcome = await side.receive(mutate(basePayloads[0]!, [{ path, op: "set", value }]));
    expectOnlyValidJobs(side, outcome);
    expect(side.queue.jobs).toEqual([]);
  });

  it("enqueues a valid job or nothing, and never crashes, for mutated payloads (property)", async () => {
    await fc.assert(
      // The payload by index, so that a counterexample prints the mutations, not the whole payload.
      fc.asyncProperty(fc.nat({ max: basePayloads.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (index, mutations) => {
        const side = webhookSide();
        const outcome = await side.receive(mutate(basePayloads[index]!, mutations));
        expectOnlyValidJobs(side, outcome);
        expect(side.queue.jobs.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });

  it("never crashes on a payload that is arbitrary JSON (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCANNED_ACTIONS), fc.jsonValue({ maxDepth: 4 }), async (action, value) => {
        const side = webhookSide();
        const payload = value !== null && typeof value === "object" && !Array.isArray(value) ? { ...value, action } : value;
        const outcome = await side.receive(payload);
        expectOnlyValidJobs(side, outcome);
      }),
      { numRuns: 200 },
    );
  });
});
