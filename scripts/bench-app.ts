/**
 * `npm run bench:app`: the GitHub App against the local fake GitHub, with the real Probot server
 * over HTTP and Probot's default write pacing ON (1 s between writes, 3 s between notifying ones).
 * Prints:
 *   - webhook POST to check run `in_progress` (target < 1.5 s), cold (first token) and warm
 *   - webhook POST to verdict (check run completed) for a 100-file pull request (target < 6 s)
 *   - the engine's own time for those 100 files, from the scan log and measured directly (< 300 ms)
 *   - GitHub API requests for a clean 10-file pull request on `opened` (target <= 7)
 *   - the per-commit secrets pass for 10-, 100- and 130-commit pull requests, with every answer of
 *     the fake delayed as a real GitHub's would be: its extra requests (target: ceil(n/100) + min(n,
 *     100)) and its time to the verdict
 */
import { pino } from "pino";
import { builtinChecks } from "../src/checks/index.js";
import { configFromObject } from "../src/core/config/load-config.js";
import { runScan } from "../src/core/engine.js";
import { parseHunks } from "../src/core/diff/parse-unified-diff.js";
import type { ChangedFile, Check } from "../src/core/types.js";
import { startHarness, type Harness } from "../test/helpers/fake-github/harness.js";
import { addPullRequest, addPullRequestWithCommits, type FileChange } from "../test/helpers/fake-github/scenario.js";
import { DEFAULT_MAX_PULL_REQUEST_COMMITS } from "../src/app/scan-pull-request-commits.js";
import type { FakePull } from "../test/helpers/fake-github/state.js";
import { fakeAwsKeyId } from "../test/helpers/fake-github/test-checks.js";
import { pullRequestPayload } from "../test/helpers/fake-github/webhooks.js";

const checks: readonly Check[] = builtinChecks;
let installation = 1;

function sourceFile(i: number, lineCount: number): string {
  const out: string[] = [`// module ${i}`, `import { helper } from "./helper-${i}.js";`, ""];
  for (let n = 0; out.length < lineCount; n++) {
    out.push(`export function handler${n}(input: string): string {`, `  const value = helper(input, ${n});`, `  return value.trim() + "-${n}";`, "}", "");
  }
  return out.join("\n") + "\n";
}

function pullRequestChanges(files: number, secrets: number): FileChange[] {
  return Array.from({ length: files }, (_, i) => {
    const base = sourceFile(i, 200);
    let head = base.replace("// module", "// module (changed)") + sourceFile(i + 1000, 60);
    if (i < secrets) head += `const awsKey = "${fakeAwsKeyId(`bench-${i}`)}";\n`;
    return { path: `src/module-${String(i).padStart(3, "0")}.ts`, base, head };
  });
}

async function open(h: Harness, repo: string, changes: FileChange[]) {
  // Let Probot's write queue (shared by all installations in a process) drain, so each figure is
  // for an isolated webhook rather than one queued behind the previous scan's writes.
  await new Promise((resolve) => setTimeout(resolve, 3500));
  const pull = addPullRequest(h.fake, { owner: "bench", repo, number: 1, changes });
  const from = h.fake.requests.length;
  const sentAt = Date.now();
  const delivery = await h.send(
    "pull_request",
    pullRequestPayload({ action: "opened", owner: "bench", repo, installationId: installation++, number: 1, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: changes.length }),
  );
  if (delivery.status !== 200) throw new Error(`webhook answered ${delivery.status}`);
  await h.fake.waitFor(() => h.fake.state.checkRunsFor(pull.headSha).some((r) => r.status === "completed"), 60_000);
  const run = h.fake.state.checkRunsFor(pull.headSha)[0]!;
  const inProgressMs = run.history[0]!.at - sentAt;
  const verdictMs = run.history.find((s) => s.status === "completed")!.at - sentAt;
  await h.app.idle();
  const doneMs = Date.now() - sentAt;
  return { pull, run, inProgressMs, verdictMs, doneMs, requests: h.fake.since(from), ackMs: Math.round(delivery.answeredAt - delivery.sentAt) };
}

function engineMsFromLogs(h: Harness, headSha: string): number | undefined {
  for (const line of h.logs) {
    const entry = JSON.parse(line) as { msg?: string; sha?: string; engineMs?: number };
    if (entry.msg === "engine finished" && entry.sha === headSha) return entry.engineMs;
  }
  return undefined;
}

/** The engine alone on the same 100 files (built from the fake's patches, no HTTP), best of 5. */
async function directEngineMs(pull: FakePull): Promise<number> {
  const files: ChangedFile[] = pull.files.map((entry) => {
    const { addedLines, commentableLines } = parseHunks(entry.patch ?? "");
    return {
      path: entry.filename,
      status: "modified",
      binary: false,
      patchMissing: false,
      addedLines,
      commentableLines,
      readHead: async () => null,
      readBase: async () => null,
    };
  });
  const config = configFromObject({}, "bench", checks);
  const logger = pino({ level: "silent" });
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await runScan({ files, config, checks, logger });
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function verdict(ok: boolean): string {
  return ok ? "ok" : "MISSED";
}

async function main(dotcomPaths: boolean): Promise<void> {
  const h = await startHarness({ checks, pacing: true, logLevel: "info", dotcomPaths });
  try {
    const mode = dotcomPaths ? "as github.com (/repos/..., /graphql)" : "as GitHub Enterprise Server (GHE_HOST, /api/v3/...)";
    console.log(`=== fake GitHub called ${mode}, Probot write pacing ON ===`);

    const clean = await open(h, "clean", Array.from({ length: 10 }, (_, i) => ({ path: `src/f${i}.ts`, base: sourceFile(i, 40), head: sourceFile(i, 40) + "export const ok = true;\n" })));
    const counts = clean.requests.map((r) => `${r.method} ${r.path.replace(/^\/repos\/bench\/clean/, "")}`);
    console.log(`clean 10-file PR (opened): ${clean.requests.length} GitHub API requests (target <= 7) ${verdict(clean.requests.length <= 7)}; conclusion ${clean.run.conclusion}; reviews ${h.fake.state.reviews.length}, comments ${h.fake.state.issueComments.length}`);
    for (const line of counts) console.log(`    ${line}`);
    console.log(`  webhook -> check run in_progress (cold, installation token fetched): ${clean.inProgressMs} ms ${verdict(clean.inProgressMs < 1500)}; webhook answered in ${clean.ackMs} ms\n`);

    const big = await open(h, "verdict", pullRequestChanges(100, 3));
    const engineLogged = engineMsFromLogs(h, big.pull.headSha);
    console.log(`100-file PR with 3 secrets (opened), ${big.requests.length} requests:`);
    console.log(`  webhook -> check run in_progress: ${big.inProgressMs} ms (target < 1500) ${verdict(big.inProgressMs < 1500)}`);
    console.log(`  webhook -> verdict (check run completed): ${big.verdictMs} ms (target < 6000) ${verdict(big.verdictMs < 6000)}; conclusion ${big.run.conclusion}`);
    console.log(`  webhook -> review and summary comment posted (paced): ${big.doneMs} ms`);
    console.log(`  engine time as logged for this scan: ${engineLogged ?? "?"} ms (target < 300) ${verdict((engineLogged ?? Infinity) < 300)}`);
    const engine = await directEngineMs(big.pull);
    console.log(`  engine alone on the same 100 files, best of 5: ${engine.toFixed(1)} ms ${verdict(engine < 300)}`);
    const rejected = h.fake.rejections();
    console.log(`\nrequests rejected by the fake (OpenAPI or GitHub rules): ${rejected.length}`);
    for (const r of rejected) console.log(`    ${r.method} ${r.path}: ${r.problems.join("; ")}`);
  } finally {
    await h.stop();
  }
}

/** The per-commit pass: what n commits cost in requests and in time, at a GitHub-like latency per answer. */
async function perCommit(latencyMs: number): Promise<void> {
  const h = await startHarness({ checks, pacing: true, logLevel: "info", dotcomPaths: true, latencyMs });
  try {
    console.log(`=== per-commit secrets pass, fake GitHub answering in ${latencyMs} ms, Probot pacing ON, cap ${DEFAULT_MAX_PULL_REQUEST_COMMITS} commits ===`);
    for (const n of [1, 10, 100, 130]) {
      const repo = `commits-${n}`;
      const pull = addPullRequestWithCommits(h.fake, {
        owner: "bench",
        repo,
        number: 1,
        base: {},
        commits: Array.from({ length: n }, (_, i) => ({ files: { [`src/module-${i % 20}.ts`]: sourceFile(i, 60) } })),
      });
      const from = h.fake.requests.length;
      const sentAt = Date.now();
      const delivery = await h.send(
        "pull_request",
        pullRequestPayload({ action: "opened", owner: "bench", repo, installationId: installation++, number: 1, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: pull.files.length, commits: n }),
      );
      if (delivery.status !== 200) throw new Error(`webhook answered ${delivery.status}`);
      await h.fake.waitFor(() => h.fake.state.checkRunsFor(pull.headSha).some((r) => r.status === "completed"), 120_000);
      const run = h.fake.state.checkRunsFor(pull.headSha)[0]!;
      const verdictMs = run.history.find((st) => st.status === "completed")!.at - sentAt;
      await h.app.idle();
      const requests = h.fake.since(from);
      const pages = requests.filter((r) => /\/pulls\/\d+\/commits$/.test(r.path)).length;
      const fetches = requests.filter((r) => /\/commits\/[0-9a-f]{40}$/.test(r.path)).length;
      const expected = n <= 1 ? 0 : Math.ceil(n / 100) + Math.min(n, DEFAULT_MAX_PULL_REQUEST_COMMITS);
      console.log(
        `  ${String(n).padStart(3)} commits: ${pages} list page(s) + ${fetches} commit fetches = ${pages + fetches} extra requests ` +
          `(target ${expected}) ${verdict(pages + fetches <= Math.max(expected, 1))}; ${requests.length} requests in all; webhook -> verdict ${verdictMs} ms; ${run.conclusion}`,
      );
    }
  } finally {
    await h.stop();
  }
}

console.log(`pr-sentinel app benchmark; checks: ${checks.map((c) => c.meta.id).join(", ")}; node ${process.version}\n`);
await main(true);
console.log("");
await main(false);
console.log("");
await perCommit(100);
