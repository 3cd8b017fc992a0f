/**
 * What the policy domains' tests share: a domain's audits run on a parsed document, each finding
 * with the severity and confidence it ends up with (the audit's own unless the finding overrides
 * them), and the PolicyParseError a file that does not parse must raise.
 */
import { expect } from "vitest";
import { PolicyParseError, type Audit } from "../../../src/checks/policy/audit.js";
import type { PolicyOptions } from "../../../src/checks/policy/options.js";

export interface Reported {
  readonly audit: string;
  readonly line: number;
  readonly severity: string;
  readonly confidence: string;
  readonly key: string | undefined;
  readonly message: string;
}

/** The findings of `audits` (only the one with id `only`, when given) on `doc`. */
export function reportsOf<Doc>(audits: readonly Audit<Doc>[], doc: Doc, options: PolicyOptions, only?: string): Reported[] {
  return audits
    .filter((a) => only === undefined || a.id === only)
    .flatMap((a) =>
      a.run(doc, { options }).map((f) => ({
        audit: a.id,
        line: f.line,
        severity: f.severity ?? a.severity,
        confidence: f.confidence ?? a.confidence,
        key: f.key,
        message: f.message,
      })),
    );
}

/** The PolicyParseError `run` throws; fails the test when it throws nothing or something else. */
export function policyParseErrorOf(run: () => unknown): PolicyParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyParseError);
    return error as PolicyParseError;
  }
  throw new Error("expected a PolicyParseError");
}
