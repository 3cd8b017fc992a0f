import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeScanJob, headKey, ScanJobError, subjectKey, type ScanJob } from "../../../src/app/jobs/scan-job.js";

const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);

const pullRequestJob: ScanJob = {
  v: 1,
  target: { kind: "pull_request", owner: "octo-org", repo: "hello.world", pullNumber: 7, headSha: HEAD, baseSha: BASE, draft: false, fresh: true, expectedFileCount: 3 },
  installationId: 42,
  deliveryId: "3f1c2a10-1111-4222-8333-444455556666",
  event: "pull_request.opened",
  acceptedAt: 1_767_225_600_000,
  order: 1_767_225_600_000,
};

const mergeGroupJob: ScanJob = {
  v: 1,
  target: { kind: "merge_group", owner: "octo-org", repo: "hello_world", headSha: HEAD, baseSha: BASE, headRef: "refs/heads/gh-readonly-queue/main/pr-7-" + BASE },
  installationId: 42,
  deliveryId: "d-2",
  event: "merge_group.checks_requested",
  acceptedAt: 0,
  order: 0,
};

/** The problems `decodeScanJob` names for `data`, or fails the test if it accepts it. */
function problemsOf(data: unknown): readonly string[] {
  try {
    decodeScanJob(data);
  } catch (error) {
    expect(error).toBeInstanceOf(ScanJobError);
    return (error as ScanJobError).problems;
  }
  throw new Error(`accepted ${JSON.stringify(data)}`);
}

function withTarget(patch: Record<string, unknown>, job: ScanJob = pullRequestJob): unknown {
  return { ...job, target: { ...job.target, ...patch } };
}

describe("decodeScanJob", () => {
  it("accepts a pull-request job and hands back the same fields", () => {
    expect(decodeScanJob(structuredClone(pullRequestJob))).toEqual(pullRequestJob);
  });

  it("accepts a merge-group job, and a re-run", () => {
    expect(decodeScanJob(structuredClone(mergeGroupJob))).toEqual(mergeGroupJob);
    const rerun = { ...pullRequestJob, rerun: { outdated: true } };
    expect(decodeScanJob(rerun)).toEqual(rerun);
  });

  it.each([
    ["a short SHA", { headSha: "abc1234" }, "target.headSha"],
    ["an upper-case SHA", { headSha: "A".repeat(40) }, "target.headSha"],
    ["a 41-character SHA", { baseSha: "b".repeat(41) }, "target.baseSha"],
    ["a non-hex SHA", { baseSha: "g".repeat(40) }, "target.baseSha"],
    ["an owner with a slash", { owner: "octo/org" }, "target.owner"],
    ["an owner that climbs out of the path", { owner: "../x" }, "target.owner"],
    ["a repo that climbs out of the path", { repo: "../../etc/passwd" }, "target.repo"],
    ["an owner with a URL in it", { owner: "https://evil.example" }, "target.owner"],
    ["an empty repo", { repo: "" }, "target.repo"],
    ["a repo with a query", { repo: "r?x=1" }, "target.repo"],
    ["an owner of 101 characters", { owner: "a".repeat(101) }, "target.owner"],
    ["a negative pull number", { pullNumber: -1 }, "target.pullNumber"],
    ["pull number 0", { pullNumber: 0 }, "target.pullNumber"],
    ["a fractional pull number", { pullNumber: 1.5 }, "target.pullNumber"],
    ["a pull number as a string", { pullNumber: "7" }, "target.pullNumber"],
    ["an extra key in the target", { path: "/etc" }, "target"],
    ["an unknown kind", { kind: "push" }, "target.kind"],
  ])("rejects %s, naming the field", (_what, patch, field) => {
    expect(problemsOf(withTarget(patch)).some((p) => p.startsWith(`${field}:`) || p.startsWith(`${field}.`))).toBe(true);
  });

  // `..` alone is a dot segment: in `/repos/{owner}/{repo}/…` it makes the URL resolve to another
  // path on GitHub (`/repos/../x/pulls` is `/x/pulls`). GitHub names are never `.` or `..`.
  it.each([
    ["owner", ".."],
    ["owner", "."],
    ["repo", ".."],
    ["repo", "."],
  ])("rejects the dot segment %s %j", (field, value) => {
    expect(problemsOf(withTarget({ [field]: value })).some((p) => p.startsWith(`target.${field}:`))).toBe(true);
  });

  it("rejects extra keys at the top level (strict)", () => {
    expect(problemsOf({ ...pullRequestJob, token: "ghs_x" }).join("\n")).toMatch(/token|unrecognized/i);
  });

  it("rejects an extra key in a merge-group target and in rerun", () => {
    expect(problemsOf(withTarget({ pullNumber: 7 }, mergeGroupJob)).some((p) => p.startsWith("target"))).toBe(true);
    expect(problemsOf({ ...pullRequestJob, rerun: { outdated: false, force: true } }).some((p) => p.startsWith("rerun"))).toBe(true);
  });

  it("rejects another schema version", () => {
    expect(problemsOf({ ...pullRequestJob, v: 2 }).some((p) => p.startsWith("v:"))).toBe(true);
  });

  it.each(["v", "target", "installationId", "deliveryId", "event", "acceptedAt", "order"] as const)("rejects a job without %s", (field) => {
    const { [field]: _gone, ...rest } = pullRequestJob;
    expect(problemsOf(rest).some((p) => p.startsWith(`${field}:`))).toBe(true);
  });

  it.each(["owner", "repo", "headSha", "baseSha", "pullNumber", "draft", "fresh"] as const)("rejects a pull-request target without %s", (field) => {
    const { [field]: _gone, ...target } = pullRequestJob.target as Extract<ScanJob["target"], { kind: "pull_request" }>;
    expect(problemsOf({ ...pullRequestJob, target }).some((p) => p.startsWith(`target.${field}:`))).toBe(true);
  });

  it.each([null, undefined, 0, "job", [], {}])("rejects %j with a ScanJobError", (value) => {
    expect(problemsOf(value).length).toBeGreaterThan(0);
  });

  it("rejects a negative installation id, an empty delivery id and a negative order", () => {
    expect(problemsOf({ ...pullRequestJob, installationId: -5 }).some((p) => p.startsWith("installationId:"))).toBe(true);
    expect(problemsOf({ ...pullRequestJob, deliveryId: "" }).some((p) => p.startsWith("deliveryId:"))).toBe(true);
    expect(problemsOf({ ...pullRequestJob, order: -1 }).some((p) => p.startsWith("order:"))).toBe(true);
  });
});

const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;
const SHA = /^[0-9a-f]{40}$/;

/** Either a job that decodes again to itself and has safe names, or a `ScanJobError`: nothing else. */
function decodesSafelyOrRefuses(data: unknown): void {
  let job: ScanJob;
  try {
    job = decodeScanJob(data);
  } catch (error) {
    if (!(error instanceof ScanJobError)) throw new Error(`threw ${String(error)} instead of ScanJobError`);
    expect(error.problems.length).toBeGreaterThan(0);
    return;
  }
  expect(decodeScanJob(JSON.parse(JSON.stringify(job)))).toEqual(job);
  expect(job.target.owner).toMatch(SAFE_NAME);
  expect(job.target.repo).toMatch(SAFE_NAME);
  expect(job.target.headSha).toMatch(SHA);
  expect(job.target.baseSha).toMatch(SHA);
  expect(job.v).toBe(1);
}

const anyValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom("..", "../x", "a/b", "", " ", "\u0000", "a".repeat(101), -1, 0, 1.5, Number.MAX_SAFE_INTEGER + 2, true, null, "A".repeat(40), "f".repeat(40)),
);

describe("decodeScanJob on arbitrary input (property)", () => {
  it("either returns a job that re-validates or throws ScanJobError, for any JSON value", () => {
    fc.assert(fc.property(fc.jsonValue(), decodesSafelyOrRefuses), { numRuns: 1000 });
  });

  it("the same for a valid job with one field replaced by anything", () => {
    const topFields = Object.keys(pullRequestJob) as (keyof ScanJob)[];
    const targetFields = Object.keys(pullRequestJob.target);
    fc.assert(
      fc.property(fc.constantFrom(pullRequestJob, mergeGroupJob), fc.constantFrom(...topFields, ...targetFields.map((f) => `target.${f}`), "rerun", "target.headRef"), anyValue, (job, field, value) => {
        const mutated = structuredClone(job) as unknown as Record<string, Record<string, unknown>>;
        if (field.startsWith("target.")) mutated.target![field.slice("target.".length)] = value as never;
        else mutated[field] = value as never;
        decodesSafelyOrRefuses(mutated);
      }),
      { numRuns: 2000 },
    );
  });

  it("the same for a valid job with fields deleted or added", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(pullRequestJob, mergeGroupJob),
        fc.subarray(["v", "target", "installationId", "deliveryId", "event", "acceptedAt", "order"]),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
        (job, deleted, extra) => {
          const mutated: Record<string, unknown> = { ...structuredClone(job), ...extra };
          for (const field of deleted) delete mutated[field];
          decodesSafelyOrRefuses(mutated);
        },
      ),
      { numRuns: 500 },
    );
  });
});

const nameArb = fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/).filter((n) => n !== "." && n !== "..");
const shaArb = fc.stringMatching(/^[0-9a-f]{40}$/);
const validJobArb: fc.Arbitrary<ScanJob> = fc.record({
  v: fc.constant(1 as const),
  target: fc.oneof(
    fc.record({
      kind: fc.constant("pull_request" as const),
      owner: nameArb,
      repo: nameArb,
      pullNumber: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      headSha: shaArb,
      baseSha: shaArb,
      draft: fc.boolean(),
      fresh: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("merge_group" as const),
      owner: nameArb,
      repo: nameArb,
      headSha: shaArb,
      baseSha: shaArb,
      headRef: fc.string({ minLength: 1, maxLength: 1000 }),
    }),
  ),
  installationId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  deliveryId: fc.string({ minLength: 1, maxLength: 200 }),
  event: fc.string({ minLength: 1, maxLength: 100 }),
  acceptedAt: fc.nat(),
  order: fc.nat(),
  rerun: fc.option(fc.record({ outdated: fc.boolean() }), { nil: undefined }),
}).map((job) => {
  if (job.rerun === undefined) delete job.rerun;
  return job as ScanJob;
});

describe("headKey and subjectKey", () => {
  it("the generated jobs are valid ones", () => {
    fc.assert(fc.property(validJobArb, (job) => void decodeScanJob(job)), { numRuns: 200 });
  });

  it("gives the same key to two deliveries of the same head", () => {
    const again: ScanJob = { ...pullRequestJob, deliveryId: "another-delivery", event: "pull_request.synchronize", acceptedAt: 5, order: 9 };
    expect(headKey(again)).toBe(headKey(pullRequestJob));
  });

  it("gives another key to another head, another pull request, another repository", () => {
    const keys = new Set([
      headKey(pullRequestJob),
      headKey(withTarget({ headSha: "c".repeat(40) }) as ScanJob),
      headKey(withTarget({ pullNumber: 8 }) as ScanJob),
      headKey(withTarget({ repo: "other" }) as ScanJob),
      headKey(withTarget({ owner: "other" }) as ScanJob),
      headKey(mergeGroupJob),
    ]);
    expect(keys.size).toBe(6);
  });

  it("keys a re-run by its delivery: two re-runs of one head differ, and differ from the head's scan", () => {
    const rerun = (deliveryId: string): ScanJob => ({ ...pullRequestJob, deliveryId, rerun: { outdated: false } });
    const a = headKey(rerun("11111111-1111-4111-8111-111111111111"));
    const b = headKey(rerun("22222222-2222-4222-8222-222222222222"));
    expect(a).not.toBe(b);
    expect(a).not.toBe(headKey(pullRequestJob));
    expect(headKey(rerun("11111111-1111-4111-8111-111111111111"))).toBe(a);
  });

  it("re-runs with distinct GitHub delivery ids (UUIDs) get distinct keys (property)", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (x, y) => {
        fc.pre(x !== y);
        const k = (deliveryId: string) => headKey({ ...pullRequestJob, deliveryId, rerun: { outdated: true } });
        expect(k(x)).not.toBe(k(y));
      }),
    );
  });

  it("never puts a `:` in a key (BullMQ reserves it in job ids), for any valid job (property)", () => {
    fc.assert(
      fc.property(validJobArb, (job) => {
        expect(headKey(job)).not.toContain(":");
        expect(subjectKey(job.target)).not.toContain(":");
      }),
      { numRuns: 1000 },
    );
  });

  it("subjectKey tells apart pull requests of different repositories, and pull requests from merge groups", () => {
    const pr = (owner: string, repo: string, pullNumber: number) => subjectKey({ ...(pullRequestJob.target as Extract<ScanJob["target"], { kind: "pull_request" }>), owner, repo, pullNumber });
    expect(pr("a", "b", 1)).not.toBe(pr("a", "c", 1));
    expect(pr("a", "b", 1)).not.toBe(pr("b", "b", 1));
    expect(pr("a", "b", 1)).not.toBe(pr("a", "b", 2));
    expect(pr("a", "b", 1)).toBe(subjectKey({ ...(pullRequestJob.target as Extract<ScanJob["target"], { kind: "pull_request" }>), owner: "a", repo: "b", pullNumber: 1, headSha: "c".repeat(40) }));
    expect(subjectKey(mergeGroupJob.target)).not.toBe(subjectKey(pullRequestJob.target));
  });

  it("subjectKey is injective over (owner, repo, pull number) (property)", () => {
    const pr = fc.record({ owner: nameArb, repo: nameArb, pullNumber: fc.integer({ min: 1, max: 100_000 }) });
    fc.assert(
      fc.property(pr, pr, (x, y) => {
        fc.pre(x.owner !== y.owner || x.repo !== y.repo || x.pullNumber !== y.pullNumber);
        const key = (p: typeof x) => subjectKey({ ...(pullRequestJob.target as Extract<ScanJob["target"], { kind: "pull_request" }>), ...p });
        expect(key(x)).not.toBe(key(y));
      }),
      { numRuns: 1000 },
    );
  });
});
