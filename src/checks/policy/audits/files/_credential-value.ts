/**
 * Whether a value in a credential file is a literal credential or only stands where one goes:
 * an environment reference (`${NPM_TOKEN}`, `$TOKEN`, `%TOKEN%`, `<%= ENV["X"] %>`), a template
 * (`{{ .token }}`), an encrypted value (SOPS `ENC[…]`, dotenvx `encrypted:`, Ansible `!vault`), what
 * `kubectl config view` prints instead of data (`REDACTED`, `DATA+OMITTED`), or the words of
 * documentation (the secrets check's placeholder list: `changeme`, `<your-token>`, `xxxxxx`…).
 */
import { isPlaceholder } from "../../../secrets/placeholders.js";

/** References `isPlaceholder` misses; it already knows `${VAR}`, `$VAR`, `%VAR%` and `{{ template }}`. */
const REFERENCE = [
  /^\$\([^)]*\)$/, // $(command)
  /<%[\s\S]*%>/, // ERB
  /^#\{[^}]*\}$/, // #{interpolation}
  /^<[^<>]{1,80}>$/, // <your PyPI token>: a whole value in angle brackets describes what goes there
];

const ENCRYPTED = /^(?:ENC\[|encrypted:|!vault|\$ANSIBLE_VAULT|vault:v\d+:|AgA[A-Za-z0-9+/]{100})/;

/** What tools print where they withhold the data. */
const WITHHELD = /^(?:REDACTED|DATA\+OMITTED|\*+|<redacted>|\[redacted\]|null|nil|none|undefined|~)$/i;

/** Surrounding quotes off; for an unquoted value, a trailing ` # comment` off. */
export function unquote(raw: string): string {
  const value = raw.trim();
  const quote = value[0];
  if ((quote === '"' || quote === "'" || quote === "`") && value.length >= 2) {
    const close = value.indexOf(quote, 1);
    if (close > 0) return value.slice(1, close);
    return value.slice(1);
  }
  const comment = value.search(/\s[#;]/);
  return (comment === -1 ? value : value.slice(0, comment)).trim();
}

/** A value that is a credential in its own right (already unquoted). */
export function isLiteralCredential(value: string): boolean {
  const v = value.trim();
  if (v === "") return false;
  if (WITHHELD.test(v) || ENCRYPTED.test(v)) return false;
  for (const pattern of REFERENCE) if (pattern.test(v)) return false;
  return !isPlaceholder(v);
}
