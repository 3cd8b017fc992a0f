/**
 * Generic assignments: a key name that says "secret" (`password`, `client_secret`, `api_key`,
 * `AUTH_TOKEN`, ...) assigned a value in code, YAML, JSON, .env, shell, Dockerfile or Terraform.
 * These have the most false positives of all rules, so they are `medium` confidence and severity
 * and they insist on a value that looks generated:
 *   - high Shannon entropy (`minEntropy`) and a minimum length;
 *   - not a reference (`$VAR`, `${...}`, `process.env.X`, `secrets.X`), identifier, path or URL;
 *   - not a hash (hex of an MD5/SHA length), a UUID, a number or a plain word;
 *   - not a value that starts with a vendor prefix: those are judged by the vendor's own rule
 *     (whose checksum or length may have just rejected it).
 * The scanner runs these after the specific rules and drops a value a specific rule already took.
 */
import type { SecretRule } from "../rule.js";
import { isBase64UserPassword } from "./config-files.js";
import { ci, keyVariants } from "./keyed.js";
import { specificRules } from "./specific.js";
import { hasRealPassword, isRealPassword } from "./url-credentials.js";

const HASH_HEX_LENGTHS = new Set([32, 40, 56, 64, 96, 128]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REFERENCE = /^(?:\$|%|@|&|\*|#\{|!|\.\.?\/|~\/|\/)|\b(?:process\.env|os\.environ|os\.getenv|System\.getenv|secrets\.|vars\.|env\.|ENV\[)/;
/** Words, identifiers, dotted paths and URLs: no digit or symbol that a generated value would have. */
const WORDS = /^[A-Za-z_./:|-]+$/;
const NUMBERS = /^[0-9._:+TZ-]+$/;
const URL = /^[a-z][a-z0-9+.-]{1,20}:\/\//i;

/**
 * Vendor prefixes of the specific rules: their redaction prefixes and their prefix-like keywords
 * (`squ_`, `xoxb-`, `sg.`), three characters or more to stay meaningful. Compared case-insensitively.
 */
const VENDOR_PREFIXES = [
  ...new Set([
    ...specificRules.map((rule) => (rule.redactPrefix ?? "").toLowerCase()),
    ...specificRules.flatMap((rule) => rule.keywords.filter((keyword) => /^[a-z0-9][a-z0-9_.-]*[_.-]$/.test(keyword))),
  ]),
].filter((prefix) => prefix.length >= 3);

/**
 * Words joined by separators, each optionally followed by a short number: `real-secret-6-levels`,
 * `existingtoken123`, `my_app_key_2024`. Written by people for documentation and tests.
 */
function isWordy(value: string): boolean {
  return value
    .toLowerCase()
    .split(/[-_.:?|/\s]+/)
    .every((part) => /^[a-z]*$/.test(part.replace(/[0-9]{1,6}$/, "")));
}

/** True when a generic candidate value looks like a generated credential. */
export function looksGenerated(value: string): boolean {
  const lower = value.toLowerCase();
  if (VENDOR_PREFIXES.some((prefix) => lower.startsWith(prefix))) return false;
  if (/^[0-9a-f]+$/i.test(value) && HASH_HEX_LENGTHS.has(value.length)) return false;
  if (UUID.test(value)) return false;
  if (REFERENCE.test(value) || URL.test(value)) return false;
  if (WORDS.test(value) || NUMBERS.test(value) || isWordy(value)) return false;
  // A query string (`abc&state=xyz&scope=...`): the value was cut from a URL, not assigned.
  if (/&[A-Za-z_][A-Za-z0-9_]*=/.test(value)) return false;
  return isRealPassword(value);
}

/**
 * `<identifier containing keyword> <assignment> <value>`: the identifier may have a prefix
 * (`DB_`, `githubAccess`) and up to two short suffixes (`_value`, `_KEY_BASE`), the value may be
 * quoted, and it must end where a value ends (so `token = getToken()` is not a value).
 */
function assignment(keywords: readonly string[], minLength: number): RegExp {
  const key = keywords.map((k) => k.split(" ").map(ci).join("[_.-]?")).join("|");
  return new RegExp(
    `(?:^|[^A-Za-z0-9_.$/-])(?:[A-Za-z][A-Za-z0-9_.-]{0,40}?)?(?:${key})(?:[_.-]?[A-Za-z0-9]{1,12}){0,2}` +
      // `key = value` in its usual forms, or a quoted key as a call argument: `define('DB_PASSWORD', '...')`.
      `(?:["'\`]?[ \t]{0,16}(?:=|:=|:|=>)|["'\`][ \t]{0,4},)\\s{0,4}["'\`]?` +
      `(?<secret>[^\\s"'\`,;()\\[\\]{}<>]{${minLength},200})(?:["'\`\\s,;)}\\]]|$)`,
  );
}

/**
 * Example values from the OAuth RFCs (RFC 5849, 6749, 7009), copied into countless libraries'
 * docs and tests: documented examples, never live credentials.
 */
const OAUTH_RFC_EXAMPLES = [
  "2YotnFZFEjr1zCsicMWpAA",
  "tGzv3JOkF0XG5Qx2TlKWIA",
  "SplxlOBeZQQYbYS6WxSbIA",
  "gX1fBat3bV",
  "7Fjfp0ZBr1KtDRbnfVdmIw",
  "45ghiukldjahdnhzdauz",
  "dpf43f3p2l4k3l03",
  "kd94hf93k423kf44",
  "nnch734d00sl2jdk",
  "pfkkdhi9sl3r4s00",
  "hh5s93j4hdidpola",
  "hdhd0244k9j7ao03",
  "0685bd9184jfhq22",
  "ad180jjd733klru7",
  "9djdj82h48djs9d2",
];

const GENERIC_REMEDIATION =
  "Rotate the credential at the service it belongs to, then load it from the environment or a secret manager: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html";

interface GenericKind {
  readonly id: string;
  readonly title: string;
  /** See `SecretRule.risk`: what the credential grants, in one sentence. */
  readonly risk: string;
  readonly keys: readonly string[];
  readonly minLength: number;
  readonly minEntropy: number;
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
}

function genericAssignment(kind: GenericKind): SecretRule {
  return {
    id: kind.id,
    provider: "Generic",
    title: kind.title,
    risk: kind.risk,
    pattern: assignment(kind.keys, kind.minLength),
    // Every spelling of every key (`api_key`, `apikey`, `api-key`, `api.key`): the prefilter must not hide a match.
    keywords: [...new Set(kind.keys.flatMap(keyVariants))],
    minEntropy: kind.minEntropy,
    validate: looksGenerated,
    severity: "medium",
    confidence: "medium",
    remediation: GENERIC_REMEDIATION,
    allow: OAUTH_RFC_EXAMPLES,
    samples: { positives: kind.positives, negatives: kind.negatives },
  };
}

export const genericRules: readonly SecretRule[] = [
  genericAssignment({
    id: "generic-password-assignment",
    title: "Hard-coded password",
    risk: "Usually logs in to a database, service account or admin interface, and the same value is often reused elsewhere; found by key name, hence medium confidence.",
    keys: ["password", "passwd", "passphrase", "pwd"],
    minLength: 8,
    minEntropy: 3,
    positives: ["define('DB_PASSWORD', 'p3XeslU2NP7bSrSK');", 'DB_PASSWORD="fO&jUyhbLCP2KC"', "  password: o0fXu2FfH943", 'export SMTP_PASSWD=FxRIyK7gZvQ3sExq', '  "adminPassword": "g*sQkmGt1*JKYeyw!MQ*",', '  master_password     = "XM3E2yc6aGcvYx1Owg"'],
    negatives: ['hash(password, "iXGQSTkv45BGaOTQ")', 'DB_PASSWORD="changeme"', "password: ${DB_PASSWORD}", "password = os.environ['DB_PASSWORD']", 'password_hash = "e01be5e0a0102de56a4473e8707bd742e27e98b94f91b1b8bb9121091f228481"', 'if (password == "") return;', "PASSWORD_MIN_LENGTH=12"],
  }),
  genericAssignment({
    id: "generic-secret-assignment",
    title: "Hard-coded secret",
    risk: "Such a value usually signs sessions or tokens or authenticates to an API: with it someone can forge logins or call the service as the application.",
    keys: ["secret", "credentials", "credential"],
    minLength: 12,
    minEntropy: 3.5,
    positives: ["SECRET_KEY_BASE=5cae0d1cyUApdfwyQtPusYCaSWDSgCoJLRAusE1l3FhpfXCW", "SECRET_KEY = '41TmwCZknxOG*iI7Rd1~LvQPM+tUgEPzn1CgZVIaXRoAKwY^In'", "  client_secret: ef0BgKAO2OIToFYKsb9hJKz2fnNcRxJx", 'JWT_SECRET="5C3lUa9A9gVaLE4ts/SjluihDVMFUcol4ahxSnwb6p2P"', 'secret = "PNsbTav1mKstefyAUsiJIruS"'],
    negatives: ["client_secret: ${{ secrets.CLIENT_SECRET }}", "SECRET_KEY = os.environ['SECRET_KEY']", "secretName: prod/db/credentials", 'secret = "a5eed029da4a9e574cb73db39f07936e3041ed21"', "client_secret: c2a517a5-6e86-7b6d-cb8a-3e4cc475179a"],
  }),
  genericAssignment({
    id: "generic-token-assignment",
    title: "Hard-coded token",
    risk: "Usually a bearer credential: whoever sends it is accepted as the user or service it was issued to, until it is revoked or expires.",
    keys: ["token"],
    minLength: 16,
    minEntropy: 3.5,
    positives: ["AUTH_TOKEN=VlYyEsJVQc5SdrSqzDNdSKC4QuDrer2G", '  "accessToken": "wlQ7ezxBlYKG0EjhVZdZ8UlCrrNauFwG4YjNBLTm",', "refresh_token: nqgBME//HneqjEAAl6e0yx4lJgK+NaQga2npTPixiPsecQmX", "const apiToken = 'o19tWIFWspPvCgC3UBS15Rjk3P9G';"],
    negatives: ["token = getToken()", 'token_type: "bearer"', '"access_token":"2YotnFZFEjr1zCsicMWpAA",', "AUTH_TOKEN=${AUTH_TOKEN}", "const token = this.authService.currentToken", "csrf_token = 8a8e725549b0f908f5a55c339b0a80166d74a49c354c66231345a3655aabe60f"],
  }),
  genericAssignment({
    id: "generic-api-key-assignment",
    title: "Hard-coded API key",
    risk: "Usually gives the holder the owner's access to the service, billed and logged as the owner, until the key is rotated.",
    keys: ["api key", "apikey", "access key", "auth key", "app key", "client key", "consumer key", "subscription key"],
    minLength: 16,
    minEntropy: 3.5,
    positives: ['API_KEY="4nH8nDV8jIvIjPIo56cYHKwrqa22ohSX"', "  apiKey: e-FhMcAzsED08BLaOcDD6rhBFHwda7y3xLBVj_4L", 'Ocp-Apim-Subscription-Key: qvs9VlBLdGrym9omXpcYRcn98sCueLvh', "consumer_key = '62T60bsfrJTEI3ilgxo7LvkAB'"],
    negatives: ['API_KEY="YOUR_API_KEY_HERE"', "apiKey: process.env.API_KEY", 'api_key = "d8eee62c-ffd7-050f-b712-05c3bad31604"', "access_key_id_length = 20"],
  }),
  genericAssignment({
    id: "generic-private-key-assignment",
    title: "Hard-coded private, signing or encryption key",
    risk: "Lets someone forge the tokens, signatures or sessions the application trusts, or decrypt the data it protects with the key.",
    keys: ["private key", "privatekey", "signing key", "encryption key", "master key"],
    minLength: 16,
    minEntropy: 3.5,
    positives: ['ENCRYPTION_KEY="QAqv5I+j3/ecPpdi0dM0l5UdS6VHG72Apfr+fQA3pOxD"', "  signingKey: XzjIu9B55fxsmVToRgyEkbt4XjCZlYjDk1Q1GpH4", 'privateKey = "YrkyuHnHQ1sVYIfy7TqVaUZ3VhPtiF+bilkW0CDy/WrR9lIkJQq9wyhn5nOhgxIH"'],
    negatives: ['privateKey = fs.readFileSync("./key.pem")', "private_key_path: /etc/ssl/private/app.key", 'encryption_key = "8c137078b96790cf99a2bac27e5df5b6e9075f51377aa8170a6996fa71f3e2cd"'],
  }),
  {
    id: "generic-dockerfile-env-secret",
    provider: "Generic",
    title: "Secret baked into a Dockerfile ENV or ARG",
    risk: "ENV and ARG values stay in the image's layers and history, so anyone who can pull the image, from a registry or a build cache, can read the credential.",
    pattern: /^\s*(?:ENV|ARG)\s+[A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY)[A-Z0-9_]*\s+(?<secret>[^\s"'=]{8,200})\s*$/,
    keywords: ["password", "passwd", "secret", "token", "api_key", "apikey", "access_key", "accesskey", "private_key", "privatekey"],
    minEntropy: 3.2,
    validate: looksGenerated,
    severity: "medium",
    confidence: "medium",
    remediation:
      "Rotate the credential and pass it at build time with a secret mount (`RUN --mount=type=secret`) instead of ENV/ARG, which stay in the image history: https://docs.docker.com/build/building/secrets/",
    samples: {
      positives: ["ENV REGISTRY_PASSWORD nqUBqq6pmVdztNJuVFsI", "ARG SENTRY_AUTH_TOKEN tnijjt0XFkAaj9mnUcK1me5dzXXLMPwB"],
      negatives: ["ENV REGISTRY_PASSWORD_FILE /run/secrets/registry", "ARG NPM_TOKEN"],
    },
  },
  {
    id: "generic-bearer-token",
    provider: "Generic",
    title: "Hard-coded bearer token in an Authorization header",
    risk: "Whoever sends this header is accepted as the token's user or service until the token expires or is revoked.",
    pattern: /\b[Bb]earer\s{1,4}(?<secret>[A-Za-z0-9._~+/-]{20,500}={0,2})(?:[^A-Za-z0-9._~+/=-]|$)/,
    keywords: ["bearer"],
    minEntropy: 3.5,
    allow: OAUTH_RFC_EXAMPLES,
    validate: looksGenerated,
    severity: "medium",
    confidence: "medium",
    remediation: GENERIC_REMEDIATION,
    samples: {
      positives: ["curl -H 'Authorization: Bearer vGYXiGNRZZw3zITqIrqtY2A25QvFJDiA72BZWwe9' https://api.acme.dev/v1/me", 'headers["Authorization"] = "Bearer rxD52RQ7ERrJvlLwZY7LYC4Ex7zxUJ08ZJXN2xQYoY4T_crn"'],
      negatives: ['headers["Authorization"] = "Bearer " + token', "curl -H 'Authorization: Bearer $API_TOKEN' https://api.acme.dev"],
    },
  },
  {
    id: "basic-auth-header",
    provider: "Generic",
    title: "Hard-coded HTTP Basic credentials in an Authorization header",
    risk: "Decodes to a username and password that log in to the service as that user, and anywhere else the same password is reused.",
    pattern: /[Aa]uthorization["']?\s{0,4}[:=,]\s{0,4}["']?[Bb]asic\s{1,4}(?<secret>[A-Za-z0-9+/]{8,400}={0,2})(?:[^A-Za-z0-9+/=]|$)/,
    keywords: ["basic "],
    validate: isBase64UserPassword,
    // RFC 6749's example client credentials (s6BhdRkqt3:gX1fBat3bV).
    allow: ["czZCaGRSa3F0MzpnWDFmQmF0M2JW"],
    severity: "high",
    remediation: GENERIC_REMEDIATION,
    samples: {
      positives: ["curl -H 'Authorization: Basic c3ZjLXJlcG9ydHM6eFNoUHJZTmZDOWdCOWNiTUtDMTc=' https://reports.acme.dev", 'req.headers = { Authorization: "Basic YXBpLWNsaWVudDp0bkZBSVRsYUxkVHRoVktueXdhVA==" }'],
      negatives: ["Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW", "Authorization: Basic 0Tcwin2jsuRwlAfhzHNyGRoj"],
    },
  },
  {
    id: "curl-user-password",
    provider: "Generic",
    title: "Password on a curl command line (-u user:password)",
    risk: "Logs in to the service the command calls; command lines also end up in shell history, CI logs and process lists, where others can read them.",
    pattern: /\bcurl\b[^\n]{0,200}?\s(?:-u|--user)\s{1,4}["']?(?<secret>[^\s:"'$]{1,64}:[^\s"']{4,128})/,
    keywords: ["curl"],
    validate: (secret) => hasRealPassword(secret) && !secret.includes("$"),
    userAndPassword: true,
    minEntropy: 3,
    severity: "medium",
    confidence: "medium",
    remediation: GENERIC_REMEDIATION,
    samples: {
      positives: ["curl -u admin:NqTVUaXycdbFKqBjHo https://jenkins.acme.dev/api/json", 'curl -s --user "deploy:VTCAs3P8Cd0FgtVL" -X POST https://nexus.acme.dev/service/rest'],
      negatives: ["curl -u admin:$JENKINS_TOKEN https://jenkins.acme.dev/api/json", "curl -u user:password https://httpbin.org/basic-auth/user/password"],
    },
  },
];

