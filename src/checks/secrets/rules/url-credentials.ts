/**
 * What counts as a real password inside a URL or connection string. Documentation and compose
 * files are full of `user:password@`, `${DB_PASSWORD}` and `postgres:postgres`; none of them is a
 * leak of a real credential.
 */

/** Words people write where a password goes. Compared lowercase, whole value. */
const PLACEHOLDER_WORDS = new Set([
  "password", "passwd", "pass", "pwd", "secret", "changeme", "change_me", "changeit", "pa55word", "p@ssw0rd", "p@ssword",
  "passw0rd", "mypassword", "yourpassword", "your_password", "your-password", "dbpassword", "db_password", "userpassword",
  "example", "sample", "dummy", "test", "testing", "admin", "root", "guest", "default", "none", "null", "xxx", "xxxx",
  "token", "apikey", "api_key", "key", "redacted", "hidden", "mask", "masked",
]);

/** References and templates: `${X}`, `$X`, `%(x)s`, `{{x}}`, `<x>`, `[x]`, `%s`, `*****`, `:x` (named parameters). */
const REFERENCE = /^(?:\$|%|\{|<|\[|:|\*+$|x+$|\.{3})|\$\{|\{\{|%[sd]|\*{3}/i;

/** True when `password` (already URL-decoded or not) looks like a real one rather than a stand-in. */
export function isRealPassword(password: string, user = ""): boolean {
  if (password.length < 3) return false;
  if (REFERENCE.test(password)) return false;
  const lower = password.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return false;
  if (user !== "" && lower === user.toLowerCase()) return false;
  if (/^(?:your|my|some|the)[_-]?/i.test(password) && /pass|secret|token|key/i.test(password)) return false;
  return true;
}

/** For a `user:password` secret: the password must be real. */
export function hasRealPassword(userAndPassword: string): boolean {
  const colon = userAndPassword.indexOf(":");
  if (colon < 0) return false;
  return isRealPassword(userAndPassword.slice(colon + 1), userAndPassword.slice(0, colon));
}
