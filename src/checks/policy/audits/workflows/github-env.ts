/**
 * `GITHUB_ENV`, `GITHUB_PATH` and `GITHUB_OUTPUT` are files of `NAME=value` lines that the runner
 * reads after the step. Text with a line break forges extra lines: `LD_PRELOAD`, `NODE_OPTIONS` or
 * `BASH_ENV` for every later step, or a directory of the attacker's on the `PATH`. Unlike template
 * injection, passing the value through `env:` does not help: the write itself is the problem.
 *
 * Reported on the line that brings the untrusted data into a write (`>> "$GITHUB_ENV"`,
 * `tee -a`, PowerShell `Out-File`/`Add-Content`/`Set-Content`, the body of a heredoc or `{ … }`
 * group written there):
 * - an attacker-written field that can hold a line break (a body, a title, a commit message; a
 *   branch name cannot, except for `GITHUB_PATH`, where any path is a risk), directly in `${{ }}`,
 *   through a variable of the step's `env:`, or through a shell variable assigned from one
 *   (`msg=$(echo "$TITLE" | …)`);
 * - in a `pull_request_target`/`workflow_run` job that checked out the head or downloaded the
 *   triggering run's artifacts, a value read from a file (`$(cat pr/number)`, directly or through
 *   a shell variable) at medium confidence: those files are the pull request author's. Output of
 *   commands such as `$(gh pr list …)` is not counted, nor a value passed through `tr -cd`/`tr -d`.
 * Writes to `GITHUB_OUTPUT` are medium severity: a forged output misleads only the steps that read it.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { WorkflowDocument, WorkflowJob, WorkflowStep } from "../../domains/workflow.js";
import { allSteps } from "../../domains/workflow.js";
import { findExpressions, untrustedValueReads, type UntrustedRead } from "../../workflow/expressions.js";
import { hasTrigger, PRIVILEGED_PR_TRIGGERS, readsVariable, scriptLines, stepEnv, type ScriptLine } from "../../workflow/steps.js";
import { headCheckouts, runArtifactDownload } from "../../workflow/untrusted-sources.js";

type Target = "GITHUB_ENV" | "GITHUB_PATH" | "GITHUB_OUTPUT";
const TARGETS: readonly Target[] = ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT"];
const WRITES_FILE_COMMAND = /GITHUB_(?:ENV|PATH|OUTPUT)/;
/** `tr -cd 'A-Za-z0-9_-'`, `tr -d '\n'`: characters deleted, line breaks among them. */
const SANITISED = /\btr\s+-[cCs]*d[cCs]*\s/;
/** Reading a file: `cat f`, `$(<f)`, `< f`, a text tool given a file with an extension, PowerShell `Get-Content`. Not `$(gh …)` or `$(git …)`. */
const FROM_FILE =
  /\bcat\s|(?:^|[^<])<(?![<(&])\s*["']?[\w./$~{}-]|\b(?:head|tail|jq|yq|awk|sed|grep|cut|tr|xargs)\b[^|;]*\s["']?[\w./${}-]*\.(?:txt|json|md|ya?ml|toml|env|cfg|ini|xml|properties)\b|Get-Content/;

export const githubEnv = defineAudit<WorkflowDocument>({
  id: "github-env",
  domain: "workflow",
  title: "Untrusted data written to GITHUB_ENV, GITHUB_PATH or GITHUB_OUTPUT",
  description:
    "Text an outsider writes is appended to `$GITHUB_ENV` (or `$GITHUB_PATH`), where a line break in it sets any environment variable, such as `LD_PRELOAD` or `NODE_OPTIONS`, for every later step of the job.",
  severity: "high",
  confidence: "high",
  remediation:
    "Do not write untrusted text to these files: pass it to later steps through their own `env:` from the event (`${{ github.event.… }}`), or validate it first (for example, accept only digits for a pull request number).",
  link: "https://docs.github.com/en/actions/reference/security/secure-use#good-practices-for-mitigating-script-injection-attacks",
  samples: {
    valid: [
      {
        note: "trusted values and a branch name (which cannot hold a line break) written to GITHUB_ENV",
        text: `on: pull_request_target
jobs:
  meta:
    runs-on: ubuntu-latest
    steps:
      - name: Export metadata
        env:
          BRANCH: \${{ github.head_ref }}
        run: |
          echo "PR_NUMBER=\${{ github.event.pull_request.number }}" >> "$GITHUB_ENV"
          echo "BRANCH=$BRANCH" >> "$GITHUB_ENV"
          echo "$HOME/.local/bin" >> "$GITHUB_PATH"
`,
      },
      {
        note: "the untrusted body is read by the next step through its own env",
        text: `on:
  issues:
    types: [opened]
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - id: parse
        run: echo "has_repro=true" >> "$GITHUB_OUTPUT"
      - env:
          BODY: \${{ github.event.issue.body }}
        run: printf '%s' "$BODY" | ./scripts/classify.sh
`,
      },
      {
        note: "a file read in a push workflow is the repository's own",
        text: `on: push
jobs:
  version:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "VERSION=$(cat VERSION)" >> "$GITHUB_ENV"
`,
      },
    ],
    invalid: [
      {
        note: "a PR body through env, and an issue title in a heredoc",
        text: `on:
  pull_request_target:
  issues:
jobs:
  export:
    runs-on: ubuntu-latest
    steps:
      - env:
          BODY: \${{ github.event.pull_request.body }}
        run: |
          echo "DESCRIPTION=$BODY" >> "$GITHUB_ENV"
      - run: |
          cat <<EOF >> $GITHUB_ENV
          ISSUE_TITLE=\${{ github.event.issue.title }}
          EOF
`,
        lines: [11, 14],
      },
      {
        note: "artifact contents from the triggering run, and PowerShell",
        text: `on:
  workflow_run:
    workflows: [Build]
    types: [completed]
jobs:
  comment:
    runs-on: windows-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: pr
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ secrets.GITHUB_TOKEN }}
      - run: echo "PR_NUMBER=$(cat pr/NUMBER)" >> $GITHUB_ENV
        shell: bash
      - run: |
          "MESSAGE=\${{ github.event.workflow_run.head_commit.message }}" | Out-File -FilePath $env:GITHUB_ENV -Append
        shell: pwsh
`,
        lines: [14, 17],
      },
    ],
  },
  run(doc) {
    const privileged = doc.kind === "workflow" && hasTrigger(doc, ...PRIVILEGED_PR_TRIGGERS);
    const findings: AuditFinding[] = [];
    const tainted = new Set<string>();
    for (const { job, step } of allSteps(doc)) {
      const jobKey = job?.id ?? "runs";
      if (privileged && (headCheckouts(doc, job, step).length > 0 || runArtifactDownload(step))) tainted.add(jobKey);
      if (!step.run || !WRITES_FILE_COMMAND.test(step.run.value)) continue;
      findings.push(...writesOf(doc, job, step, tainted.has(jobKey)));
    }
    return findings;
  },
});

function writesOf(doc: WorkflowDocument, job: WorkflowJob | undefined, step: WorkflowStep, filesUntrusted: boolean): AuditFinding[] {
  const lines = scriptLines(step.run!);
  const variables = new Map<string, Problem>();
  for (const [name, value] of stepEnv(doc, job, step)) {
    const read = attackerReads(value.value)[0];
    if (read) variables.set(name, { ...read, path: `${read.path} (through $${name})` });
  }
  const findings: AuditFinding[] = [];
  const reported = new Set<number>();
  lines.forEach((line, i) => {
    taintAssignment(line.text, variables, filesUntrusted);
    const target = writeTarget(line.text);
    if (!target) return;
    const written = writtenLines(lines, i);
    for (const content of written) {
      if (reported.has(content.line)) continue;
      // A heredoc's first line is `cat <<EOF >> …`: its body, not that `cat`, is what gets written.
      const readsFile = filesUntrusted && !(written.length > 1 && content === line) && FROM_FILE.test(content.text) && !SANITISED.test(content.text);
      const problem = untrustedIn(content.text, target, variables) ?? (readsFile ? "file" : undefined);
      if (!problem) continue;
      reported.add(content.line);
      findings.push(finding(step, target, content, problem));
    }
  });
  return findings;
}

/**
 * `message=$(echo "$TITLE" | …)`: a shell variable assigned from untrusted data is untrusted too,
 * and so is one read from a file when the job's files are the pull request's (`PR=$(cat pr/number)`).
 */
function taintAssignment(text: string, variables: Map<string, Problem>, filesUntrusted: boolean): void {
  const assignment = /^\s*(?:export\s+|local\s+|declare\s+(?:-\w+\s+)?)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(text.slice(0, 4000));
  if (!assignment) return;
  const name = assignment[1]!;
  const value = assignment[2]!;
  const read: Problem | undefined =
    attackerReads(value)[0] ?? [...variables].find(([known]) => readsVariable(value, known))?.[1] ?? (filesUntrusted && FROM_FILE.test(value) && !SANITISED.test(value) ? "file" : undefined);
  // Taint sticks: a later safe assignment may sit in another branch of an `if`.
  if (read !== undefined) variables.set(name, read === "file" || read.path.includes("(through") ? read : { ...read, path: `${read.path} (through $${name})` });
}

function attackerReads(text: string): UntrustedRead[] {
  return findExpressions(text).flatMap((span) => untrustedValueReads(span.source).filter((read) => read.kind === "attacker"));
}

/** Which file a script line writes to, if it writes to one. */
function writeTarget(text: string): Target | undefined {
  const line = text.slice(0, 4000);
  for (const target of TARGETS) {
    if (!readsVariable(line, target)) continue;
    if (/>|\btee\b|Out-File|Add-Content|Set-Content/i.test(line)) return target;
  }
  return undefined;
}

/** The lines whose text ends up in the file: the line itself, a heredoc's body, or the `{ … }` group it closes. */
function writtenLines(lines: readonly ScriptLine[], at: number): ScriptLine[] {
  const line = lines[at]!;
  const heredoc = /<<-?\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line.text);
  if (heredoc) {
    const body: ScriptLine[] = [line];
    for (let j = at + 1; j < lines.length && lines[j]!.text.trim() !== heredoc[2]; j++) body.push(lines[j]!);
    return body;
  }
  const closer = line.text.trimStart();
  if (closer.startsWith("}") || closer.startsWith(")") || closer.startsWith("done")) {
    const group: ScriptLine[] = [line];
    for (let j = at - 1; j >= 0 && j >= at - 200; j--) {
      group.push(lines[j]!);
      const opener = lines[j]!.text.trimStart();
      if (opener.startsWith("{") || opener.startsWith("(") || /^(?:for|while|until)\b/.test(opener)) break;
    }
    return group.reverse();
  }
  return [line];
}

type Problem = UntrustedRead | "file";

function untrustedIn(text: string, target: Target, variables: ReadonlyMap<string, Problem>): Problem | undefined {
  const dangerous = (read: Problem) => read === "file" || read.multiline || target === "GITHUB_PATH";
  const direct = attackerReads(text).find(dangerous);
  if (direct) return direct;
  for (const [name, read] of variables) if (dangerous(read) && readsVariable(text, name)) return read;
  return undefined;
}

function finding(step: WorkflowStep, target: Target, content: ScriptLine, problem: Problem): AuditFinding {
  const effect =
    target === "GITHUB_PATH"
      ? "puts a directory of their choosing first on the PATH of every later step"
      : target === "GITHUB_ENV"
        ? "can add a line that sets any environment variable (LD_PRELOAD, NODE_OPTIONS, BASH_ENV) for every later step of the job"
        : "can forge other outputs of this step for the steps and jobs that read them";
  const severity = target === "GITHUB_OUTPUT" ? { severity: "medium" as const } : {};
  if (problem === "file") {
    return {
      line: content.line,
      message: `This writes a value read from a file of the pull request's code or artifacts to $${target}: its author controls that file, and ${effect}.`,
      key: `${step.jobId}:${target}:${content.text.trim()}`,
      confidence: "medium",
      ...severity,
    };
  }
  return {
    line: content.line,
    message: `This writes ${problem.what} (\`${problem.path}\`) to $${target}: ${problem.who} ${effect}.`,
    key: `${step.jobId}:${target}:${problem.path}`,
    ...severity,
  };
}
