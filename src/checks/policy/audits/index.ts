/**
 * The explicit registry of policy audits, one list per domain. Adding an audit: its file under
 * audits/<domain>/ (id equal to the file name), one line in that domain's index.ts; the conventions
 * test checks the rest.
 */
import type { Audit } from "../audit.js";
import { dockerfileAudits } from "./dockerfile/index.js";
import { fileAudits } from "./files/index.js";
import { kubernetesAudits } from "./kubernetes/index.js";
import { terraformAudits } from "./terraform/index.js";
import { workflowAudits } from "./workflows/index.js";

export const AUDIT_FOLDERS = { workflow: "workflows", dockerfile: "dockerfile", kubernetes: "kubernetes", terraform: "terraform", file: "files" } as const;

export const POLICY_AUDITS: readonly Audit[] = [...workflowAudits, ...dockerfileAudits, ...kubernetesAudits, ...terraformAudits, ...fileAudits];
