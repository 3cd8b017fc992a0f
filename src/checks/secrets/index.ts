/**
 * The secrets check over the built-in rule table. See docs/checks/secrets.md.
 */
import { createSecretsCheck } from "./check.js";
import { secretRules } from "./rules/index.js";

export const secretsCheck = createSecretsCheck(secretRules);

export { createSecretsCheck, CUSTOM_RULE_META } from "./check.js";
export { CUSTOM_RULE_PREFIX } from "./custom-rules.js";
export { secretsOptionsSchema, type SecretsOptions } from "./options.js";
export { isPlaceholder, looksLikeNonSecret } from "./placeholders.js";
export { shannonEntropy } from "./entropy.js";
export { decodeJwt, describeJwt, type JwtSummary } from "./jwt.js";
export * from "./verify/index.js";
