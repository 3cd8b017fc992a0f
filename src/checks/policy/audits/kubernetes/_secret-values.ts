/**
 * What a Secret's entry holds, judged by its key and its value: a credential, or one of the many
 * things that sit in Secrets without being one (placeholders filled in at deploy time, references
 * to a secret store, connection facts, flags, public certificates, whole config files that may or
 * may not set a password). Shared placeholder words come from the secrets check; what is added here
 * is what Kubernetes tooling writes: `$(VAR)` (kubectl and Kustomize), `<path:…#key>` (Argo CD
 * Vault plugin), `ENC[…]` (SOPS), `vault:` and `ref+…://` (bank-vaults, vals), `#{VAR}#` and
 * `__VAR__` (release token replacement).
 *
 * Every pattern is linear: values can be megabytes of base64.
 */
import { isPlaceholder as isSharedPlaceholder } from "../../../secrets/placeholders.js";

const DEPLOY_TIME_REFERENCE =
  /^(?:\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|#\{[^}]*\}#?|__[A-Za-z0-9_]+__|<[^>]*>|ENC\[.*\]|(?:ref\+)?vault:.*|ref\+[a-z0-9]+:\/\/.*)$/;
const FILLER = /^(?:x+|\*+|\.+|-+|0+|\?+)$/i;
const SPELLED_OUT = /^(?:changeit|changethis|replace|placeholder|none|null|nil|empty|undefined|tbd|password|passwd|secret)$/i;
/** Words and spaces only: `the secret password`, `A key`, `access token goes here`. */
const PROSE = /^[A-Za-z]+(?: [A-Za-z]+)+$/;
/** A setting, not a credential: a flag, a number, a date, a host name with an optional path. */
const PLAIN_SETTING =
  /^(?:true|false|yes|no|on|off|-?\d+(?:\.\d+)?|\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:\/[A-Za-z0-9._/-]*)?)$/i;
/** `git@github.com:org/repo`: a Git remote in scp syntax names a user, never a password. */
const SCP_GIT_URL = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._/~-]*$/;
const URL_SHAPE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const SECRET_PARAMETER = /token|key|secret|sig|password|pwd|auth/i;
const PASSWORD_HASH = /^\$(?:2[abxy]?|5|6|y|7|argon2(?:id|i|d)|pbkdf2[-\w]*|scrypt)\$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The last word of a key naming a connection fact or a public part (`username`, `apiAddress`, `tls.crt`). */
const NOT_SECRET_WORD =
  /^(?:.*user|.*username|usr|.*name|.*host|.*hostname|port|.*address|addr|.*endpoint|region|.*namespace|database|db|dbname|.*email|mail|id|.*project|type|crt|cert|certificate|ca|pub|.*mtime)$/;
/** `username_in`, `password2`: the qualifier is not what the key names. */
const TRAILING_QUALIFIER = /^(?:in|out|\d+)$/;
const CREDENTIAL_WORDS = new Set(["password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "apikey", "credentials", "credential", "key", "auth", "private"]);
const CREDENTIAL_LAST_WORD = new Set(["password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "apikey", "credentials"]);
const CREDENTIAL_LAST_PAIR = new Set(["api key", "access key", "private key", "secret key", "auth key", "signing key", "master key", "client secret", "auth token"]);

const CONFIG_FILE_NAME = /\.(?:ya?ml|json|ini|conf|cfg|toml|properties|xml|env|tpl|tmpl|txt|js|lua|py|sh)$/i;
const CONFIG_ASSIGNMENT = /^\s*["']?([A-Za-z0-9_.-]{1,100})["']?\s*[:=]\s*(.*)$/;

export function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
}

/** False for keys that name something other than a credential: `username`, `db-host`, `ca.crt`, `auth.username_in`. */
export function mayHoldCredential(key: string): boolean {
  const words = wordsOf(key);
  while (words.length > 1 && TRAILING_QUALIFIER.test(words[words.length - 1]!)) words.pop();
  const last = words[words.length - 1];
  return last === undefined || !NOT_SECRET_WORD.test(last);
}

/** The key says credential (`password`, `tls.key`, `apiToken`), so even a short value counts. */
export function namesCredential(key: string): boolean {
  return wordsOf(key).some((w) => CREDENTIAL_WORDS.has(w)) || /dockerc(?:onfig|fg)/i.test(key);
}

/** A `key: value` line inside a config file whose key is a credential's (`admin_password`, `clientSecret`). */
function isCredentialSetting(key: string): boolean {
  const words = wordsOf(key);
  const last = words[words.length - 1] ?? "";
  return CREDENTIAL_LAST_WORD.has(last) || CREDENTIAL_LAST_PAIR.has(words.slice(-2).join(" ")) || words.slice(-3).join(" ") === "client key data";
}

/** Strict base64 (what the API server accepts in `data`), decoded; undefined when it is not. */
export function decodeBase64(raw: string): string | undefined {
  const compact = raw.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, "base64").toString("utf8");
}

/** Filled in at deploy time (a reference, a template) whatever else the value is. */
export function isDeployTimeReference(value: string): boolean {
  const text = value.trim();
  return text.includes("{{") || DEPLOY_TIME_REFERENCE.test(text);
}

/** No credential: empty, a reference, a documentation word, a mask, prose, or the key's own name spelled out. */
export function isPlaceholder(value: string, key = ""): boolean {
  const text = (pemBody(value.trim()) ?? value.trim()).trim();
  if (text === "" || isDeployTimeReference(text) || FILLER.test(text) || SPELLED_OUT.test(text) || PROSE.test(text)) return true;
  if (describesKey(text, key)) return true;
  return isSharedPlaceholder(text);
}

/** `my-service-principal-client-secret` for `ClientSecret`: the value only says what goes there. */
function describesKey(value: string, key: string): boolean {
  if (!/^[A-Za-z0-9 _.-]+$/.test(value)) return false;
  const words = wordsOf(key).filter((w) => w.length >= 3);
  const lower = value.toLowerCase();
  return words.length > 0 && words.every((w) => lower.includes(w));
}

/** What sits between a PEM block's BEGIN and END lines (`...` in documentation), or undefined. */
function pemBody(text: string): string | undefined {
  if (!text.startsWith("-----BEGIN ")) return undefined;
  const lines = text.split("\n").map((l) => l.trim());
  if (lines.length < 2 || !(lines[lines.length - 1] ?? "").startsWith("-----END ")) return undefined;
  return lines.slice(1, -1).join(" ");
}

/** Flags, numbers, dates, host names and URLs that carry no password or token. */
export function isPlainSetting(value: string): boolean {
  const text = value.trim();
  if (PLAIN_SETTING.test(text) || SCP_GIT_URL.test(text)) return true;
  if (!URL_SHAPE.test(text)) return false;
  try {
    const url = new URL(text);
    return url.password === "" && ![...url.searchParams.keys()].some((name) => SECRET_PARAMETER.test(name));
  } catch {
    return false;
  }
}

/** A PEM bundle of certificates only (public); a private key anywhere in it is a secret. */
export function isCertificate(value: string): boolean {
  const text = value.trim();
  return text.startsWith("-----BEGIN CERTIFICATE-----") && !text.includes("PRIVATE KEY");
}

export function isPasswordHash(value: string): boolean {
  return PASSWORD_HASH.test(value.trim());
}

/** A file's content rather than one credential: a file name as key, several lines that are not a PEM block, or a JSON object. */
export function isConfigFile(key: string, value: string): boolean {
  const text = value.trim();
  if (CONFIG_FILE_NAME.test(key)) return true;
  if (text.startsWith("-----BEGIN ")) return false;
  return text.includes("\n") || (text.startsWith("{") && text.endsWith("}"));
}

/**
 * The first `key: value` / `key = value` / `"key": "value"` of a config file whose key is a
 * credential's and whose value is a literal (not `${ENV}`, `$__file{…}`, a path, a URL without a
 * password). JSON strings have their `\n` unescaped first (a key file's `private_key`).
 */
export function embeddedCredential(text: string): string | undefined {
  for (const line of text.split(/\n|,(?=\s*")/)) {
    const match = CONFIG_ASSIGNMENT.exec(line.replace(/^\s*[{,]/, ""));
    if (!match) continue;
    const [, key = "", rest = ""] = match;
    if (!isCredentialSetting(key)) continue;
    const value = rest.trim().replace(/[,}]+$/, "").replace(/^["']|["']$/g, "").replace(/\\n/g, "\n").trim();
    if (value.length < 3 || /^[$%{[|>/.~]/.test(value) || isPlaceholder(value, key) || isPlainSetting(value)) continue;
    return key;
  }
  return undefined;
}
