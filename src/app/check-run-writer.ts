/**
 * The `PR Sentinel` check run: created `in_progress` as soon as a webhook is handled, completed with
 * the verdict, the Markdown summary and every finding as an annotation. GitHub takes at most 50
 * annotations per request and appends further batches, so the first batch rides on the completing
 * PATCH and the rest follow in more PATCHes.
 */
import type { Finding, Severity } from "../core/types.js";
import type { GitHubClient, RepoRef } from "../sources/github/octokit.js";
import {
  CHECK_RUN_NAME,
  MAX_ANNOTATION_MESSAGE_CHARS,
  MAX_ANNOTATION_TITLE_CHARS,
  MAX_ANNOTATIONS_PER_REQUEST,
  MAX_CHECK_OUTPUT_CHARS,
  truncate,
} from "./github-limits.js";

export type CheckConclusion = "success" | "failure" | "neutral" | "action_required" | "cancelled";

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title: string;
}

const LEVEL: Record<Severity, Annotation["annotation_level"]> = {
  critical: "failure",
  high: "failure",
  medium: "warning",
  low: "notice",
  info: "notice",
};

export function annotationFor(f: Finding): Annotation {
  const parts = [f.message];
  if (f.evidence) parts.push(`Evidence (redacted): ${f.evidence}`);
  if (f.remediation) parts.push(`Fix: ${f.remediation}`);
  parts.push(`Fingerprint: ${f.fingerprint.slice(0, 16)} · ${f.helpUrl}`);
  return {
    path: f.path,
    start_line: f.startLine,
    end_line: f.endLine,
    annotation_level: LEVEL[f.severity],
    message: truncate(parts.join("\n"), MAX_ANNOTATION_MESSAGE_CHARS),
    title: truncate(`${f.severity}: ${f.ruleId}`, MAX_ANNOTATION_TITLE_CHARS, "…"),
  };
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface CreatedCheckRun {
  readonly id: number;
  /**
   * The login our comments carry (`<app slug>[bot]`), from the check run's `app`: it tells the app's
   * own comments from those of any other bot (a workflow posting as `github-actions[bot]` could
   * otherwise forge our markers) without an extra request.
   */
  readonly botLogin?: string;
  /** The run's page on GitHub, which the summary comment links to. */
  readonly htmlUrl?: string;
}

export async function createCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  headSha: string,
  externalId: string,
): Promise<CreatedCheckRun> {
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
    owner: repo.owner,
    repo: repo.repo,
    name: CHECK_RUN_NAME,
    head_sha: headSha,
    status: "in_progress",
    started_at: new Date().toISOString(),
    external_id: externalId,
  });
  const slug = (data as { app?: { slug?: unknown } | null }).app?.slug;
  const htmlUrl = (data as { html_url?: unknown }).html_url;
  return {
    id: Number(data.id),
    ...(typeof slug === "string" && slug !== "" ? { botLogin: `${slug}[bot]` } : {}),
    ...(typeof htmlUrl === "string" && /^https?:\/\/[^\s()<>]+$/.test(htmlUrl) ? { htmlUrl } : {}),
  };
}

export interface Completion {
  readonly conclusion: CheckConclusion;
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  readonly annotations?: readonly Annotation[];
}

/**
 * Completes the run with the conclusion and the first 50 annotations, then appends the rest. Only
 * the completing PATCH may throw: once the verdict stands, a failed annotation batch must not turn
 * into an error that replaces it. Returns how many annotations could not be sent.
 */
export async function completeCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
  completion: Completion,
): Promise<{ droppedAnnotations: number }> {
  const [first = [], ...rest] = batches(completion.annotations ?? [], MAX_ANNOTATIONS_PER_REQUEST);
  const output = {
    title: truncate(completion.title, MAX_CHECK_OUTPUT_CHARS, "…"),
    summary: truncate(completion.summary, MAX_CHECK_OUTPUT_CHARS),
    ...(completion.text ? { text: truncate(completion.text, MAX_CHECK_OUTPUT_CHARS) } : {}),
  };
  await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
    owner: repo.owner,
    repo: repo.repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: completion.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...output, ...(first.length > 0 ? { annotations: first } : {}) },
  });
  let droppedAnnotations = 0;
  for (const batch of rest) {
    try {
      await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner: repo.owner,
        repo: repo.repo,
        check_run_id: checkRunId,
        output: { title: output.title, summary: output.summary, annotations: batch },
      });
    } catch {
      droppedAnnotations += batch.length;
    }
  }
  return { droppedAnnotations };
}
