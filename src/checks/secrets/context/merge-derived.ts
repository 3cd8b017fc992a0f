/**
 * How the matches on derived lines join those of the file's own lines. One value at one line is
 * one finding: a derived match the plain lines already gave is dropped, and so is a second derived
 * match of the same value. But where both found it, the rule that knows whose credential it is
 * wins: the derived name (`datadog_api_key`) lets a vendor's keyed rule match a value that on its
 * own line (`api_key: …`) only a generic rule could, and the vendor's finding says what to revoke.
 */
import type { CompiledRule } from "../compiled-rule.js";
import type { SecretMatch } from "../scanner.js";

/** Adds `derived` to `plain` (in place), one match per value and line, the more specific rule's kept. */
export function mergeDerivedMatches(plain: SecretMatch[], derived: readonly SecretMatch[]): void {
  const at = new Map<string, number>();
  plain.forEach((match, i) => at.set(keyOf(match), i));
  for (const match of derived) {
    const key = keyOf(match);
    const existing = at.get(key);
    if (existing === undefined) at.set(key, plain.push(match) - 1);
    else if (specificity(match.rule) > specificity(plain[existing]!.rule)) plain[existing] = match;
  }
}

function keyOf(match: SecretMatch): string {
  return `${match.startLine}\0${match.secret}`;
}

/** Higher for rules that say more: confidence first, then a provider's rule over a generic one. */
function specificity(rule: CompiledRule): number {
  const confidence = rule.confidence === "high" ? 4 : rule.confidence === "medium" ? 2 : 0;
  return confidence + (rule.provider === "Generic" ? 0 : 1);
}
