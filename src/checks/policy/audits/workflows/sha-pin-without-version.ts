/**
 * A bare commit SHA tells a reviewer nothing: whether it is the release it claims to be, an old
 * one with a known vulnerability, or a commit from a fork's network that never was a release.
 * The `# v4.1.1` comment that Dependabot and Renovate write and keep current is what makes a SHA
 * pin reviewable (zizmor's `ref-version-mismatch` checks the same comment). Low severity and low
 * confidence: it is hygiene, and many projects choose not to; disable the audit to opt out.
 *
 * Key: `<job>:<uses value>`, as in `unpinned-uses`.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { WorkflowDocument } from "../../domains/workflow.js";
import { isVersionComment, usesTarget } from "../../workflow/uses-ref.js";
import { trailingComment, usesSites } from "../../workflow/uses-sites.js";

const SHA = "0ad4b8fadaa221de15dcec353f45205ec38ea70b";
const SHA2 = "5a4ac9002d0be2fb38bd78e4b4dbde5606d7042f";

export const shaPinWithoutVersion = defineAudit<WorkflowDocument>({
  id: "sha-pin-without-version",
  domain: "workflow",
  title: "Commit-pinned action without a version comment",
  description:
    "An action pinned to a bare commit SHA hides which release it is, so a reviewer cannot tell an outdated, vulnerable or impostor commit from the release it claims to be.",
  severity: "low",
  confidence: "low",
  remediation: "Add the release the SHA stands for as a trailing comment (`uses: owner/action@<sha> # v1.2.3`); Dependabot and Renovate keep it current.",
  link: "https://docs.github.com/en/code-security/dependabot/working-with-dependabot/keeping-your-actions-up-to-date-with-dependabot",
  samples: {
    valid: [
      {
        text: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v4.1.4
      - uses: actions/setup-go@${SHA2}   # v5
      - name: Release
        uses: goreleaser/goreleaser-action@${SHA} # tag=v6.0.0
`,
      },
      {
        note: "tags, local actions and Docker digests are not this audit's business",
        text: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/setup
      - uses: docker://alpine@sha256:${"ab".repeat(32)}
  call:
    uses: acme/shared/.github/workflows/ci.yml@${SHA} # v2.3.0
`,
      },
    ],
    invalid: [
      {
        text: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA}
      - uses: actions/cache@${SHA2} # pinned
        with:
          path: ~/.cache
          key: cache-\${{ hashFiles('**/lockfile') }}
`,
        lines: [6, 7],
      },
      {
        note: "a reusable workflow, and a comment on the line below does not count",
        text: `on: push
jobs:
  release:
    uses: acme/shared/.github/workflows/release.yml@${SHA}
    # v2.3.0
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/lint@${SHA2}
`,
        lines: [4, 9],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const site of usesSites(doc)) {
      if (site.ref.kind !== "repository" || !site.ref.pinnedToCommit) continue;
      if (isVersionComment(trailingComment(doc, site))) continue;
      findings.push({
        line: site.line,
        key: `${site.jobId}:${site.uses}`,
        message: `${site.jobId === "runs" ? "This action" : `Job \`${site.jobId}\``} pins \`${usesTarget(site.ref)}\` to a bare commit SHA: add the release it stands for as a comment (\`# v1.2.3\`) so reviewers and update bots can tell which version this is.`,
      });
    }
    return findings;
  },
});
