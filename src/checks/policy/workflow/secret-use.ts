/**
 * Which secrets a job can reach: `secrets.NAME` read in any of its values, the workflow's `env`
 * (inherited by every job), and `secrets: inherit` to a reusable workflow. `GITHUB_TOKEN` is not a
 * stored secret (it is the job's own token, whose permissions are the point of the audits that ask),
 * so it does not count. Reads are found by GitHub's expression parser (workflow/expressions.ts), so
 * `secrets.X` inside a string literal or a comment is not a use.
 */
import type { WorkflowDocument, WorkflowJob } from "../domains/workflow.js";
import { analyzeExpression } from "./expressions.js";
import { expressionsUnder, type LocatedExpression } from "./scalar-expressions.js";

export interface SecretRead {
  /** Lower-case name; `*` for a computed index (`secrets[matrix.name]`); `undefined` for the whole context. */
  readonly name?: string;
  readonly line: number;
  /** Whether the secret can become part of the value (not only a condition's operand). */
  readonly reachesValue: boolean;
  readonly path: readonly (string | number)[];
}

export function secretReads(expressions: readonly LocatedExpression[]): SecretRead[] {
  const out: SecretRead[] = [];
  for (const expression of expressions) {
    if (!/secrets/i.test(expression.source)) continue;
    for (const read of analyzeExpression(expression.source).reads) {
      if (read.segments[0] !== "secrets") continue;
      out.push({ ...(read.segments[1] !== undefined ? { name: read.segments[1] } : {}), line: expression.line, reachesValue: read.reachesValue, path: expression.path });
    }
  }
  return out;
}

export interface JobSecretUse {
  /** Stored secrets the job reads (not `GITHUB_TOKEN`), with the line of the first read. */
  readonly reads: readonly SecretRead[];
  readonly inherits: boolean;
  readonly fromWorkflowEnv: boolean;
}

/** Whether the document mentions the `secrets` context at all: most do not, and then nothing needs walking. */
export function mentionsSecrets(doc: WorkflowDocument): boolean {
  return doc.lines.some((line) => /secrets/i.test(line));
}

export function jobSecretUse(doc: WorkflowDocument, job: WorkflowJob, workflowEnvReads: readonly SecretRead[] = workflowEnvSecretReads(doc)): JobSecretUse {
  const reads = secretReads(expressionsUnder(doc, job.yamlPath, "secrets")).filter(isStoredSecret);
  return { reads, inherits: job.secrets?.inherit === true, fromWorkflowEnv: workflowEnvReads.length > 0 };
}

export function workflowEnvSecretReads(doc: WorkflowDocument): SecretRead[] {
  return secretReads(expressionsUnder(doc, ["env"], "secrets")).filter(isStoredSecret);
}

export function usesSecrets(use: JobSecretUse): boolean {
  return use.reads.length > 0 || use.inherits || use.fromWorkflowEnv;
}

function isStoredSecret(read: SecretRead): boolean {
  return read.name !== "github_token";
}
