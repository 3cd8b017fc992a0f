/**
 * `.env` files are where twelve-factor apps keep a machine's secrets (dotenv, Docker Compose
 * `env_file`, direnv's `.envrc`); committed, they hand the database password and API keys to every
 * reader. Which files: `.env`, `.env.<anything>` (`.env.local`, `.env.production`, `.env.bak`),
 * `.env-prod`, `*.env` (`prod.env`), `.envrc`.
 *
 * Decisions:
 * - Templates are meant to be committed and are not read: any name part `example`, `sample`,
 *   `template`, `tmpl`, `tpl`, `dist`, `default(s)` (dotenv-defaults commits `.env.defaults` by
 *   design), `schema`, `skeleton`, `stub`, `in`, and dotenv-vault's encrypted `.env.vault`. Source
 *   files named like one (`.env.ts`, `env.d.ts`) are code, not env files.
 * - Content decides the grade. A literal value under a credential-like name (`*_SECRET`, `*_TOKEN`,
 *   `*PASSWORD`, `*_KEY`, `*_DSN`…) or a URL with a password (`postgres://app:s3cr3t@db`) is high.
 *   A file with only other literal settings (`PORT=3000`) gives an attacker nothing yet: low, at
 *   low confidence, as a reminder that env files usually stay local. Values that are empty,
 *   references (`${DB_PASSWORD}`), placeholders (`changeme`, `<your-key>`), encrypted (dotenvx
 *   `encrypted:`, whose `DOTENV_PUBLIC_KEY` is public), values built from other variables
 *   (`$HOME/bin`), or the well-known defaults of local containers (`postgres`, `root`,
 *   `minioadmin`) are no credential. Public client variables (`NEXT_PUBLIC_*`, `VITE_*`,
 *   `REACT_APP_*`, `EXPO_PUBLIC_*`…) are shipped to browsers by design and do not count at all, so
 *   a Next.js `.env.production` of public defaults gives nothing.
 * - `.env.test`, `.env.testing`, `.env.ci`, `.env.e2e` are test data by name: reported at low.
 */
import { decodeUriOrKeep } from "../../../../core/decode-uri.js";
import { looksLikeNonSecret } from "../../../secrets/placeholders.js";
import { defineAudit } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { isLiteralCredential, unquote } from "./_credential-value.js";
import { eachLine, textOf } from "./_file-content.js";
import { fileFinding } from "./_file-finding.js";
import { describePath, type FilePath } from "./_file-path.js";

const TEMPLATE_WORDS = new Set(["example", "examples", "sample", "samples", "template", "templates", "tmpl", "tpl", "dist", "default", "defaults", "schema", "skeleton", "stub", "in", "vault"]);
const TEST_WORDS = new Set(["test", "tests", "testing", "ci", "e2e", "spec"]);
const CODE_EXTENSIONS = new Set(["js", "cjs", "mjs", "ts", "mts", "cts", "jsx", "tsx", "py", "rb", "go", "java", "kt", "rs", "php", "cs", "swift", "md", "markdown", "rst", "html", "json", "yml", "yaml", "toml"]);

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]{0,200})\s*=\s*(.*)$/;
/** Client variables that bundlers inline into browser code, and dotenvx's public encryption key. */
const PUBLIC_PREFIX = /^(?:NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|NUXT_ENV_|GATSBY_|PUBLIC_|VUE_APP_|STORYBOOK_|SANITY_STUDIO_|DOTENV_PUBLIC_KEY)/;
/** Shell and dotenv-expand interpolation of an upper-case variable (`$HOME/bin`, `${DB_HOST}`). */
const INTERPOLATION = /\$(?:\{|\(|[A-Z_][A-Z0-9_]*(?![A-Za-z0-9_]))/;
const CREDENTIAL_NAME =
  /(?:^|_)(?:SECRETS?|TOKENS?|PASSWORD|PASSWD|PASS|PWD|APIKEY|CREDENTIALS?|DSN|SALT|PASSPHRASE|PRIVATE)(?:_|$)|(?:^|_)(?:KEY|AUTH)$|(?:API|ACCESS|PRIVATE|SECRET|SIGNING|MASTER|ENCRYPTION|LICENSE)_?KEY/;
/**
 * Names that read like credentials but hold public or descriptive data: key ids and fingerprints
 * (`*_GPG_KEY` is a fingerprint to verify a download with), URLs, lengths, switches.
 */
const NOT_SECRET_NAME =
  /PUBLIC|PUBLISHABLE|FINGERPRINT|KEY_?ID|(?:GPG|PGP)(?!\w*(?:PRIVATE|PASSPHRASE|SECRET|PASSWORD))|_(?:ID|URL|URI|HOST|PORT|PATH|FILE|NAME|USER|USERNAME|EXPIRY|EXPIRES|TTL|TIMEOUT|LENGTH|ENABLED|PROVIDER|TYPE|ALGORITHM|HEADER|PREFIX)$/;
/** Public key material pasted as a value. */
const PUBLIC_MATERIAL = /^(?:-----BEGIN (?:PGP PUBLIC KEY BLOCK|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----|ssh-(?:rsa|ed25519|dss) |ecdsa-sha2-)/;
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@/i;
/** Passwords of throwaway local containers and docs (`POSTGRES_PASSWORD=postgres`). */
const WELL_KNOWN_DEFAULTS = new Set([
  "postgres", "postgresql", "root", "admin", "administrator", "password", "secret", "mysql", "mariadb", "redis", "guest", "user", "pass", "local", "localhost",
  "dev", "development", "minioadmin", "rabbitmq", "mongo", "mongodb", "docker", "keycloak", "sa", "oracle", "elastic", "changeit",
]);
const NON_SECRET_VALUE = /^(?:true|false|yes|no|on|off|\d+(?:\.\d+)?[smhdwkKMG]?|[a-z]{1,8})$/;

interface Assignment {
  readonly line: number;
  readonly name: string;
  readonly value: string;
  readonly text: string;
}

export const envFile = defineAudit<FileDocument>({
  id: "env-file",
  domain: "file",
  title: ".env file with values added",
  description: "An `.env` file holds a machine's local configuration and usually its database password and API keys; committed, it hands them to everyone who can read the repository.",
  severity: "high",
  confidence: "high",
  remediation:
    "Remove the file and add `.env*` (with `!.env.example`) to .gitignore; rotate every credential it held; commit an `.env.example` with empty values instead.",
  link: "https://12factor.net/config",
  samples: {
    valid: [
      { path: ".env.example", text: "DATABASE_URL=postgres://user:password@localhost:5432/app\nSTRIPE_SECRET_KEY=sk_test_replace_me\nPORT=3000\n", note: "a template" },
      { path: ".env", text: "# Fill these in locally\nDATABASE_URL=\nAPI_TOKEN=\nSESSION_SECRET=${SESSION_SECRET}\n", note: "empty values and references only" },
      { path: "web/.env.production", text: "NEXT_PUBLIC_API_URL=https://api.example.org\nNEXT_PUBLIC_SENTRY_DSN=https://4f1c2d@o1.ingest.sentry.io/42\n", note: "public client variables are shipped to browsers by design" },
      { path: "src/config/.env.ts", text: 'export const env = { PORT: process.env.PORT ?? "3000" };\n', note: "source code named like an env file" },
    ],
    invalid: [
      {
        path: ".env",
        text: "NODE_ENV=production\nPORT=8080\nDATABASE_URL=postgres://app:Vb7q2mLw9tXe@db.internal:5432/app\nREDIS_URL=redis://cache:6379\n",
        lines: [3],
        note: "a password inside a URL",
      },
      { path: "services/billing/.env.local", text: "# billing\nexport STRIPE_SECRET_KEY=\"sk_live_51HqLyjWDarjtT1zdp7dc\"\n", lines: [2] },
      { path: "deploy/prod.env", text: "LOG_LEVEL=info\nWORKERS=4\n", lines: [1], note: "no credential yet: reported at low, low confidence" },
    ],
  },
  run(doc) {
    const file = describePath(doc.path);
    if (!isEnvFileName(file)) return [];
    const text = textOf(doc);
    if (text === undefined) return [];
    const assignments = literalAssignments(text);
    if (assignments.length === 0) return [];
    const testData = nameWords(file).some((w) => TEST_WORDS.has(w));
    const credentials = assignments.filter(isCredential);
    if (credentials.length > 0) {
      const first = credentials[0]!;
      const more = credentials.length > 1 ? ` and ${credentials.length - 1} more credential-like value${credentials.length > 2 ? "s" : ""}` : "";
      return [
        fileFinding(doc, {
          line: first.line,
          message: `\`${file.baseName}\` sets \`${first.name}\`${more} to a literal value: anyone who can read the repository can use it.`,
          severity: "high",
          testData,
        }),
      ];
    }
    return [
      fileFinding(doc, {
        line: assignments[0]!.line,
        message: `\`${file.baseName}\` commits local settings (none looks like a credential yet): env files usually stay on the machine, and the next value added to one is often a secret.`,
        severity: "low",
        confidence: "low",
        testData,
      }),
    ];
  },
});

function nameWords(file: FilePath): string[] {
  return file.name
    .split(/[._-]/)
    .filter((w) => w !== "")
    .map((w) => w.replace(/\d+$/, ""));
}

function isEnvFileName(file: FilePath): boolean {
  const name = file.name;
  const envLike = name === ".env" || name === ".envrc" || /^\.env[._-]/.test(name) || (name.endsWith(".env") && name.length > 4);
  if (!envLike) return false;
  if (name !== ".env" && name !== ".envrc" && CODE_EXTENSIONS.has(file.extension)) return false;
  if (name.endsWith(".d.ts")) return false;
  return !nameWords(file).some((w) => TEMPLATE_WORDS.has(w));
}

/** Assignments whose value is set (not empty, not a reference or a placeholder), public client variables left out. */
function literalAssignments(text: string): Assignment[] {
  const found: Assignment[] = [];
  eachLine(text, (raw, line) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.length > 10_000) return;
    const match = ASSIGNMENT.exec(trimmed);
    if (!match) return;
    const name = match[1]!;
    if (PUBLIC_PREFIX.test(name.toUpperCase())) return;
    const value = unquote(match[2]!);
    if (!isLiteralCredential(value) || INTERPOLATION.test(value)) return;
    found.push({ line, name, value, text: trimmed });
    if (found.length >= 10_000) return true;
  });
  return found;
}

function isCredential(a: Assignment): boolean {
  const url = URL_PASSWORD.exec(a.value);
  if (url) return isStrongLiteral(decodeUriOrKeep(url[1]!), a.text);
  const upper = a.name.toUpperCase();
  if (!CREDENTIAL_NAME.test(upper) || NOT_SECRET_NAME.test(upper)) return false;
  if (NON_SECRET_VALUE.test(a.value) || PUBLIC_MATERIAL.test(a.value) || /^(?:[a-z][a-z0-9+.-]*:\/\/|\.{0,2}\/|~\/)/i.test(a.value)) return false;
  return isStrongLiteral(a.value, a.text);
}

function isStrongLiteral(value: string, line: string): boolean {
  if (value.length < 6 || WELL_KNOWN_DEFAULTS.has(value.toLowerCase())) return false;
  return isLiteralCredential(value) && !looksLikeNonSecret(value, line);
}

