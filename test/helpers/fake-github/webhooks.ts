/**
 * Webhook deliveries built from GitHub's real example payloads (`@octokit/webhooks-examples`), with
 * ids, SHAs and repository adjusted to the scenario, signed with the webhook secret and sent over HTTP.
 */
import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";

interface ExampleGroup {
  name: string;
  examples: Record<string, unknown>[];
}

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as ExampleGroup[];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function example(name: string, action: string): Json {
  const found = examples.find((g) => g.name === name)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no example payload for ${name}.${action}`);
  return structuredClone(found) as Json;
}

export interface RepoTarget {
  readonly owner: string;
  readonly repo: string;
  readonly installationId: number;
}

function retarget(payload: Json, target: RepoTarget): Json {
  payload.installation = { id: target.installationId, node_id: `MDIz${target.installationId}` };
  payload.repository.name = target.repo;
  payload.repository.full_name = `${target.owner}/${target.repo}`;
  payload.repository.owner.login = target.owner;
  return payload;
}

export interface PullRequestEvent extends RepoTarget {
  readonly action: "opened" | "synchronize" | "reopened" | "ready_for_review" | "edited";
  /** For `edited`: what changed (GitHub sends `changes.base` when the base branch was switched). */
  readonly changes?: Record<string, unknown>;
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly draft?: boolean;
  /** `owner/repo` of the head repository (a fork) if it is not the base repository. */
  readonly headRepoFullName?: string;
  readonly changedFiles?: number;
  /** `pull_request.commits`: how many commits the pull request has (the examples say 1). */
  readonly commits?: number;
  /** `pull_request.updated_at`; by default a clock that moves forward with every payload built. */
  readonly updatedAt?: string;
}

// GitHub bumps updated_at with each push; payloads built later carry a later time.
let lastUpdatedAt = Date.parse("2026-01-01T00:00:00Z");
function nextUpdatedAt(): string {
  lastUpdatedAt = Math.max(lastUpdatedAt + 1000, Math.floor(Date.now() / 1000) * 1000);
  return new Date(lastUpdatedAt).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function pullRequestPayload(e: PullRequestEvent): Json {
  const base = e.action === "synchronize" || e.action === "reopened" || e.action === "ready_for_review" ? e.action : "opened";
  const payload = retarget(example("pull_request", base), e);
  const pr = payload.pull_request;
  payload.number = e.number;
  pr.number = e.number;
  pr.draft = e.draft ?? false;
  pr.state = "open";
  pr.head.sha = e.headSha;
  pr.base.sha = e.baseSha;
  pr.base.repo = { ...payload.repository };
  const headRepo = e.headRepoFullName ?? `${e.owner}/${e.repo}`;
  pr.head.repo = { ...payload.repository, full_name: headRepo, name: headRepo.split("/")[1], owner: { ...payload.repository.owner, login: headRepo.split("/")[0] }, fork: headRepo !== `${e.owner}/${e.repo}` };
  if (e.changedFiles !== undefined) pr.changed_files = e.changedFiles;
  if (e.commits !== undefined) pr.commits = e.commits;
  pr.updated_at = e.updatedAt ?? nextUpdatedAt();
  if (e.action === "edited") {
    // The examples hold no `edited` payload: an `opened` one with GitHub's `edited` fields.
    payload.action = "edited";
    payload.changes = e.changes ?? {};
  }
  if (e.action === "synchronize") {
    payload.before = "0".repeat(40);
    payload.after = e.headSha;
  }
  return payload;
}

export function checkRunRerequestedPayload(t: RepoTarget & { headSha: string; pullRequests: { number: number; headSha: string; baseSha: string }[]; name?: string }): Json {
  const payload = retarget(example("check_run", "rerequested"), t);
  payload.check_run.name = t.name ?? "PR Sentinel";
  payload.check_run.head_sha = t.headSha;
  payload.check_run.check_suite.head_sha = t.headSha;
  const prs = t.pullRequests.map((p) => ({
    number: p.number,
    id: p.number,
    url: `https://example.invalid/pulls/${p.number}`,
    head: { sha: p.headSha, ref: "feature", repo: { id: 1, name: t.repo, url: "https://example.invalid" } },
    base: { sha: p.baseSha, ref: "main", repo: { id: 1, name: t.repo, url: "https://example.invalid" } },
  }));
  payload.check_run.pull_requests = prs;
  payload.check_run.check_suite.pull_requests = prs;
  return payload;
}

export function checkSuiteRerequestedPayload(t: RepoTarget & { headSha: string }): Json {
  const payload = retarget(example("check_suite", "rerequested"), t);
  payload.check_suite.head_sha = t.headSha;
  payload.check_suite.pull_requests = [];
  return payload;
}

export function mergeGroupPayload(t: RepoTarget & { headSha: string; baseSha: string }): Json {
  const payload = retarget(example("merge_group", "checks_requested"), t);
  payload.merge_group.head_sha = t.headSha;
  payload.merge_group.base_sha = t.baseSha;
  return payload;
}

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface Delivery {
  readonly status: number;
  readonly id: string;
  readonly sentAt: number;
  readonly answeredAt: number;
}

export async function sendWebhook(url: string, secret: string, name: string, payload: Json, id: string = randomUUID()): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const sentAt = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": id,
      "x-hub-signature-256": sign(secret, body),
      "user-agent": "GitHub-Hookshot/fake",
    },
    body,
  });
  await response.text();
  return { status: response.status, id, sentAt, answeredAt: performance.now() };
}
