/**
 * The `GITHUB_TOKEN` of a job can do what its `permissions:` allow. `write-all` gives every scope
 * write access (contents, packages, actions, pull requests, …): a compromised step or dependency
 * can push to branches, publish packages or rewrite releases. With no `permissions:` at all, the
 * repository's default applies, which is read/write for repositories and organisations created
 * before February 2023 unless an admin changed it; offline we cannot see that setting, so a missing
 * block is reported only for jobs that hold stored secrets (a privileged workflow), at low
 * confidence, or medium when the workflow runs on `pull_request_target` or `workflow_run`, whose
 * token and secrets outsiders' changes can reach.
 *
 * Precision: `read-all`, `{}` and per-scope blocks are fine; a job's own block replaces the
 * workflow's for that job (so a workflow-level `write-all` that every job overrides is not
 * reported); a reusable workflow (`workflow_call` only) gets its caller's token, so a missing block
 * there is the caller's business. Broad scopes short of `write-all` are not judged here.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import { trigger, type WorkflowDocument, type WorkflowJob } from "../../domains/workflow.js";
import { jobSecretUse, mentionsSecrets, usesSecrets, workflowEnvSecretReads } from "../../workflow/secret-use.js";
import { PRIVILEGED_PR_TRIGGERS } from "../../workflow/steps.js";

export const excessivePermissions = defineAudit<WorkflowDocument>({
  id: "excessive-permissions",
  domain: "workflow",
  title: "Workflow token with excessive permissions",
  description:
    "A job whose token has write access to everything (`write-all`, or the repository's read/write default when no `permissions:` is set) lets any compromised step push code, publish packages or change releases.",
  severity: "high",
  confidence: "high",
  remediation:
    "Set `permissions:` at the top of the workflow to the least it needs (often `contents: read`), and grant write scopes only to the jobs that need them, in the job's own `permissions:`.",
  link: "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token",
  samples: {
    valid: [
      {
        note: "read-only workflow with one job granted what it needs",
        text: `name: Release
on:
  push:
    tags: ["v*"]
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`,
      },
      {
        note: "no permissions block, but no stored secrets and a push trigger; GITHUB_TOKEN is not a stored secret",
        text: `on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
      - uses: actions/github-script@v7
        with:
          github-token: \${{ secrets.GITHUB_TOKEN }}
          script: console.log(context.sha)
`,
      },
      {
        note: "a workflow-level write-all that every job overrides has no effect; a reusable workflow takes its caller's token",
        text: `on:
  workflow_call:
    secrets:
      deploy-key:
        required: true
permissions: write-all
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - run: ./deploy.sh
        env:
          KEY: \${{ secrets.deploy-key }}
`,
      },
    ],
    invalid: [
      {
        note: "write-all at the workflow and at a job",
        text: `name: Nightly
on:
  schedule:
    - cron: "0 2 * * *"
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make nightly
  cleanup:
    runs-on: ubuntu-latest
    permissions: write-all
    steps:
      - run: ./cleanup.sh
`,
        lines: [5, 13],
      },
      {
        note: "no permissions anywhere in a workflow whose job uses a stored secret",
        text: `name: Deploy
on:
  push:
    branches: [main]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: make lint
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: ./scripts/deploy.sh
        env:
          DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`,
        lines: [10],
      },
      {
        note: "pull_request_target without permissions, with a stored secret: medium confidence",
        text: `on:
  pull_request_target:
    types: [opened]
jobs:
  welcome:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/welcome-bot@v3
        with:
          bot-token: \${{ secrets.WELCOME_BOT_TOKEN }}
`,
        lines: [5],
      },
    ],
  },
  run(doc) {
    if (doc.kind !== "workflow") return [];
    const findings: AuditFinding[] = [];
    const inheriting = doc.jobs.filter((job) => job.permissions === undefined);
    if (doc.permissions?.all?.trim() === "write-all" && inheriting.length > 0) {
      findings.push({
        line: doc.permissions.line,
        key: "workflow:write-all",
        message: `\`permissions: write-all\` gives the token of ${jobList(inheriting)} write access to every scope: any step or dependency that is compromised can push code, publish packages and change releases.`,
      });
    }
    for (const job of doc.jobs) {
      if (job.permissions?.all?.trim() !== "write-all") continue;
      findings.push({
        line: job.permissions.line,
        key: `${job.id}:write-all`,
        message: `Job \`${job.id}\` sets \`permissions: write-all\`: its token can write to every scope, so any compromised step or dependency can push code, publish packages and change releases.`,
      });
    }
    if (!doc.permissions) {
      const missing = missingBlockFinding(doc, inheriting);
      if (missing) findings.push(missing);
    }
    return findings;
  },
});

function missingBlockFinding(doc: WorkflowDocument, inheriting: readonly WorkflowJob[]): AuditFinding | undefined {
  if (inheriting.length === 0 || !mentionsSecrets(doc)) return undefined;
  if (doc.triggers.length > 0 && doc.triggers.every((t) => t.event === "workflow_call")) return undefined;
  const envReads = workflowEnvSecretReads(doc);
  const withSecrets = inheriting.filter((job) => usesSecrets(jobSecretUse(doc, job, envReads)));
  const first = withSecrets[0];
  if (!first) return undefined;
  const untrusted = PRIVILEGED_PR_TRIGGERS.find((event) => trigger(doc, event));
  const why = untrusted ? `; this workflow runs on \`${untrusted}\`, where outsiders' changes can reach the token and the secrets` : "";
  return {
    line: first.line,
    key: "workflow:no-permissions",
    severity: "medium",
    confidence: untrusted ? "medium" : "low",
    message: `No \`permissions:\` is set for ${jobList(withSecrets)}, which ${withSecrets.length === 1 ? "uses" : "use"} stored secrets: the token gets the repository's default, which is read/write in repositories created before February 2023${why}. Set \`permissions:\` (e.g. \`contents: read\`) at the top of the workflow.`,
  };
}

function jobList(jobs: readonly WorkflowJob[]): string {
  const names = jobs.slice(0, 5).map((j) => `\`${j.id}\``);
  const more = jobs.length > 5 ? ` and ${jobs.length - 5} more` : "";
  return `${jobs.length === 1 ? "job" : "jobs"} ${names.join(", ")}${more}`;
}
