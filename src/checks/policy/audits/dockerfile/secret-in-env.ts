/**
 * A credential written as the literal value of an ENV or ARG (`ENV DB_PASSWORD=s3cr3t`,
 * `ARG NPM_TOKEN=npm_…`): it is committed with the Dockerfile, stored in the image's config or its
 * build history, and readable by anyone who can pull the image (`docker history`, `docker inspect`).
 * hadolint DL3064 and checkov flag the same.
 *
 * Judged by the name's words (PASSWORD, SECRET, TOKEN, API KEY, PRIVATE KEY…; not `PASSWORD_FILE`,
 * `TOKEN_URL`, `SECRET_NAME`, `PWD`) and by the value: empty, `$VAR`/`${VAR}` references, paths,
 * plain URLs and booleans are not secrets. A placeholder (`changeme`, `<token>`) is fine as an ARG
 * default (the build passes the real one) but still a known default password when ENV bakes it in:
 * reported at low confidence. BuildKit secret mounts (`RUN --mount=type=secret`) never show here.
 * The value is never printed: messages carry its redacted form, keys a keyed hash.
 */
import { keyedHash } from "../../../../core/fingerprint.js";
import { redactSecret } from "../../../../core/redact.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { DockerfileDocument, PropertyPair } from "../../domains/dockerfile.js";
import { allInstructions } from "./_run-scripts.js";

export default defineAudit<DockerfileDocument>({
  id: "secret-in-env",
  domain: "dockerfile",
  title: "Secret in ENV or ARG",
  description: "A password, token or key written as an ENV or ARG value is committed with the Dockerfile and stored in the image, where anyone who can pull it reads it with `docker history` or `docker inspect`.",
  severity: "high",
  confidence: "high",
  remediation: "Remove the value, rotate the credential, and pass it at build time as a BuildKit secret (`RUN --mount=type=secret,id=npm_token …`, `docker build --secret id=npm_token,env=NPM_TOKEN`) or at run time from the orchestrator's secret store.",
  link: "https://docs.docker.com/build/building/secrets/",
  samples: {
    valid: [
      { text: "FROM node:20-slim\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n", note: "a BuildKit secret mount" },
      { text: "FROM node:20-slim\nARG NPM_TOKEN\nENV NODE_AUTH_TOKEN=${NPM_TOKEN}\n", note: "ARG without a value, ENV from a variable" },
      { text: "FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password\n", note: "a path to a secret file" },
      { text: "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1 PASSWORD_MIN_LENGTH=12 TOKENIZERS_PARALLELISM=false\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n" },
      { text: "FROM alpine:3.20\nARG GITHUB_TOKEN=changeme\n", note: "a placeholder ARG default is overridden at build" },
    ],
    invalid: [
      { text: "FROM node:20-slim\nENV NPM_TOKEN=npm_4f8Kq2LmZx9Rb7Tc3Vd1We6Yf0Gh5Jk2Ls8N\nRUN npm ci\n", lines: [2] },
      { text: "FROM python:3.12-slim\nENV APP_ENV=production \\\n    DB_PASSWORD=\"Tr0ub4dor&3x\" \\\n    DEBUG=false\n", lines: [3], note: "the pair's own line in a continued ENV" },
      { text: "FROM alpine:3.20\nARG AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", lines: [2] },
      { text: "FROM mysql:8.4\nENV MYSQL_ROOT_PASSWORD admin\n", lines: [2], note: "legacy ENV syntax; a default password baked in (low confidence)" },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const { instruction } of allInstructions(doc)) {
      if (instruction.kind !== "env" && instruction.kind !== "arg") continue;
      for (const pair of instruction.pairs) {
        const finding = judge(instruction.keyword, pair);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
});

const SECRET_WORDS = new Set(["PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN", "APIKEY", "PASSPHRASE", "CREDENTIALS", "CREDENTIAL"]);
/** Second words that make a KEY a secret: API_KEY, PRIVATE_KEY, ACCESS_KEY… */
const KEY_QUALIFIERS = new Set(["API", "PRIVATE", "ACCESS", "SECRET", "AUTH", "ENCRYPTION", "SIGNING", "MASTER", "LICENSE", "CLIENT", "APP", "SERVICE"]);
/** Last words that name something about a secret, not the secret. */
const NOT_SECRET_SUFFIXES = new Set([
  "FILE", "FILES", "PATH", "DIR", "DIRECTORY", "URL", "URI", "ENDPOINT", "HOST", "PORT", "NAME", "ID", "ARN", "REF",
  "LENGTH", "LEN", "SIZE", "TTL", "EXPIRY", "EXPIRES", "EXPIRATION", "LIFETIME", "TIMEOUT", "ENABLED", "ENABLE",
  "DISABLED", "DISABLE", "REQUIRED", "HEADER", "TYPE", "VERSION", "MIN", "MAX", "POLICY", "PROVIDER", "MODE", "FORMAT",
  "ALGORITHM", "ALG", "HASH", "LOCATION", "ENV", "VAR", "COMMAND", "CMD", "FIELD", "PARAM", "PREFIX", "SUFFIX",
  "ISSUER", "AUDIENCE", "SCOPE", "SCOPES", "ROTATION", "COUNT", "RETRIES", "STORE", "BACKEND", "SOURCE", "MOUNT",
  "USER", "USERNAME", "LOGIN", "KEYRING", "REGEX", "PATTERN", "LABEL", "KIND", "CHARS", "COMPLEXITY",
]);
const PLACEHOLDERS = new Set([
  "changeme", "change-me", "change_me", "changeit", "placeholder", "dummy", "example", "sample", "fake", "todo",
  "none", "null", "nil", "undefined", "unset", "empty", "secret", "password", "passwd", "token", "test", "testing",
  "dev", "development", "default", "admin", "root", "postgres", "mysql", "guest", "demo", "notused", "not-used",
  "replaceme", "replace-me", "replace_me", "redacted", "-",
]);

export function secretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
  if (words.length === 0 || name === "PWD" || name === "OLDPWD") return false;
  if (NOT_SECRET_SUFFIXES.has(words[words.length - 1]!)) return false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (SECRET_WORDS.has(w)) return true;
    if (w === "KEY" && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)) return true;
  }
  return false;
}

type ValueKind = "none" | "placeholder" | "literal";

function valueKind(raw: string | null): ValueKind {
  const value = raw?.trim() ?? "";
  if (value === "") return "none";
  // From a build argument or another variable: the secret, if any, is not in the file.
  if (/\$(\{|[A-Za-z_])/.test(value)) return "none";
  if (/^(true|false|yes|no|on|off|0|1)$/i.test(value)) return "none";
  if (/^(\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(value)) return "none";
  if (isUrlWithoutCredentials(value)) return "none";
  const lower = value.toLowerCase();
  if (PLACEHOLDERS.has(lower) || /^(x+|\*+|\.+|<[^>]*>|\[[^\]]*\]|\{\{[^}]*\}\}|your[-_ ].*|.*[-_]here)$/i.test(lower)) return "placeholder";
  return "literal";
}

/** `https://vault.internal/v1` is where a secret lives; `https://user:pass@host` holds one. */
function isUrlWithoutCredentials(value: string): boolean {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value);
  if (!scheme || /\s/.test(value)) return false;
  const rest = value.slice(scheme[0].length);
  const slash = rest.indexOf("/");
  return !(slash < 0 ? rest : rest.slice(0, slash)).includes("@");
}

function judge(keyword: string, pair: PropertyPair): AuditFinding | undefined {
  if (!secretName(pair.name)) return undefined;
  const kind = valueKind(pair.value);
  if (kind === "none" || (kind === "placeholder" && keyword === "ARG")) return undefined;
  const value = pair.value!.trim();
  const key = `${keyword} ${pair.name} ${keyedHash(value)}`;
  if (kind === "placeholder") {
    return {
      line: pair.line,
      message: `${keyword} ${pair.name} sets a default credential (${redactSecret(value)}) that every container of the image starts with.`,
      severity: "medium",
      confidence: "low",
      key,
    };
  }
  return { line: pair.line, message: `${keyword} ${pair.name} holds a literal credential (${redactSecret(value)}), stored in the image and in the repository.`, key };
}
