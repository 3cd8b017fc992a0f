/** (Issue 13: being built.) */
import type { SecretRule } from "../rule.js";

export const credentialFileRules: readonly SecretRule[] = [];
