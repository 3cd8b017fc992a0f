/**
 * What counts as a real password inside a URL or connection string. Documentation and compose
 * files are full of `user:password@`, `${DB_PASSWORD}` and `postgres:postgres`; none of them is a
 * leak of a real credential.
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
 * specifier counts only where one ends (`%s@host`, `pass=%d`): inside a random value `%d` is
 * followed by more of the value (`W2srqW8x%dDneYW`).
 */
const REFERENCE =
  /^(?:\$[A-Za-z_][A-Za-z0-9_]*$|\$\(|%\(?[A-Za-z_][\w.()-]{0,64}\)?[sd%]?$|\{+[^{}]{1,200}\}+$|<[^<>]{1,64}>$|\[[^[\]]{1,64}\]$|:[A-Za-z_][A-Za-z0-9_]*$|\*+$|x+$|\.{3})|\$\{[^}]{0,64}\}|\{\{[^}]{0,64}\}\}|%[sd](?![A-Za-z0-9])|\*{3}/i;

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
  return true;
}

/** For a `user:password` secret: the password must be real. Anonymous access is public by definition. */
export function hasRealPassword(userAndPassword: string): boolean {
  const colon = userAndPassword.indexOf(":");
  if (colon < 0) return false;
  if (/^anonymous$/i.test(userAndPassword.slice(0, colon))) return false;
  return isRealPassword(userAndPassword.slice(colon + 1), userAndPassword.slice(0, colon));
}
