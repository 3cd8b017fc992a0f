/**
 * A tag or a branch is a pointer its repository's owner can move: when `tj-actions/changed-files`
 * was compromised (March 2025, CVE-2025-30066) every tag was repointed at a commit that printed the
 * runners' secrets into public logs, and every workflow that used the action by tag ran it. A full
 * commit SHA cannot be moved. Which owners must be pinned by SHA is the `pins` option
 * (workflow/pin-policy.ts): GitHub's own `actions/*` and `github/*` may use a ref by default.
 *
 * Not reported: `./local` actions and workflows (they run at the workflow's own commit), Docker
 * images by `@sha256:` digest, and any `uses:` with an expression (GitHub rejects those). A value
 * with no ref at all is reported whatever the policy, except `any`. Docker images are not actions
 * and have no owner pattern: a tag is reported unless the configured `*` policy is `any`.
 *
 * Key: `<job>:<uses value>`. Moving a step within its job or reformatting is not new; the same
 * tag-pinned action added to another job is, because that job has its own token permissions and
 * secrets, and the multiset comparison makes a second copy in the same job new too. Changing the
 * ref (`@v3` to `@v4`) is new: the change chose the new tag.
 *
 * No suggestion from the audit: offline, a tag cannot be resolved to its commit, and a guessed SHA
 * would be worse than none. In the app, the check resolves the tag through the GitHub API and adds
 * the one-click pin to this audit's findings (check.ts, `withPinSuggestions`), or says it could not.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { WorkflowDocument } from "../../domains/workflow.js";
import { PinPolicyTable, type PinDecision } from "../../workflow/pin-policy.js";
import { usesTarget } from "../../workflow/uses-ref.js";
import { usesSites, type UsesSite } from "../../workflow/uses-sites.js";
import { jobLabel } from "../../workflow/step-label.js";

const SHA = "11bd71901bbe5b1630ceea73d27597364c9af683";

export const unpinnedUses = defineAudit<WorkflowDocument>({
  id: "unpinned-uses",
  domain: "workflow",
  title: "Action or reusable workflow not pinned to a commit",
  description:
    "A third-party action or reusable workflow used by tag or branch runs whatever commit its owner (or whoever takes over the repository) points that ref at next, with the job's token and secrets.",
  severity: "high",
  confidence: "high",
  remediation:
    "Pin the action to the full 40-character commit SHA of the release you reviewed, with the tag as a comment (`uses: owner/action@<sha> # v1.2.3`), and let Dependabot or Renovate update it; or allow the owner a ref in `checks.policy.pins`.",
  link: "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions",
  samples: {
    valid: [
      {
        note: "GitHub's own actions by tag, third parties by SHA, local actions and a Docker digest",
        text: `name: CI
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - uses: github/codeql-action/init@v3
      - uses: pnpm/action-setup@${SHA} # v4.1.0
      - uses: ./.github/actions/build
      - uses: docker://ghcr.io/acme/linter@sha256:${"0f".repeat(32)}
  shared:
    uses: ./.github/workflows/reusable-lint.yml
`,
      },
      {
        note: "the pin policy lets the organisation's own actions use a ref",
        options: { pins: { "acme-corp/*": "ref", "acme-corp/deploy": "hash", "trusted-vendor": "any" } },
        text: `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: acme-corp/setup-toolchain@v2
      - uses: acme-corp/deploy@${SHA} # v5.0.1
      - uses: trusted-vendor/scan
`,
      },
    ],
    invalid: [
      {
        note: "a third-party action by tag, by branch, a reusable workflow by branch, a Docker tag",
        text: `name: Release
on:
  push:
    tags: ["v*"]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: tj-actions/changed-files@v45
      - uses: softprops/action-gh-release@master
      - uses: docker://alpine:3.20
  notify:
    uses: octo-org/workflows/.github/workflows/notify.yml@main
`,
        lines: [10, 11, 12, 14],
      },
      {
        note: "a stricter policy for GitHub's own actions; a short SHA is still a ref; no ref at all",
        options: { pins: { "actions/*": "hash" } },
        text: `on: pull_request
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: acme/lint-action@${SHA.slice(0, 7)}
      - uses: acme/format-action
`,
        lines: [6, 7, 8],
      },
    ],
  },
  run(doc, { options }) {
    const table = new PinPolicyTable(options.pins);
    const dockerAllowed = options.pins["*"] === "any";
    const findings: AuditFinding[] = [];
    for (const site of usesSites(doc)) {
      const finding = judge(site, table, dockerAllowed);
      if (finding) findings.push({ ...finding, line: site.line, key: `${site.jobId}:${site.uses}` });
    }
    return findings;
  },
});

type Judgement = Omit<AuditFinding, "line" | "key">;

function judge(site: UsesSite, table: PinPolicyTable, dockerAllowed: boolean): Judgement | undefined {
  const { ref } = site;
  const where = site.jobId === "runs" && !site.isJob ? "This action's step uses" : `${capitalize(jobLabel(site.jobId))} ${site.isJob ? "calls" : "uses"}`;
  if (ref.kind === "docker") {
    if (ref.digest || dockerAllowed) return undefined;
    const tag = ref.tag ?? "latest";
    return {
      severity: "medium",
      message: `${where} the Docker image \`${ref.image}:${tag}\` by tag: whoever can push to that repository can replace \`${tag}\`, and the step then runs the new image. Pin it by digest (\`docker://${ref.image}@sha256:…\`).`,
    };
  }
  if (ref.kind !== "repository" || ref.pinnedToCommit) return undefined;
  const target = usesTarget(ref);
  const decision = table.decide({ owner: ref.owner, repo: ref.repo, path: ref.path });
  const what = ref.reusableWorkflow ? "reusable workflow" : "action";
  if (ref.ref === undefined) {
    if (decision.policy === "any") return undefined;
    return {
      severity: "medium",
      message: `${where} the ${what} \`${target}\` without a ref: GitHub cannot tell which version to run (and rejects the workflow). Add \`@<commit sha> # <version>\`${policyNote(decision)}.`,
    };
  }
  if (decision.policy !== "hash") return undefined;
  const owner = `${ref.owner}/${ref.repo}`;
  return {
    message:
      `${where} the ${what} \`${target}@${ref.ref}\`, pinned to a tag or branch: anyone who can push to ${owner} (its maintainers, or whoever takes over their account or token) can move \`${ref.ref}\`, and this workflow then runs that code with the job's token and secrets. ` +
      `Pin it to the full commit SHA \`${ref.ref}\` points at, with \`# ${ref.ref}\` as a comment${policyNote(decision)}.`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function policyNote(decision: PinDecision): string {
  return decision.pattern === "*" ? "" : ` (pin policy \`${decision.pattern}\`: ${decision.policy})`;
}
