/**
 * How findings name a step, in messages and in keys. A key must survive the step moving within its
 * job and the file being reformatted, so it uses what the author wrote (`id`, `name`, `uses`), and
 * the position only for an anonymous `run:` step.
 */
import type { WorkflowDocument, WorkflowStep } from "../domains/workflow.js";

export function stepLabel(step: WorkflowStep): string {
  if (step.id?.value) return `step \`${step.id.value}\``;
  if (step.name?.value) return `step "${step.name.value.slice(0, 80)}"`;
  if (step.uses) return `step \`${step.uses.slice(0, 120)}\``;
  return `step ${step.index + 1}`;
}

/** What the author named the step by, or its position when it has no name. */
function stepIdentity(step: WorkflowStep): string {
  return step.id?.value ?? step.name?.value ?? step.uses ?? `#${step.index}`;
}

export function stepKey(step: WorkflowStep): string {
  return `${step.jobId}:${stepIdentity(step)}`;
}

export function jobLabel(jobId: string): string {
  return jobId === "runs" ? "the action" : `job \`${jobId}\``;
}

/**
 * A YAML key path for keys and messages, with step indexes replaced by the step's own name
 * (`jobs.deploy.steps[Write config].env.ALL`), so that reordering steps does not change it.
 */
export function stablePath(doc: WorkflowDocument, path: readonly (string | number)[]): string {
  const steps = path[0] === "jobs" && path[2] === "steps" ? doc.jobs.find((j) => j.id === path[1])?.steps : path[0] === "runs" && path[1] === "steps" ? doc.runs?.steps : undefined;
  // The step whose YAML path starts `path` (a step of a `parallel:` group sits deeper than its index
  // in the flattened list says, so the index alone would name the wrong step).
  const step = steps?.find((s) => s.yamlPath.length <= path.length && s.yamlPath.every((part, i) => part === path[i]));
  if (!step) return path.map(String).join(".");
  const stepsKey = step.yamlPath.slice(0, path[0] === "jobs" ? 2 : 1).map(String);
  return [...stepsKey, `steps[${stepIdentity(step)}]`, ...path.slice(step.yamlPath.length).map(String)].join(".");
}
