/**
 * Self-hosted runners on pull requests: in a public repository anyone can open a pull request, and
 * a `pull_request` workflow runs the pull request's own version of the workflow, so a fork runs
 * whatever it likes on the machine. Unlike GitHub's runners, a self-hosted one is not thrown away:
 * the attacker can leave a backdoor for the next job, read other jobs' secrets and reach the
 * network it sits in.
 *
 * Reported on `runs-on` when a job of a workflow triggered by pull requests
 * (`pull_request`, `pull_request_target`, `pull_request_review`, `pull_request_review_comment`)
 * asks for the `self-hosted` label (directly, in a list, in `labels:` of a mapping, or through a
 * matrix value), and at low confidence for a runner `group:` (which may hold larger GitHub-hosted
 * runners). Medium confidence: a private repository, or one that requires approval for all
 * outside contributors, is not exposed; the audit cannot see those settings. Jobs gated to branches
 * of this repository are not reported.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { WorkflowDocument, WorkflowJob } from "../../domains/workflow.js";
import { hasTrigger, sameRepositoryOnly } from "../../workflow/steps.js";

const PR_EVENTS = ["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"];

export const selfHostedRunner = defineAudit<WorkflowDocument>({
  id: "self-hosted-runner",
  domain: "workflow",
  title: "Self-hosted runner for pull requests",
  description:
    "A job triggered by pull requests runs on a self-hosted runner, so in a public repository anyone who opens a pull request can run code on that machine and persist there for later jobs.",
  severity: "medium",
  confidence: "medium",
  remediation:
    "Run pull request jobs on GitHub-hosted runners, or use ephemeral self-hosted runners (`--ephemeral`, one job per machine) and require approval for workflows from outside contributors.",
  link: "https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security",
  samples: {
    valid: [
      {
        note: "self-hosted only for pushes to main",
        text: `on:
  push:
    branches: [main]
jobs:
  benchmark:
    runs-on: [self-hosted, linux, gpu]
    steps:
      - uses: actions/checkout@v4
      - run: make bench
`,
      },
      {
        note: "GitHub-hosted runners on pull requests, and a same-repository gate",
        text: `on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
  gpu:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: [self-hosted, gpu]
    steps:
      - run: make test-gpu
`,
      },
    ],
    invalid: [
      {
        text: `name: CI
on:
  pull_request:
  push:
    branches: [main]
jobs:
  build:
    runs-on: [self-hosted, linux, x64]
    steps:
      - uses: actions/checkout@v4
      - run: make
  e2e:
    runs-on:
      group: on-prem
      labels: [self-hosted, e2e]
    steps:
      - run: make e2e
`,
        lines: [8, 13],
      },
      {
        note: "through the matrix",
        text: `on: pull_request_target
jobs:
  test:
    strategy:
      matrix:
        runner: [ubuntu-latest, self-hosted]
    runs-on: \${{ matrix.runner }}
    steps:
      - run: echo ok
`,
        lines: [7],
      },
    ],
  },
  run(doc) {
    if (doc.kind !== "workflow" || !hasTrigger(doc, ...PR_EVENTS)) return [];
    const findings: AuditFinding[] = [];
    for (const job of doc.jobs) {
      if (!job.runsOn || sameRepositoryOnly(job.if)) continue;
      const selfHosted = runnerLabels(job).some((label) => label.toLowerCase() === "self-hosted");
      if (!selfHosted && job.runsOn.group === undefined) continue;
      const what = selfHosted ? "a self-hosted runner" : `the runner group \`${job.runsOn.group}\` (self-hosted, unless it holds larger GitHub-hosted runners)`;
      findings.push({
        line: job.runsOn.line,
        message: `This job runs pull requests on ${what}: in a public repository anyone who opens a pull request can run code on that machine, and what they leave behind runs with later jobs' secrets (fine for a private repository).`,
        key: `${job.id}:self-hosted`,
        ...(selfHosted ? {} : { confidence: "low" as const }),
      });
    }
    return findings;
  },
});

/** The job's labels, with `${{ matrix.x }}` replaced by every value the matrix gives `x`. */
function runnerLabels(job: WorkflowJob): string[] {
  const labels: string[] = [];
  for (const label of job.runsOn?.labels ?? []) {
    const matrixKey = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(label.trim())?.[1];
    if (!matrixKey) {
      labels.push(label);
      continue;
    }
    labels.push(...matrixValues(job.raw, matrixKey));
  }
  return labels;
}

function matrixValues(raw: unknown, key: string): string[] {
  const matrix = field(field(raw, "strategy"), "matrix");
  const values: unknown[] = [];
  const direct = field(matrix, key);
  if (Array.isArray(direct)) values.push(...direct);
  const include = field(matrix, "include");
  if (Array.isArray(include)) values.push(...include.map((entry) => field(entry, key)));
  // A matrix value may itself be a label list: `runner: [[self-hosted, linux]]`.
  return values.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is string => typeof v === "string");
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}
