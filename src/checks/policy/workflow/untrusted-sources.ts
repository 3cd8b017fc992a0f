/**
 * Where a privileged run (`pull_request_target`, `workflow_run`) takes in files a pull request's
 * author wrote: a checkout of the head (its SHA or branch, the fork's repository,
 * `refs/pull/N/merge`, the triggering run's `head_sha`) or a download of the triggering run's
 * artifacts (built by the pull request's code, so whatever it chose to put in them).
 *
 * Found on the step that names the untrusted source: an `actions/checkout` step (its `uses:` line,
 * through the `ref:`/`repository:` that names the head),
 * a `git fetch`/`git checkout`/`gh pr checkout` script line (directly or through an `env:`
 * variable), `actions/download-artifact` with another run's `run-id`, `dawidd6/action-download-artifact`,
 * a github-script calling `downloadArtifact`, or `gh run download`. Known limit: a SHA or run id
 * fetched through the API into a step output is not followed.
 */
import type { WorkflowDocument, WorkflowJob, WorkflowStep, WorkflowText } from "../domains/workflow.js";
import { analyzeExpression, findExpressions } from "./expressions.js";
import { readsVariable, scriptLines, stepEnv, usesAction } from "./steps.js";

/** Context paths that name the pull request's code rather than the base's. */
const HEAD_CONTEXTS = new Set([
  "github.event.pull_request.head.sha",
  "github.event.pull_request.head.ref",
  "github.event.pull_request.merge_commit_sha",
  "github.head_ref",
  "github.event.workflow_run.head_sha",
  "github.event.workflow_run.head_branch",
  "github.event.workflow_run.head_commit.id",
  "github.event.workflow_run.pull_requests.*.head.sha",
  "github.event.workflow_run.pull_requests.*.head.ref",
]);
const FORK_REPOSITORIES = new Set(["github.event.pull_request.head.repo.full_name", "github.event.workflow_run.head_repository.full_name"]);
/** A pull request number, which names its code inside `refs/pull/<n>/head|merge`. */
const PR_NUMBERS = new Set(["github.event.pull_request.number", "github.event.number", "github.event.workflow_run.pull_requests.*.number"]);

const GIT_COMMAND = /\b(?:git\s+(?:-C\s+\S+\s+)?(?:fetch|checkout|switch|pull|clone|reset|merge|worktree\s+add)|gh\s+pr\s+checkout|gh\s+repo\s+clone)\b/;

export interface UntrustedSource {
  /** For a checkout action, its `uses:` line (`endLine` is the input that names the head). */
  readonly line: number;
  readonly endLine?: number;
  /** What names the source, for messages and keys: `ref: ${{ github.event.pull_request.head.sha }}`. */
  readonly what: string;
}

/** The lines of a step that check out the pull request's code. */
export function headCheckouts(doc: WorkflowDocument, job: WorkflowJob | undefined, step: WorkflowStep): UntrustedSource[] {
  const sites: UntrustedSource[] = [];
  if (usesAction(step, "actions/checkout")) {
    // One site per step, from its `uses:` line to the last input that names the head.
    const inputs = ["repository", "ref"].flatMap((input) => {
      const value = step.with.get(input);
      return value && namesHead(value.value, input === "repository") ? [{ input, value }] : [];
    });
    const last = inputs.at(-1);
    if (!last) return sites;
    const what = inputs.map(({ input, value }) => `${input}: ${compact(value.value)}`).join(", ");
    sites.push({ line: step.usesLine ?? step.line, endLine: Math.max(...inputs.map(({ value }) => value.line)), what });
    return sites;
  }
  if (!step.run) return sites;
  const headVariables = [...stepEnv(doc, job, step)].filter(([, value]) => namesHead(value.value, false)).map(([name]) => name);
  headVariables.push("GITHUB_HEAD_REF");
  for (const line of scriptLines(step.run)) {
    const text = line.text.slice(0, 4000);
    if (text.trimStart().startsWith("#") || !GIT_COMMAND.test(text)) continue;
    const direct = namesHead(text, false) || /\bgh\s+pr\s+checkout\b/.test(text);
    if (direct || headVariables.some((name) => readsVariable(text, name))) sites.push({ line: line.line, what: compact(text) });
  }
  return sites;
}

/** Whether a text's expressions name the head: a head context, a fork repository, or `pull/<number>/…`. */
function namesHead(text: string, repository: boolean): boolean {
  for (const span of findExpressions(text)) {
    for (const read of analyzeExpression(span.source).reads) {
      if (!read.reachesValue) continue;
      if (HEAD_CONTEXTS.has(read.path) || FORK_REPOSITORIES.has(read.path)) return true;
      if (!repository && PR_NUMBERS.has(read.path) && /pull\/\$\{\{/.test(text)) return true;
    }
  }
  // `refs/pull/$PR/merge` with the number in a shell variable.
  return !repository && /\bpull\/\$\{?[A-Za-z_]/.test(text);
}

export interface ArtifactDownload extends UntrustedSource {
  /** The directory the files land in: relative to the workspace, or as written when outside it; undefined for the workspace itself. */
  readonly dir?: string;
  /** Whether they land outside the workspace (`${{ runner.temp }}`, `/tmp`, …). */
  readonly outsideWorkspace: boolean;
}

/** The step's download of another run's artifacts (the triggering run's, in a `workflow_run`), if it makes one. */
export function runArtifactDownload(step: WorkflowStep): ArtifactDownload | undefined {
  if (usesAction(step, "actions/download-artifact")) {
    const runId = step.with.get("run-id");
    if (!runId || /^\s*\$\{\{\s*github\.run_id\s*\}\}\s*$/i.test(runId.value)) return undefined;
    return download(step, `actions/download-artifact with run-id: ${compact(runId.value)}`, step.with.get("path"));
  }
  if (usesAction(step, "dawidd6/action-download-artifact")) return download(step, "dawidd6/action-download-artifact", step.with.get("path"));
  const script = usesAction(step, "actions/github-script") ? step.with.get("script") : undefined;
  if (script && /\bdownloadArtifact\s*\(/.test(script.value)) {
    const at = script.value.search(/\bdownloadArtifact\s*\(/);
    // The script writes the zip where it likes; a later `unzip` puts it in the workspace in practice.
    return { line: script.lineAt(at), what: "a github-script calling downloadArtifact", outsideWorkspace: false };
  }
  if (!step.run) return undefined;
  const lines = scriptLines(step.run);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const first = line.text.slice(0, 4000);
    if (first.trimStart().startsWith("#") || !/\bgh\s+run\s+download\b/.test(first)) continue;
    // The command with its `\`-continued lines, where `--dir` often sits.
    let command = first;
    for (let j = i; j < lines.length - 1 && j < i + 50 && lines[j]!.text.trimEnd().endsWith("\\"); j++) command += ` ${lines[j + 1]!.text.slice(0, 4000)}`;
    const dir = /(?:\s-D|\s--dir)(?:\s+|=)("[^"]*"|'[^']*'|\S+)/.exec(command)?.[1]?.replace(/^["']|["']$/g, "");
    return { line: line.line, what: compact(first.replace(/\\\s*$/, "")), ...placement(dir) };
  }
  return undefined;
}

function download(step: WorkflowStep, what: string, path: WorkflowText | undefined): ArtifactDownload {
  return { line: step.usesLine ?? step.line, what, ...placement(path?.value) };
}

function placement(path: string | undefined): Pick<ArtifactDownload, "dir" | "outsideWorkspace"> {
  if (path === undefined) return { outsideWorkspace: false };
  if (outside(path)) return { dir: path, outsideWorkspace: true };
  const relative = path
    .trim()
    .replace(/^\$\{\{\s*github\.workspace\s*\}\}\/?|^\$\{?GITHUB_WORKSPACE\}?\/?/i, "")
    .replace(/^\.\/?/, "")
    .replace(/\/+$/, "");
  return relative === "" ? { outsideWorkspace: false } : { dir: relative, outsideWorkspace: false };
}

/** Whether a download path is outside the workspace (absolute and not under it, the runner's temp, home, or `..`). */
function outside(path: string): boolean {
  const p = path.trim().replace(/\s+/g, "").toLowerCase();
  if (/github\.workspace|github_workspace/.test(p)) return false;
  return /runner\.temp|runner_temp|^\/|^~|^\$home|^\.\.(?:\/|$)/.test(p);
}

function compact(text: string): string {
  const one = text.trim().replace(/\s+/g, " ");
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}
