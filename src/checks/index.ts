/**
 * The explicit registry of built-in checks. Adding a check: its folder under src/checks/, one line
 * here, its docs page under docs/checks/ (the conventions test enforces all three).
 */
import type { Check } from "../core/types.js";
import { dependenciesCheck } from "./dependencies/index.js";
import { policyCheck } from "./policy/index.js";
import { secretsCheck } from "./secrets/index.js";

export const builtinChecks: readonly Check[] = [secretsCheck, dependenciesCheck, policyCheck];
