/**
 * All built-in secret rules. Specific (provider) rules come first and generic ones last: the
 * scanner keeps the first rule that claims a value, so a vendor rule wins over a generic one.
 */
import type { SecretRule } from "../rule.js";
import { genericRules } from "./generic.js";
import { ruleFamilies, specificRules } from "./specific.js";

export const secretRules: readonly SecretRule[] = [...specificRules, ...genericRules];

/** Rule lists by family (file) name, generic included. */
export const secretRuleFamilies: Readonly<Record<string, readonly SecretRule[]>> = { ...ruleFamilies, generic: genericRules };

export type { SecretRule } from "../rule.js";
