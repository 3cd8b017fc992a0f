/**
 * Every `uses:` of a document, with the job it belongs to and the YAML path of its value: steps of
 * workflow jobs, reusable-workflow jobs (`jobs.<id>.uses`) and a composite action's steps.
 */
import { isScalar } from "yaml";
import { lineOfNode } from "../../../core/yaml.js";
import type { WorkflowDocument } from "../domains/workflow.js";
import { nodeAt } from "./scalar-expressions.js";
import { parseUses, type UsesRef } from "./uses-ref.js";

export interface UsesSite {
  /** The job's id, `runs` for an action's steps. */
  readonly jobId: string;
  /** The value as written (trimmed). */
  readonly uses: string;
  readonly ref: UsesRef;
  readonly line: number;
  /** A job that calls a reusable workflow, rather than a step. */
  readonly isJob: boolean;
  readonly yamlPath: readonly (string | number)[];
}

export function usesSites(doc: WorkflowDocument): UsesSite[] {
  const sites: UsesSite[] = [];
  const add = (jobId: string, uses: string | undefined, line: number | undefined, isJob: boolean, yamlPath: readonly (string | number)[]) => {
    if (uses === undefined || line === undefined) return;
    const trimmed = uses.trim();
    sites.push({ jobId, uses: trimmed, ref: parseUses(trimmed), line, isJob, yamlPath: [...yamlPath, "uses"] });
  };
  for (const job of doc.jobs) {
    add(job.id, job.uses, job.usesLine, true, job.yamlPath);
    for (const step of job.steps) add(job.id, step.uses, step.usesLine, false, step.yamlPath);
  }
  for (const step of doc.runs?.steps ?? []) add("runs", step.uses, step.usesLine, false, step.yamlPath);
  return sites;
}

/** The comment after a `uses:` value (`# v4.1.1`), from the YAML node or, failing that, the line's text. */
export function trailingComment(doc: WorkflowDocument, site: Pick<UsesSite, "uses" | "line" | "yamlPath">): string | undefined {
  const node = nodeAt(doc, site.yamlPath);
  if (isScalar(node) && typeof node.comment === "string" && node.comment.trim() !== "") {
    // The parser attaches comments from the lines below the value too; only the first line sits beside it.
    const valueLine = lineOfNode(doc.yaml, node) ?? site.line;
    const text = doc.lines[valueLine - 1] ?? "";
    if (text.includes("#")) return node.comment.split("\n")[0];
  }
  const text = doc.lines[site.line - 1] ?? "";
  const at = text.indexOf(site.uses);
  const rest = at < 0 ? "" : text.slice(at + site.uses.length);
  const hash = rest.indexOf("#");
  return hash < 0 ? undefined : rest.slice(hash + 1);
}
