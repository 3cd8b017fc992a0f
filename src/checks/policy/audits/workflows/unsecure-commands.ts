/**
 * `ACTIONS_ALLOW_UNSECURE_COMMANDS` turns back on the `::set-env::` and `::add-path::` workflow
 * commands, which GitHub disabled in 2020 (CVE-2020-15228) because any text a step prints, such as
 * a pull request title echoed in a log or a test's output, can set environment variables
 * (`LD_PRELOAD`, `NODE_OPTIONS`) and `PATH` for every later step.
 *
 * Reported where it is set to a true value: workflow, job or step `env:`, an action's step `env:`,
 * or a script line writing it to `$GITHUB_ENV`. An expression value is reported at medium
 * confidence (it may be false at run time).
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import { allSteps, type WorkflowDocument, type WorkflowText } from "../../domains/workflow.js";
import { scriptLines } from "../../workflow/steps.js";

const NAME = "ACTIONS_ALLOW_UNSECURE_COMMANDS";
const SET_IN_SCRIPT = new RegExp(`\\b${NAME}=["']?true\\b`, "i");

export const unsecureCommands = defineAudit<WorkflowDocument>({
  id: "unsecure-commands",
  domain: "workflow",
  title: "Unsecure workflow commands enabled",
  description:
    "`ACTIONS_ALLOW_UNSECURE_COMMANDS` re-enables `::set-env::` and `::add-path::`, so any text a step prints (a pull request title in a log, a dependency's output) can set environment variables and `PATH` for the rest of the job.",
  severity: "high",
  confidence: "high",
  remediation:
    "Remove `ACTIONS_ALLOW_UNSECURE_COMMANDS` and update the action that needs it (write to `$GITHUB_ENV` and `$GITHUB_PATH` files instead of `::set-env::` and `::add-path::`).",
  link: "https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/",
  samples: {
    valid: [
      {
        text: `on: push
env:
  ACTIONS_ALLOW_UNSECURE_COMMANDS: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "$HOME/bin" >> "$GITHUB_PATH"
`,
      },
      {
        note: "mentioned in a script, not set",
        text: `on: push
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: |
          if grep -rq ACTIONS_ALLOW_UNSECURE_COMMANDS .github/workflows; then
            echo "::error::unsecure commands are enabled somewhere"
          fi
`,
      },
    ],
    invalid: [
      {
        text: `name: Legacy
on: [push, pull_request]
env:
  ACTIONS_ALLOW_UNSECURE_COMMANDS: true
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      ACTIONS_ALLOW_UNSECURE_COMMANDS: "TRUE"
    steps:
      - uses: actions/checkout@v4
      - uses: old/setup-tool@v1
        env:
          ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true'
`,
        lines: [4, 9, 14],
      },
      {
        note: "written to GITHUB_ENV, and in a composite action",
        path: "action.yml",
        text: `name: Setup
description: Install the tool
runs:
  using: composite
  steps:
    - shell: bash
      run: echo "ACTIONS_ALLOW_UNSECURE_COMMANDS=true" >> "$GITHUB_ENV"
    - shell: bash
      env:
        ACTIONS_ALLOW_UNSECURE_COMMANDS: \${{ inputs.legacy }}
      run: ./install.sh
`,
        lines: [7, 10],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    const check = (value: WorkflowText | undefined, where: string) => {
      if (!value) return;
      const verdict = enables(value.value);
      if (verdict) findings.push(finding(value.line, where, verdict));
    };
    check(doc.env.get(NAME), "workflow");
    for (const job of doc.jobs) check(job.env.get(NAME), `job:${job.id}`);
    for (const { step } of allSteps(doc)) {
      check(step.env.get(NAME), `${step.jobId}:step`);
      if (!step.run || !step.run.value.includes(NAME)) continue;
      for (const line of scriptLines(step.run)) {
        const text = line.text.slice(0, 4000);
        if (SET_IN_SCRIPT.test(text) && /GITHUB_ENV|::set-env/.test(text)) findings.push(finding(line.line, `${step.jobId}:script`, "true"));
      }
    }
    return findings;
  },
});

function enables(value: string): "true" | "expression" | undefined {
  const v = value.trim();
  if (v.toLowerCase() === "true") return "true";
  return v.includes("${{") ? "expression" : undefined;
}

function finding(line: number, where: string, verdict: "true" | "expression"): AuditFinding {
  const scope = where === "workflow" ? "every job of this workflow" : where.startsWith("job:") ? "this job" : "this step";
  return {
    line,
    message:
      verdict === "true"
        ? `This enables the \`::set-env::\` and \`::add-path::\` commands for ${scope}: any text a step prints (a pull request title in a log, a dependency's output) can set environment variables and PATH for the steps after it.`
        : `This may enable the \`::set-env::\` and \`::add-path::\` commands for ${scope} (its value is an expression): then any text a step prints can set environment variables and PATH for the steps after it.`,
    key: `${where}:${NAME}`,
    ...(verdict === "expression" ? { confidence: "medium" as const } : {}),
  };
}
