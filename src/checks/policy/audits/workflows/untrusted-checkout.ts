/**
 * "Pwn request": `pull_request_target` and `workflow_run` runs have the base repository's token
 * and secrets, and by default they check out the base, which is safe. A step that checks out the
 * pull request's head instead (its SHA or branch, the fork's repository, `refs/pull/N/merge`, the
 * triggering run's `head_sha`) puts the fork's code in the workspace; a later `npm install`,
 * `make` or `./script` runs it with those secrets.
 *
 * Reported on the step that names the head (an `actions/checkout` step's `uses:` line, spanning to
 * its `ref:`/`repository:`; or the `git fetch`/`git checkout`/`gh pr checkout` line of a script,
 * directly or through an `env:` variable): critical when a later step of the job builds or runs workspace code, high otherwise.
 * A label or actor condition does not make it safe (the message says why); a condition admitting
 * only branches of this repository (`head.repo.full_name == github.repository`) does.
 * Known limits: a head SHA fetched through the API into a step output is not followed.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { WorkflowDocument } from "../../domains/workflow.js";
import { falseProtection, gates, hasTrigger, PRIVILEGED_PR_TRIGGERS, sameRepositoryOnly, usesAction } from "../../workflow/steps.js";
import { headCheckouts } from "../../workflow/untrusted-sources.js";
import { runsCodeFrom, runsWorkspaceCode } from "../../workflow/workspace-code.js";

export const untrustedCheckout = defineAudit<WorkflowDocument>({
  id: "untrusted-checkout",
  domain: "workflow",
  title: "Pull request code checked out with the base repository's secrets",
  description:
    "A `pull_request_target` or `workflow_run` workflow checks out the pull request's own code, so a fork's build scripts run with the base repository's token and secrets.",
  severity: "high",
  confidence: "high",
  remediation:
    "Check out only the base (drop `ref:`), or move the build of the pull request's code to a `pull_request` workflow, which has no secrets, and pass its results to the privileged one as data.",
  link: "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
  samples: {
    valid: [
      {
        note: "a labeler that checks out the base only",
        text: `name: Labeler
on:
  pull_request_target:
    types: [opened, synchronize]
permissions:
  contents: read
  pull-requests: write
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.base.sha }}
      - uses: actions/labeler@v5
`,
      },
      {
        note: "the head of a pull_request workflow (no secrets) is fine",
        text: `on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
`,
      },
      {
        note: "only branches of this repository get through",
        text: `on: pull_request_target
jobs:
  preview:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm run build
`,
      },
    ],
    invalid: [
      {
        note: "head checkout then a build: critical",
        text: `name: Preview
on:
  pull_request_target:
    types: [labeled]
jobs:
  preview:
    if: contains(github.event.pull_request.labels.*.name, 'safe to test')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci
      - run: npm run build
`,
        lines: [10],
      },
      {
        note: "workflow_run head, the fork's repository, and a git fetch of refs/pull through env",
        text: `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          repository: \${{ github.event.workflow_run.head_repository.full_name }}
          ref: \${{ github.event.workflow_run.head_sha }}
      - name: Fetch the pull request
        env:
          PR: \${{ github.event.workflow_run.pull_requests[0].number }}
        run: |
          git fetch origin "pull/$PR/head:pr"
          git checkout pr
`,
        lines: [9, 17],
      },
      {
        note: "a spoofable actor check",
        text: `on: pull_request_target
jobs:
  update-snapshots:
    if: github.actor == 'dependabot[bot]'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: refs/pull/\${{ github.event.pull_request.number }}/merge
`,
        lines: [7],
      },
    ],
  },
  run(doc) {
    if (doc.kind !== "workflow" || !hasTrigger(doc, ...PRIVILEGED_PR_TRIGGERS)) return [];
    const findings: AuditFinding[] = [];
    for (const job of doc.jobs) {
      job.steps.forEach((step, i) => {
        if (gates(job, step).some(sameRepositoryOnly)) return;
        const path = usesAction(step, "actions/checkout") ? step.with.get("path")?.value.trim().replace(/^\.\/?/, "") : undefined;
        for (const site of headCheckouts(doc, job, step)) {
          // Checked out into a directory of its own, the code runs only if a step runs something from there.
          const later = job.steps.slice(i + 1).find((s) => (path ? runsCodeFrom(s, path) : runsWorkspaceCode(s)));
          const gate = falseProtection(gates(job, step));
          const what = later
            ? `and the step on line ${later.line} runs code from it: anyone who opens a pull request can run commands with this job's token and secrets.`
            : "with this job's token and secrets: any script, hook or config file from it that a later step or tool reads is the pull request author's.";
          findings.push({
            line: site.line,
            ...(site.endLine !== undefined ? { endLine: site.endLine } : {}),
            message: `This step checks out the pull request's code (\`${site.what}\`) in a ${triggerName(doc)} run, ${what}${gate ? ` ${gate}` : ""}`,
            key: `${job.id}:checkout:${site.what}`,
            ...(later ? { severity: "critical" as const } : {}),
          });
        }
      });
    }
    return findings;
  },
});

function triggerName(doc: WorkflowDocument): string {
  return hasTrigger(doc, "pull_request_target") ? "`pull_request_target`" : "`workflow_run`";
}

