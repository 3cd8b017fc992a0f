/**
 * The explicit registry of policy domains: which files the policy check reads and how it parses
 * them. Adding a domain: its module here and its audits folder under audits/ (listed in
 * audits/index.ts).
 */
import type { PolicyDomain } from "../audit.js";
import { dockerfileDomain } from "./dockerfile.js";
import { fileDomain } from "./file.js";
import { kubernetesDomain } from "./kubernetes.js";
import { terraformDomain } from "./terraform.js";
import { workflowDomain } from "./workflow.js";

export const POLICY_DOMAINS: readonly PolicyDomain[] = [workflowDomain, dockerfileDomain, kubernetesDomain, terraformDomain, fileDomain];
