/**
 * `secrets: inherit` hands a called workflow every secret the caller can see (repository,
 * environment and organisation secrets), not the two it needs. Into a workflow of the same
 * repository (`./.github/workflows/…`) that is the same trust; into another owner's workflow, that
 * owner's next commit to the ref (or whoever compromises them) receives all of them.
 *
 * Whose repository this is cannot be known from the file: when the check's context names the
 * repository (`repository.owner`, given by the app or the CLI), a workflow of the same owner is
 * trusted and another owner's is reported with high confidence; without it, a remote workflow is
 * reported at low confidence (a summary line, not an inline comment), since most such calls go to
 * the organisation's own shared workflows.
 */
import { defineAudit, type AuditContext, type AuditFinding } from "../../audit.js";
import type { WorkflowDocument } from "../../domains/workflow.js";
import { parseUses, usesTarget } from "../../workflow/uses-ref.js";

const SHA = "8e8c483db84b4bee98b60c0593521ed34d9990e8";

/** The repository under review, when the caller knows it. */
function repositoryOwner(context: AuditContext): string | undefined {
  const owner = context.repository?.owner;
  return owner ? owner.toLowerCase() : undefined;
}

export const secretsInherit = defineAudit<WorkflowDocument>({
  id: "secrets-inherit",
  domain: "workflow",
  title: "All secrets passed to another owner's reusable workflow",
  description:
    "`secrets: inherit` into a reusable workflow of another owner gives that owner's code every secret of the calling repository and organisation, whatever the workflow needs.",
  severity: "high",
  confidence: "medium",
  remediation: "Pass only the secrets the workflow declares, by name (`secrets: { npm-token: ${{ secrets.NPM_TOKEN }} }`), and pin the workflow to a commit SHA.",
  link: "https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-inputs-and-secrets-to-a-reusable-workflow",
  samples: {
    valid: [
      {
        note: "a workflow of the same repository, and a remote one given only what it needs",
        text: `on: push
jobs:
  build:
    uses: ./.github/workflows/build.yml
    secrets: inherit
  publish:
    uses: octo-vendor/release-workflows/.github/workflows/npm.yml@${SHA} # v3.1.0
    secrets:
      npm-token: \${{ secrets.NPM_TOKEN }}
`,
      },
      {
        note: "inherit on a job that runs steps is ignored by GitHub; nothing is passed on",
        text: `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    secrets: inherit
    steps:
      - run: make test
`,
      },
    ],
    invalid: [
      {
        text: `name: Release
on:
  release:
    types: [published]
jobs:
  publish:
    uses: octo-vendor/release-workflows/.github/workflows/npm.yml@${SHA} # v3.1.0
    secrets: inherit
`,
        lines: [8],
      },
      {
        note: "each job that inherits is its own finding",
        text: `on: push
jobs:
  scan:
    uses: security-vendor/scans/.github/workflows/sast.yml@v2
    secrets: inherit
  docs:
    uses: docs-tools/publish/.github/workflows/site.yml@main
    with:
      path: docs
    secrets: inherit
`,
        lines: [5, 10],
      },
    ],
  },
  run(doc, context) {
    const owner = repositoryOwner(context);
    const findings: AuditFinding[] = [];
    for (const job of doc.jobs) {
      if (!job.secrets?.inherit || job.uses === undefined) continue;
      const ref = parseUses(job.uses);
      if (ref.kind !== "repository") continue;
      const sameOwner = owner !== undefined && ref.owner.toLowerCase() === owner;
      if (sameOwner) continue;
      const ownerNote = owner === undefined ? ` (if ${ref.owner} is your own organisation, this is expected)` : "";
      findings.push({
        line: job.secrets.line,
        key: `${job.id}:${ref.owner}/${ref.repo}/${ref.path}`,
        confidence: owner === undefined ? "low" : "high",
        message: `Job \`${job.id}\` passes every secret of this repository and its organisation to \`${usesTarget(ref)}\`, a workflow ${ref.owner} controls${ownerNote}: pass the secrets it needs by name.`,
      });
    }
    return findings;
  },
});
