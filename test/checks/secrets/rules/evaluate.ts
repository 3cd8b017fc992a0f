/**
 * Runs one rule over a text the way rule.ts describes, without the scanner's shared placeholder
 * list: pattern, named `secret` group, the rule's own `allow`, `minEntropy`, `validate`. Rules are
 * tested on what they decide themselves.
 */
import type { SecretRule } from "../../../../src/checks/secrets/rule.js";

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function globalOf(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, "") + "g");
}

/** Every candidate the pattern yields, before any filter. */
export function candidates(rule: SecretRule, text: string): string[] {
  const out: string[] = [];
  const re = globalOf(rule.pattern);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push(m.groups?.secret ?? m[0]);
  }
  return out;
}

/** Why a candidate is dropped, or undefined when the rule reports it. */
export function rejection(rule: SecretRule, secret: string): string | undefined {
  if (rule.allow?.some((example) => secret.includes(example))) return "allow";
  if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) return "entropy";
  if (rule.validate) {
    try {
      if (!rule.validate(secret)) return "validate";
    } catch {
      return "validate threw";
    }
  }
  return undefined;
}

/** The secrets this rule reports in `text`. */
export function findings(rule: SecretRule, text: string): string[] {
  return candidates(rule, text).filter((secret) => rejection(rule, secret) === undefined);
}
