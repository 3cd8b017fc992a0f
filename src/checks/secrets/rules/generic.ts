/**
 * Generic assignments: a key name that says "secret" (`password`, `client_secret`, `api_key`,
 * `AUTH_TOKEN`, ...) assigned a value in code, YAML, JSON, .env, shell, Dockerfile or Terraform,
 * in the syntax keyed.ts's `ASSIGNMENT` knows (typed declarations, PHP arrays, call arguments).
 * These have the most false positives of all rules, so they are `medium` confidence and severity
 * and they insist on a value that looks generated:
 *   - high Shannon entropy (`minEntropy`) and a minimum length;
 *   - not a reference (`$VAR`, `${...}`, `process.env.X`, `secrets.X`), identifier, call, path or URL;
 *   - not a UUID, a number or a plain word;
 *   - not a value that starts with a vendor prefix: those are judged by the vendor's own rule
 *     (whose checksum or length may have just rejected it), nor one with a publishable prefix.
 * A hash-shaped hex value is judged by its key name, which only the scanner's line context has
 * (`looksLikeNonSecret`, assigned-key.ts): 40 hex under `api_key` is a key, under `sha1` a hash.
 * Quoted values are taken whole, brackets and `!^&*%$#@=` included (Django's `SECRET_KEY`), up to
 * the quote; WordPress salts, which may also hold spaces and `{}<>,;`, have a rule of their own.
 * The scanner runs these after the specific rules and drops a value a specific rule already took.
 */
import type { SecretRule } from "../rule.js";
import { isBase64UserPassword } from "./config-files.js";
import { ASSIGNMENT, ci, keyVariants } from "./keyed.js";
import { specificRules } from "./specific.js";
import { hasRealPassword, isRealPassword } from "./url-credentials.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * `$name`, `@Value(`, `&anchor`, `*alias`, `!Ref`, `%(x)`: a sigil followed by nothing but name and
 * code characters. A generated value that starts with the same symbol (one Django key in eight
 * does) goes on with symbols no reference has (`$k0(3n@x!7^q`).
 */
const REFERENCE = /^(?:[$%@&*!]{1,4}[\w$.:()[\]>-]*$|#\{|\.\.?\/|~\/|\/)|\b(?:process\.env|os\.environ|os\.getenv|System\.getenv|secrets\.|vars\.|env\.|ENV\[)/;
/**
 * A call or subscript cut at the first quote, comma or space: `fs.readFileSync(`, `getToken()`,
 * `keys[`, `getpass(prompt=`, `password1)` of `f(password=password1)`, `this.#store.get(path)`,
 * `scan(!isTagged)`. Only name and code characters: a generated value with a bracket almost always
 * has one of `@%^&*-` too (all but one Django key in 600 does).
 */
const CODE_EXPRESSION = /^[\w$.:=+()[\]!?#/]+$/;
/**
 * A TypeScript union of type names, `Buffer|Uint8Array|Blob|string`: the right side of
 * `type MqttPassword =` or of an interface member, not a value. (Not `&` intersections: `fO&jUyhb`
 * is a password.)
 */
const TYPE_UNION = /^[A-Za-z_$][\w$]*(?:\[\])?(?:\|[A-Za-z_$][\w$]*(?:\[\])?)+$/;
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
 * Keys that their providers publish by design (in web pages and mobile apps) and whose vendor
 * rules therefore leave them alone: Mapbox public tokens, Stripe, Clerk and Paystack publishable
 * keys, Supabase publishable keys, PostHog project keys, Square application ids, Flutterwave public
 * keys. Only truly publishable kinds: a Google Maps key (`AIza`) can be abused and is reported.
 */
const PUBLIC_PREFIXES = ["pk.", "pk_live_", "pk_test_", "sb_publishable_", "phc_", "sq0idp-", "flwpubk"];

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
  if (PUBLIC_PREFIXES.some((prefix) => lower.startsWith(prefix))) return false;
  if (UUID.test(value)) return false;
  if (REFERENCE.test(value) || URL.test(value)) return false;
  if (/[()[\]]/.test(value) && CODE_EXPRESSION.test(value)) return false;
  if (TYPE_UNION.test(value)) return false;
  if (WORDS.test(value) || NUMBERS.test(value) || isWordy(value)) return false;
  // A query string (`abc&state=xyz&token_type=...`): the value was cut from a URL, not assigned.
  // Two parameters: one `&name=` occurs by chance in one Django key in sixty.
  if (/&[A-Za-z_][A-Za-z0-9_]{2,}=[^&]*&[A-Za-z_][A-Za-z0-9_]{2,}=/.test(value)) return false;
  return isRealPassword(value);
}

/**
 * `<identifier containing keyword> ASSIGNMENT <value>`: the identifier may have a prefix (`DB_`,
 * `githubAccess`, PHP's `$`) and up to two short suffixes (`_value`, `_KEY_BASE`), and the value
 * must end where a value ends: at a quote, space, `,` or `;`. It may hold `( ) [ ]` (Django keys
 * do), so a call is taken whole (`getTokenFor(user)`) and then rejected as code by `looksGenerated`
 * and, outside quotes, by `looksLikeNonSecret`.
 */
function assignment(keywords: readonly string[], minLength: number): RegExp {
  const key = keywords.map((k) => k.split(" ").map(ci).join("[_.-]?")).join("|");
  return new RegExp(
    `(?:^|[^A-Za-z0-9_./-])(?:[A-Za-z][A-Za-z0-9_.-]{0,40}?)?(?:${key})(?:[_.-]?[A-Za-z0-9]{1,12}){0,2}` +
      ASSIGNMENT +
      `(?<secret>[^\\s"'\`,;{}<>]{${minLength},200})(?:["'\`\\s,;)}\\]]|$)`,
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
    positives: ["define('DB_PASSWORD', 'p3XeslU2NP7bSrSK');", 'DB_PASSWORD="fO&jUyhbLCP2KC"', "  password: o0fXu2FfH943", 'export SMTP_PASSWD=FxRIyK7gZvQ3sExq', '  "adminPassword": "g*sQkmGt1*JKYeyw!MQ*",', '  master_password     = "XM3E2yc6aGcvYx1Owg"',
      "$dbpasswd = 'kR7#mQ2vX9pL';",
      "$config['db_password'] = 'Wq8!zT3nVb5x';",
      'private static final String DB_PASSWORD = "hnabk8B4HFXymgFh";',
      '  adminPassword string = "HLgbLczm7jtCAt2RYZlh"',
    ],
    negatives: [
      'hash(password, "iXGQSTkv45BGaOTQ")',
      'DB_PASSWORD="changeme"',
      "password: ${DB_PASSWORD}",
      "password = os.environ['DB_PASSWORD']",
      'if (password == "") return;',
      "PASSWORD_MIN_LENGTH=12",
      "export type MqttPassword = Buffer|Uint8Array|Blob|string",
      "  password: string;",
      "const password = bcrypt.hashSync(plain, 10);",
      "user.password = getpass(prompt=label)",
    ],
  }),
  genericAssignment({
    id: "generic-secret-assignment",
    title: "Hard-coded secret",
    risk: "Such a value usually signs sessions or tokens or authenticates to an API: with it someone can forge logins or call the service as the application.",
    keys: ["secret", "credentials", "credential"],
    minLength: 12,
    minEntropy: 3.5,
    positives: [
      "SECRET_KEY_BASE=5cae0d1cyUApdfwyQtPusYCaSWDSgCoJLRAusE1l3FhpfXCW",
      "SECRET_KEY = '41TmwCZknxOG*iI7Rd1~LvQPM+tUgEPzn1CgZVIaXRoAKwY^In'",
      "  client_secret: ef0BgKAO2OIToFYKsb9hJKz2fnNcRxJx",
      'JWT_SECRET="5C3lUa9A9gVaLE4ts/SjluihDVMFUcol4ahxSnwb6p2P"',
      'secret = "PNsbTav1mKstefyAUsiJIruS"',
      // Django's own alphabet, brackets and all, and its `django-insecure-` development prefix.
      "SECRET_KEY = 'django-insecure-c8+y3r#4jtg^z*&%5#$x2sz8pq4n)czo37@*uro2bwu+y@pqgn'",
      "DJANGO_SECRET_KEY=@w_4augwn2gk3%1aur_de8ky0e-u)0qz)5s3t(+$eag!tr!(de",
      'SECRET_KEY: str = "sw[4augwn2gk]3%1aur_de8ky0e-u)0qz)5s3t(+$eag!tr!(de"',
      // Hash-shaped, but under a credential name: Rails' 128-hex key base, a 40-hex client secret.
      "  secret_key_base: 342cf14f79a97df8089d9f0af7ce9858fec5b034d75bb9076ad811c6e3e85f4874b51a8fd66a65dcdd4e433169ce422f5d735fee9b3c079321670008e0e067c0",
      'secret = "a5eed029da4a9e574cb73db39f07936e3041ed21"',
    ],
    negatives: [
      "client_secret: ${{ secrets.CLIENT_SECRET }}",
      "SECRET_KEY = os.environ['SECRET_KEY']",
      "secretName: prod/db/credentials",
      "client_secret: c2a517a5-6e86-7b6d-cb8a-3e4cc475179a",
      "SECRET_KEY = get_random_secret_key()",
      "app.secret_key = secrets.token_hex(32)",
    ],
  }),
  genericAssignment({
    id: "generic-token-assignment",
    title: "Hard-coded token",
    risk: "Usually a bearer credential: whoever sends it is accepted as the user or service it was issued to, until it is revoked or expires.",
    keys: ["token"],
    minLength: 16,
    minEntropy: 3.5,
    positives: [
      "AUTH_TOKEN=VlYyEsJVQc5SdrSqzDNdSKC4QuDrer2G",
      '  "accessToken": "wlQ7ezxBlYKG0EjhVZdZ8UlCrrNauFwG4YjNBLTm",',
      "refresh_token: nqgBME//HneqjEAAl6e0yx4lJgK+NaQga2npTPixiPsecQmX",
      "const apiToken = 'o19tWIFWspPvCgC3UBS15Rjk3P9G';",
      "  oauth_token: fbdeb86d3366a6e40260bf2e1c157156853bc8e4",
      'const sessionToken: string = "cDJbwnpUsBmDVbfu1s9mX5ogv9bz7sOqqxAbsMew";',
      '    val authToken: String = "1y6x3pX1CLf4KWT8W4jnAeBb"',
      'static AUTH_TOKEN: &\'static str = "RhYRad5gf5WQRUHlCHNmVePrOOPqDAs0";',
    ],
    negatives: [
      "token = getToken()",
      'token_type: "bearer"',
      '"access_token":"2YotnFZFEjr1zCsicMWpAA",',
      "AUTH_TOKEN=${AUTH_TOKEN}",
      "const token = this.authService.currentToken",
      // Publishable by design (Mapbox's public token), and so left alone by the Mapbox rule too.
      'const publicToken = "pk.eyJ1Ijo49TStGEQgTIwo5rVA6NcbhlVEG9aMTpHGRjw6dScx1CK96Vdch.Wo19NsIZDev8Win2JKR3ka";',
      "type Token = string | undefined",
    ],
  }),
  genericAssignment({
    id: "generic-api-key-assignment",
    title: "Hard-coded API key",
    risk: "Usually gives the holder the owner's access to the service, billed and logged as the owner, until the key is rotated.",
    keys: ["api key", "apikey", "access key", "auth key", "app key", "client key", "consumer key", "subscription key"],
    minLength: 16,
    minEntropy: 3.5,
    positives: [
      'API_KEY="4nH8nDV8jIvIjPIo56cYHKwrqa22ohSX"',
      "  apiKey: e-FhMcAzsED08BLaOcDD6rhBFHwda7y3xLBVj_4L",
      'Ocp-Apim-Subscription-Key: qvs9VlBLdGrym9omXpcYRcn98sCueLvh',
      "consumer_key = '62T60bsfrJTEI3ilgxo7LvkAB'",
      "api_key: ea9c69b2ac2aff903548b97e8f0ab98a",
      "HEROKU_API_KEY=fbdeb86d3366a6e40260bf2e1c157156853bc8e4",
      '\tpaymentsApiKey string = "RhYRad5gf5WQRUHlCHNmVePrOOPqDAs0"',
      'let apiKey: String = "hnabk8B4HFXymgFh7Qm2"',
      '    String apiKey = "1y6x3pX1CLf4KWT8W4jnAeBb";',
      "$_ENV['MAPS_API_KEY'] = 'Zk3Qw9Lm2Xp7Rt4Vn8Bc1Hd6';",
    ],
    negatives: [
      'API_KEY="YOUR_API_KEY_HERE"',
      "apiKey: process.env.API_KEY",
      'api_key = "d8eee62c-ffd7-050f-b712-05c3bad31604"',
      "access_key_id_length = 20",
      'publishableApiKey: "pk_test_51OTK2SCrqRQH00erP9idehWB58bMoWGtFAzZcQJ1D2YD5AnYcYHL1L0l7atrh1uTmCfffxLW29EBL8XDSbAsagGeUrcvMXPrn"',
      "apiKey: Buffer|Uint8Array|ApiKeyObject",
      "api_key = fs.readFileSync(keyPath)",
    ],
  }),
  genericAssignment({
    id: "generic-private-key-assignment",
    title: "Hard-coded private, signing or encryption key",
    risk: "Lets someone forge the tokens, signatures or sessions the application trusts, or decrypt the data it protects with the key.",
    keys: ["private key", "privatekey", "signing key", "encryption key", "master key"],
    minLength: 16,
    minEntropy: 3.5,
    positives: [
      'ENCRYPTION_KEY="QAqv5I+j3/ecPpdi0dM0l5UdS6VHG72Apfr+fQA3pOxD"',
      "  signingKey: XzjIu9B55fxsmVToRgyEkbt4XjCZlYjDk1Q1GpH4",
      'privateKey = "YrkyuHnHQ1sVYIfy7TqVaUZ3VhPtiF+bilkW0CDy/WrR9lIkJQq9wyhn5nOhgxIH"',
      // A 256-bit key written as hex: hash-shaped, but its name says what it is.
      'encryption_key = "b38450ccc718512ec7f966adc5f73a0ee4d648da134fb784916d23d07c938012"',
    ],
    negatives: ['privateKey = fs.readFileSync("./key.pem")', "private_key_path: /etc/ssl/private/app.key", "const signingKey = crypto.createPrivateKey(pem)"],
  }),
  {
    // A key name of its own, but in generic.ts as a matter of value syntax: salts are 64 characters
    // of almost all printable ASCII, spaces, `{}<>` and `,;` included, that no assignment value
    // class can take whole. Quotes and line breaks are the only characters WordPress leaves out.
    id: "wordpress-auth-key-salt",
    provider: "WordPress",
    title: "WordPress authentication key or salt",
    risk: "Signs the site's login cookies and nonces: with read access to the database as well (wp-config.php usually leaks with its DB_PASSWORD), someone can forge a logged-in session for any user, admins included.",
    pattern: /\bdefine\s{0,4}\(\s{0,4}["'](?:SECURE_AUTH|LOGGED_IN|AUTH|NONCE)_(?:KEY|SALT)["']\s{0,4},\s{0,16}["'](?<secret>[^"'\n]{16,200})["']\s{0,4}\)/,
    keywords: ["auth_key", "auth_salt", "logged_in_key", "logged_in_salt", "nonce_key", "nonce_salt"],
    minEntropy: 3.5,
    // wp-config-sample.php's own text, shipped with every copy of WordPress.
    allow: ["put your unique phrase here"],
    severity: "medium",
    remediation:
      "Generate new keys and salts at https://api.wordpress.org/secret-key/1.1/salt/ and replace all eight in wp-config.php (this logs every user out), then keep wp-config.php out of the repository.",
    samples: {
      positives: [
        "define( 'AUTH_KEY',         'bkt53_r.@~k-}{[1nH5J~X_t[vp[reO)ip2RP%G4RQWr&v.5=]cp.`(pWNj=W+b0' );",
        "define('SECURE_AUTH_SALT', 'Ld|4]x v@5+Vlqr&&+L+v+7@NRSi=H`V?)yt{b@@Xe&jjwDy2,}3gaD4 JYWyQxzEWF@an~m$');",
        'define("NONCE_KEY", "Xe&jjwDy2,}3gaD4JYWyQx zEWF@an~m$@3+Vlqr&&+L<v+7@NRSi=H`V?)yt{b@");',
      ],
      negatives: ["define( 'AUTH_KEY',         'put your unique phrase here' );", "define( 'AUTH_KEY', getenv( 'WP_AUTH_KEY' ) );", "define( 'LOGGED_IN_SALT', '' );"],
    },
  },
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

