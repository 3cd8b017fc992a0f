/**
 * Credentials inside URLs: the `scheme://user:password@host` grammar, and what counts as a real
 * password there. Documentation and compose files are full of `user:password@`, `${DB_PASSWORD}`
 * and `postgres:postgres`; none of them is a leak of a real credential.
 */
import { decodeUriOrKeep } from "../../../core/decode-uri.js";

/** Words people write where a password goes. Compared lowercase, whole value. */
const PLACEHOLDER_WORDS = new Set([
  "password", "passwd", "pass", "pwd", "secret", "changeme", "change_me", "changeit", "pa55word", "p@ssw0rd", "p@ssword",
  "passw0rd", "mypassword", "yourpassword", "your_password", "your-password", "dbpassword", "db_password", "userpassword",
  "example", "sample", "dummy", "test", "testing", "admin", "root", "guest", "default", "none", "null", "xxx", "xxxx",
  "token", "apikey", "api_key", "key", "redacted", "hidden", "mask", "masked",
]);

/**
 * References and templates: `${X}`, `$X`, `$(cmd)`, `%(x)s`, `%env(X)%`, `{{x}}`, `{x}`, `<x>`, `[x]`,
 * `%s`, `*****`, `:x` (named parameters). A leading `$`, `%` or `:` counts only when a name follows
 * and ends the value, a bracket only when it wraps the whole value, `${` and `{{` only when closed:
 * any of these characters anywhere dropped 7.5% of generated passwords with symbols. A printf
 * specifier counts only where one ends, at the end or before a separator (`%s@host`, `pass=%d`,
 * `%s:%s`, `%s_suffix`): inside a random value `%d` is followed by more of the value
 * (`W2srqW8x%dDneYW`, Django's `%s!` or `%d(`, which dropped 1% of Django keys).
 */
const REFERENCE =
  /^(?:\$[A-Za-z_][A-Za-z0-9_]*$|\$\(|%\(?[A-Za-z_][\w.()-]{0,64}\)?[sd%]?$|\{+[^{}]{1,200}\}+$|<[^<>]{1,64}>$|\[[^[\]]{1,64}\]$|:[A-Za-z_][A-Za-z0-9_]*$|\*+$|x+$|\.{3})|\$\{[^}]{0,64}\}|\{\{[^}]{0,64}\}\}|%[sd](?:$|[@:/;,.'"\s&)\]}_-])|\*{3}/i;

/** Six or more of the same character, or of consecutive letters or digits: `aaaaaa`, `123456`, `abcdef`. */
export function hasFillerRun(value: string): boolean {
  let same = 1;
  let up = 1;
  let down = 1;
  const lower = value.toLowerCase();
  for (let i = 1; i < lower.length; i++) {
    const step = lower.charCodeAt(i) - lower.charCodeAt(i - 1);
    const alnum = /[a-z0-9]/.test(lower[i]!) && /[a-z0-9]/.test(lower[i - 1]!);
    same = step === 0 ? same + 1 : 1;
    up = alnum && step === 1 ? up + 1 : 1;
    down = alnum && step === -1 ? down + 1 : 1;
    if (same >= 6 || up >= 6 || down >= 6) return true;
  }
  return false;
}

/** True when `password` (URL-encoded or not) looks like a real one rather than a stand-in. */
export function isRealPassword(encoded: string, user = ""): boolean {
  const password = decodeUriOrKeep(encoded);
  // Shorter values in URLs and connection strings are documentation (`abc:xyz@`, `u:p@`).
  if (password.length < 6) return false;
  if (hasFillerRun(password)) return false;
  if (REFERENCE.test(password)) return false;
  const lower = password.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return false;
  if (user !== "" && lower === user.toLowerCase()) return false;
  if (/^(?:your|my|some|the)[_-]?/i.test(password) && /pass|secret|token|key/i.test(password)) return false;
  // A word naming the field, in letters only: `authpassword`, `redisPassword`, `dbsecret` (READMEs).
  if (/^[A-Za-z]{0,20}(?:password|passwd|secret)$/i.test(password)) return false;
  return true;
}

/** For a `user:password` secret: the password must be real. Anonymous access is public by definition. */
export function hasRealPassword(userAndPassword: string): boolean {
  const colon = userAndPassword.indexOf(":");
  if (colon < 0) return false;
  if (/^anonymous$/i.test(userAndPassword.slice(0, colon))) return false;
  return isRealPassword(userAndPassword.slice(colon + 1), userAndPassword.slice(0, colon));
}

const USER_CHARS = `[^:@/\\s"'<>\`]`;
const PASSWORD_CHARS = `[^@/\\s"'<>\`]`;
const HOST = "[A-Za-z0-9.\\[\\]_%-]{1,255}";
/** Where a host ends: a port, path, query, quote or space; or a `#fragment` with no `@` after it. */
const HOST_END = `(?:[^A-Za-z0-9.\\[\\]_%@#-]|#[^@\\s"'<>\`]{0,256}(?:[\\s"'<>\`]|$)|$)`;

/**
 * `scheme://user:password@host` as people write it, not only as RFC 3986 allows: an e-mail address
 * as the user (`https://jane@acme.com:…@bitbucket.org`) and `@` or `#` left unencoded in the
 * password (`https://jdoe:p@ss#w0rd@git.acme.dev/`), as in hand-written `.git-credentials` lines.
 * The secret group is `user:password`. The password runs to the first `@` after which a whole host
 * follows (a host ends at `:port`, `/`, `?`, a quote or space, never at `@` or `#`), with at most
 * three `@` inside it; every part is bounded and `@`-separated, so matching stays linear.
 */
export function credentialUrlPattern(schemes: string, allowEmptyUser = false): RegExp {
  const user = `${USER_CHARS}{${allowEmptyUser ? 0 : 1},128}(?:@${USER_CHARS}{1,128})?`;
  const password = `${PASSWORD_CHARS}{1,256}(?:@${PASSWORD_CHARS}{1,256}){0,3}?`;
  return new RegExp(`\\b(?:${schemes})://(?<secret>${user}:${password})@${HOST}${HOST_END}`);
}
