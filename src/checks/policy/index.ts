import { createPolicyCheck } from "./check.js";
import { POLICY_AUDITS } from "./audits/index.js";
import { POLICY_DOMAINS } from "./domains/index.js";

export const policyCheck = createPolicyCheck(POLICY_DOMAINS, POLICY_AUDITS);
