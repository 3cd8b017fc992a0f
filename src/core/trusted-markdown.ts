/**
 * Two kinds of text reach a review comment, and they must never be mixed up:
 *   - untrusted text: anything from the pull request, the repository, a registry or an advisory
 *     (paths, messages quoting package names, evidence). A plain `string`; reporters always
 *     escape it, so it can neither inject Markdown nor mention people.
 *   - trusted Markdown: words this product's own source code wrote (a rule's risk sentence, its
 *     fix step with the provider's revocation URL, documentation links). A `TrustedMarkdown`; it
 *     renders as written, so its links are clickable.
 * `TrustedMarkdown` is an object, not a string, so it cannot be passed to an escaping function by
 * mistake, and a `string` cannot be passed where trusted Markdown is expected.
 *
 * Only static metadata (rule and check definitions, evaluated when their module loads, before any
 * input exists) may call `trustedMarkdown`; a test walks every built-in rule to keep it so.
 */
declare const trustedBrand: unique symbol;

export interface TrustedMarkdown {
  readonly markdown: string;
  readonly [trustedBrand]: true;
}

export function trustedMarkdown(markdown: string): TrustedMarkdown {
  return Object.freeze({ markdown }) as TrustedMarkdown;
}

export function isTrustedMarkdown(value: unknown): value is TrustedMarkdown {
  return typeof value === "object" && value !== null && typeof (value as { markdown?: unknown }).markdown === "string" && Object.isFrozen(value);
}
