/**
 * What the workflow audits ask of steps and scripts, in one place: which action a step uses, the
 * lines of a `run:` script with their file lines, the environment a step sees, which triggers run
 * with the base repository's secrets, and what an `if:` gate does (or does not) guarantee.
 *
 * Scripts are read line by line with plain string code (no shell parser): good enough for the
 * one-line idioms these audits look for (`>> "$GITHUB_ENV"`, `git fetch origin pull/N/head`), and
 * linear on hostile input.
 */
import type { WorkflowDocument, WorkflowJob, WorkflowStep, WorkflowText } from "../domains/workflow.js";
import { parseUses, usesTarget } from "./uses-ref.js";

/** `owner/repo` (or `owner/repo/path`) of a `uses:`, lower-case and without the ref; undefined for local and `docker://` actions. */
export function actionName(uses: string | undefined): string | undefined {
  if (uses === undefined) return undefined;
  const ref = parseUses(uses);
  return ref.kind === "repository" ? usesTarget(ref).toLowerCase() : undefined;
}

export function usesAction(step: WorkflowStep, name: string): boolean {
  return actionName(step.uses) === name;
}

export interface ScriptLine {
  readonly text: string;
  /** Offset of the line's first character in the script. */
  readonly offset: number;
  /** File line. */
  readonly line: number;
}

export function scriptLines(script: WorkflowText): ScriptLine[] {
  const out: ScriptLine[] = [];
  let offset = 0;
  for (const text of script.value.split("\n")) {
    // The line's first visible character: its indentation inside the script is not in the file's alignment.
    const indent = text.length - text.trimStart().length;
    out.push({ text, offset, line: script.lineAt(offset + indent) });
    offset += text.length + 1;
  }
  return out;
}

/** The environment a step sees from the workflow: workflow, then job, then step `env:` (the later wins). */
export function stepEnv(doc: WorkflowDocument, job: WorkflowJob | undefined, step: WorkflowStep): Map<string, WorkflowText> {
  return new Map([...doc.env, ...(job?.env ?? []), ...step.env]);
}

/** Whether a shell line reads variable `name` (`$NAME`, `${NAME}`, `$env:NAME`, `%NAME%`). */
export function readsVariable(line: string, name: string): boolean {
  let from = 0;
  for (;;) {
    const at = line.indexOf(name, from);
    if (at < 0) return false;
    const after = line.charCodeAt(at + name.length);
    const endsWord = Number.isNaN(after) || !isWordChar(after);
    const before = line.slice(Math.max(0, at - 5), at);
    if (endsWord && (before.endsWith("$") || before.endsWith("${") || before.endsWith("$env:") || (before.endsWith("%") && line[at + name.length] === "%"))) return true;
    from = at + name.length;
  }
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Triggers whose runs get the base repository's token and secrets while reacting to someone else's pull request. */
export const PRIVILEGED_PR_TRIGGERS = ["pull_request_target", "workflow_run"] as const;

export function hasTrigger(doc: WorkflowDocument, ...events: readonly string[]): boolean {
  return doc.triggers.some((t) => events.includes(t.event));
}

/** The `if:` texts guarding a step: its job's and its own. */
export function gates(job: WorkflowJob | undefined, step?: WorkflowStep): WorkflowText[] {
  return [job?.if, step?.if].filter((g): g is WorkflowText => g !== undefined);
}

function compact(text: string): string {
  return text.replace(/\s+/g, "").replace(/\$\{\{|\}\}/g, "").replace(/"/g, "'").toLowerCase();
}

/**
 * Whether a gate admits only changes from people who can push here anyway: pull requests from
 * branches of this repository (`head.repo.full_name == github.repository`, `head.repo.fork ==
 * false`, `!…head.repo.fork`) or `workflow_run`s of a push (`workflow_run.event == 'push'`),
 * joined by `&&` only (an `||` could let a fork through).
 */
export function sameRepositoryOnly(gate: WorkflowText | undefined): boolean {
  if (!gate) return false;
  const c = compact(gate.value);
  if (c.includes("||")) return false;
  return (
    /(?:pull_request|workflow_run)\.head(?:\.repo|_repository)\.full_name==github\.repository(?![a-z_.])/.test(c) ||
    /github\.repository==github\.event\.(?:pull_request\.head\.repo|workflow_run\.head_repository)\.full_name(?![a-z_.])/.test(c) ||
    /(?:pull_request\.head\.repo|workflow_run\.head_repository)\.fork==false/.test(c) ||
    /false==github\.event\.(?:pull_request\.head\.repo|workflow_run\.head_repository)\.fork/.test(c) ||
    /!github\.event\.(?:pull_request\.head\.repo|workflow_run\.head_repository)\.fork(?![a-z_.])/.test(c) ||
    /github\.event\.workflow_run\.event=='(?:push|schedule|release|workflow_dispatch)'/.test(c)
  );
}

/** Why a gate someone may have meant as protection is not one; undefined when there is none. */
export function falseProtection(gateTexts: readonly WorkflowText[]): string | undefined {
  for (const gate of gateTexts) {
    const c = compact(gate.value);
    if (c.includes(".labels")) return "The label condition does not make it safe: the label is put on a pull request whose code can still change after it was labelled (a push after the label runs the new code).";
    if (/github\.(?:actor|triggering_actor)|\.user\.login|sender\.login/.test(c)) {
      return "The actor condition does not make it safe: `github.actor` is whoever caused the latest event (a fork can get a bot such as Dependabot to be the actor, or push after an approved actor's run).";
    }
  }
  return undefined;
}
