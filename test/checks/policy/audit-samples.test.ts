/**
 * Every audit's own samples, run through the real engine with the shared rule tester: valid samples
 * give no finding of the audit, invalid ones exactly their lines.
 */
import { policyCheck } from "../../../src/checks/policy/index.js";
import { POLICY_AUDITS } from "../../../src/checks/policy/audits/index.js";
import type { PolicyDomainId } from "../../../src/checks/policy/audit.js";
import { testRules } from "../../helpers/rule-tester.js";

/** Where a sample without a path lives: each domain's usual file. */
export const DEFAULT_SAMPLE_PATH: Record<PolicyDomainId, string> = {
  workflow: ".github/workflows/ci.yml",
  dockerfile: "Dockerfile",
  kubernetes: "deploy/app.yaml",
  terraform: "main.tf",
  file: "added-file",
};

testRules(
  policyCheck,
  POLICY_AUDITS.map((audit) => ({
    ruleId: audit.id,
    valid: audit.samples.valid.map((s) => ({ path: s.path ?? DEFAULT_SAMPLE_PATH[audit.domain], text: s.text, options: s.options, name: s.note })),
    invalid: audit.samples.invalid.map((s) => ({ path: s.path ?? DEFAULT_SAMPLE_PATH[audit.domain], text: s.text, lines: s.lines, options: s.options, name: s.note })),
  })),
);
