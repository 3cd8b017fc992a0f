/**
 * Password hashes: not credentials themselves, but whoever has one can guess the password offline
 * at billions of tries per second for the fast ones (MD5-crypt, LDAP `{SHA}`, NTLM), so a leaked
 * hash of a weak or reused password is a leaked password. NTLM hashes are worse: Windows accepts
 * the hash itself in place of the password (pass-the-hash), so they are `high`.
 *
 * Every format here announces itself (`$2b$`, `$6$`, `{SSHA}`, `pbkdf2_sha256$`, a pwdump line),
 * and the crypt formats are checked for the digest's leftover bits (validators/crypt-hash.ts), so
 * made-up look-alikes in documentation (`$6$salt$hash`, `$2b$10$...`) and shell arguments (`"$1$2"`)
 * are not reported. Files whose every line is `user:hash` (shadow copies, `.htpasswd`, FTP user
 * files) also report the formats that do not announce themselves, such as DES crypt.
 *
 * Known limits: unsalted hex digests (MD5, SHA-1 of a password) in SQL dumps look like any other
 * checksum and are not reported; hashes in test fixtures are found and lowered by the check's
 * test-path handling, like any other finding.
 */
import type { SecretRule } from "../rule.js";
import { prefixedToken, type PrefixedToken } from "./define.js";
import { hasCanonicalCryptDigest, isCanonicalBcrypt, isLdapPasswordHash } from "../validators/crypt-hash.js";

const PROVIDER = "Password hash";
/** crypt(3)'s base64 alphabet, and the end of a value written in it. */
const C = "[./A-Za-z0-9]";
const END = "(?:[^./A-Za-z0-9]|$)";
const OFFLINE_RISK = "Lets anyone who reads it guess the password offline, without rate limits or lockout";
const REMEDIATION =
  "Change the password of every account whose hash was committed (the hash stays in git history) and keep user databases and dumps out of the repository: https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html";

/** A hash format: `prefixedToken`'s shape, with this family's provider, fix, entropy and severity filled in. */
type HashFormat = Omit<PrefixedToken, "provider" | "remediation" | "minEntropy">;

function passwordHash(format: HashFormat): SecretRule {
  // Salt and digest are random; filler (`$6$xxxxxxxx$...`) is not: hence 3.5 bits per character.
  return prefixedToken({ ...format, provider: PROVIDER, remediation: REMEDIATION, minEntropy: 3.5, severity: format.severity ?? "medium" });
}

export const passwordHashRules: readonly SecretRule[] = [
  passwordHash({
    id: "bcrypt-password-hash",
    title: "bcrypt password hash",
    risk: `${OFFLINE_RISK}; bcrypt is slow to attack, but common and reused passwords still fall within hours.`,
    pattern: new RegExp(`(?<secret>\\$2[aby]\\$(?:0[4-9]|[12][0-9]|3[01])\\$${C}{53})${END}`),
    keywords: ["$2a$", "$2b$", "$2y$"],
    redactPrefix: "$2b$",
    validate: isCanonicalBcrypt,
    // The example hash of "U*U" from the OpenBSD and Spring Security documentation.
    allow: ["N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"],
    positives: [
      "INSERT INTO users (email, password_hash) VALUES ('ops@acme.dev', '$2b$12$gSWHRaCp36BvZYRBGSJFJefiRe6tfXpBFHyc0QiqCja.uSSf5z8tC');",
      "  encrypted_password: \"$2a$11$ol3cFIQwmrTlxvAp4SV2tuCAd.4dxQh0FrvhQSg0RgpH9P2VNWQ5i\"",
      "admin:$2y$10$Qg2Iy1SomE/LbiBjuxI8hu4MOGVZiB2n.F43PMWAmScBqTolNBemG",
    ],
    negatives: [
      "password_hash: $2b$10$...",
      "// bcrypt hashes look like $2b$12$<22 chars of salt><31 chars of hash>",
      "hash = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'",
      // Last salt character outside `.Oeu`: no bcrypt encoder writes this.
      "admin:$2y$10$Qg2Iy1SomE/LbiBjuxI8hv4MOGVZiB2n.F43PMWAmScBqTolNBemG",
      "truncated: $2b$12$gSWHRaCp36BvZYRBGSJFJefiRe6tfXpBFHyc0Qiq",
    ],
  }),
  passwordHash({
    id: "sha512-crypt-password-hash",
    title: "SHA-512 crypt password hash ($6$)",
    risk: `${OFFLINE_RISK}; it is the usual Linux \`/etc/shadow\` format, so it often belongs to a root or deploy account.`,
    pattern: new RegExp(`(?<secret>\\$6\\$(?:rounds=[0-9]{1,9}\\$)?${C}{1,16}\\$${C}{86})${END}`),
    keywords: ["$6$"],
    redactPrefix: "$6$",
    validate: hasCanonicalCryptDigest,
    positives: [
      "root:$6$.qQOt9kAsdz1fORL$GDoPTlQD9.p9cKEBrio0pRHW//TN8WgQHPG4ONBi2xdkbOWpba6yBHtNF03VaJj9oiuNmGfgH.zUQ1mj2GEO01:19750:0:99999:7:::",
      "    passwd: $6$rounds=656000$SGztxAjApqVY$wvuJUmPHrA.uQm6UkaelCoNgMmWBK7zLFy/VH0NwbdlGDt4/i7HxF02boxzgsvh6sV1e26G8IZb/ovk8uTz4H.",
    ],
    negatives: [
      "# the hash field reads $6$salt$hash",
      'fmt.Sprintf("$6$%s$%s", salt, encoded)',
      // Last character `2` carries more than the two leftover bits.
      "root:$6$jLGAY5h5uDG8WnUy$mzfl/1A4NOzfm3mM0KXxermgCNRoVCPvb3OPZJRkqNodmeMoGt495QaFZJmADEZHqPYBeWTKr4wRxwOwN4Ng22:19750:0:99999:7:::",
    ],
  }),
  passwordHash({
    id: "sha256-crypt-password-hash",
    title: "SHA-256 crypt password hash ($5$)",
    risk: `${OFFLINE_RISK}; a Linux \`/etc/shadow\` format, often of a root or service account.`,
    pattern: new RegExp(`(?<secret>\\$5\\$(?:rounds=[0-9]{1,9}\\$)?${C}{1,16}\\$${C}{43})${END}`),
    keywords: ["$5$"],
    redactPrefix: "$5$",
    validate: hasCanonicalCryptDigest,
    positives: ["deploy:$5$ruY2/PrlI0atOAWI$TVp4pc2hGwFDvgE2rNhxkorgkHqm9UI6CCCXbva21N2:19750:0:99999:7:::", 'password = "$5$LaB4/RUSEKOvQlcJ$KMk32l9tReJHh9Gjbc.iPm4a905SxrfKzBHI9Dsfb99"'],
    negatives: ["usermod -p '$5$salt$hash' deploy", "deploy:$5$ruY2/PrlI0atOAWI$TVp4pc2hGwFDvgE2rNhxkorgkHqm9UI6CCCXbva21Nz:19750:0:99999:7:::"],
  }),
  passwordHash({
    id: "yescrypt-password-hash",
    title: "yescrypt password hash ($y$)",
    risk: `${OFFLINE_RISK}; it is the default \`/etc/shadow\` format of current Debian, Ubuntu and Fedora, so it is usually a login account's.`,
    pattern: new RegExp(`(?<secret>\\$y\\$${C}{1,16}\\$${C}{1,86}\\$${C}{43})${END}`),
    keywords: ["$y$"],
    redactPrefix: "$y$",
    validate: hasCanonicalCryptDigest,
    positives: ["ubuntu:$y$j9T$InqR370jhX1MXn04sZLHr0$VmZ.HYXB3DARPWcQ2EFISc.lmVNM8R3OTc630vMs/85:19750:0:99999:7:::", "  hashed_passwd: $y$j9T$dot8EWjm7uQiSIyfQQtDI0$mCzymgvdBWwdpa310g73beH42RV0.VUKGBqWfNA9kD0"],
    negatives: [
      "# yescrypt hashes start with $y$j9T$",
      'echo "$x$y$z"',
      // Last character `z` carries more than the digest's four leftover bits.
      "ubuntu:$y$j9T$InqR370jhX1MXn04sZLHr0$VmZ.HYXB3DARPWcQ2EFISc.lmVNM8R3OTc630vMs/8z:19750:0:99999:7:::",
    ],
  }),
  passwordHash({
    id: "md5-crypt-password-hash",
    title: "MD5-crypt password hash ($1$)",
    risk: `${OFFLINE_RISK}; MD5-crypt is fast to attack, so most human-chosen passwords behind it are recovered within days.`,
    pattern: new RegExp(`(?<secret>\\$1\\$${C}{1,8}\\$${C}{22})${END}`),
    keywords: ["$1$"],
    redactPrefix: "$1$",
    validate: hasCanonicalCryptDigest,
    positives: ["admin:$1$V7AH3Z6C$WJFqeFGjsQ0aJ1rMi3RfQ/:18000:0:99999:7:::", " username admin secret 5 $1$sInJCD/5$k0tzz9y1aWe2SbWdgQV3L/"],
    negatives: ['echo "$1$2$3"', 'mv "$1$SUFFIX$target" /tmp', "admin:$1$V7AH3Z6C$WJFqeFGjsQ0aJ1rMi3RfQz:18000:0:99999:7:::"],
  }),
  passwordHash({
    id: "apache-apr1-password-hash",
    title: "Apache APR1-MD5 password hash ($apr1$)",
    risk: `${OFFLINE_RISK}; \`.htpasswd\` entries like this protect admin areas and are recovered quickly, MD5 being fast to attack.`,
    pattern: new RegExp(`(?<secret>\\$apr1\\$${C}{1,8}\\$${C}{22})${END}`),
    keywords: ["$apr1$"],
    redactPrefix: "$apr1$",
    validate: hasCanonicalCryptDigest,
    positives: ["admin:$apr1$maloT3Ca$Oh8osXzDZAHLGCIfu4v.00", "  basic_auth_users: 'ops:$apr1$3.cyzbi/$WIVRHmdNFZiUaK7ohLYy3.'"],
    negatives: ["htpasswd output looks like user:$apr1$salt$hash", "admin:$apr1$maloT3Ca$Oh8osXzDZAHLGCIfu4v.0x"],
  }),
  passwordHash({
    id: "argon2-password-hash",
    title: "Argon2 password hash ($argon2id$)",
    risk: `${OFFLINE_RISK}; Argon2 is slow to attack, but common and reused passwords behind it still fall.`,
    pattern: /(?<secret>\$argon2(?:id|i|d)\$(?:v=[0-9]{1,3}\$)?m=[0-9]{1,10},t=[0-9]{1,5},p=[0-9]{1,3}\$[A-Za-z0-9+/]{11,88}\$[A-Za-z0-9+/]{16,172})(?:[^A-Za-z0-9+/]|$)/,
    keywords: ["$argon2"],
    redactPrefix: "$argon2id$",
    positives: [
      "password_hash = '$argon2id$v=19$m=65536,t=3,p=4$ml4sXzYP1+PUn6jz0lfsZg$oPOXRXjidc6Gq8hjm2laJK+I9xa4v6MuMnxuR5lNHC0'",
      '{"user": "svc-backup", "hash": "$argon2i$v=19$m=4096,t=3,p=1$mpuJU/FjBt3+/XTY0H47NQ$49HxrUzFPTiv+ilgH6q8zn+Yto8tmHECvtfVpWiz5vY"}',
    ],
    negatives: ["// format: $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>", "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$..."],
  }),
  passwordHash({
    id: "django-pbkdf2-password-hash",
    title: "Django PBKDF2 password hash",
    risk: `${OFFLINE_RISK}; found in Django fixtures and database dumps, often of the site's superuser.`,
    pattern: /(?<secret>pbkdf2_sha(?:256\$[0-9]{4,8}\$[A-Za-z0-9./+]{4,128}\$[A-Za-z0-9+/]{43}=|1\$[0-9]{4,8}\$[A-Za-z0-9./+]{4,128}\$[A-Za-z0-9+/]{27}=))(?:[^A-Za-z0-9+/=]|$)/,
    keywords: ["pbkdf2_sha"],
    redactPrefix: "pbkdf2_sha256$",
    positives: [
      '    "password": "pbkdf2_sha256$870000$x44ZpoiPPEJbEBjb7MHKru$hYNqaACYpKENVN3FohJgFH+4kI+CUiOwzCWksiKiHtY=",',
      "1\tadmin\tpbkdf2_sha256$600000$Yi5bidK8AQJ2imwyrJ2rvS$n+dJG8htmhug0StN2fmiImQU+md0aNDkMF/+ynxzuUc=\t2026-01-01",
    ],
    negatives: ['algorithm = "pbkdf2_sha256"', '"password": "pbkdf2_sha256$870000$salt$hash"'],
  }),
  passwordHash({
    id: "ldap-password-hash",
    title: "LDAP or htpasswd password hash ({SSHA}, {SHA})",
    risk: `${OFFLINE_RISK}; a single round of SHA or MD5 is the fastest kind to attack, so most passwords behind it are recovered.`,
    pattern: /(?<secret>\{S?(?:MD5|SHA1?|SHA256|SHA384|SHA512)\}[A-Za-z0-9+/]{20,200}={0,2})(?:[^A-Za-z0-9+/=]|$)/i,
    keywords: ["{sha", "{ssha", "{md5", "{smd5"],
    redactPrefix: "{SSHA}",
    validate: isLdapPasswordHash,
    positives: ["userPassword: {SSHA}ata2L2wdKFLMEHq5tsHmGP4M8Ivg3BDP", "backup:{SHA}CvxZlEArv6H09H/68oQhdPPQsBk=", "olcRootPW: {SSHA512}DMlVVL2Z5PNYWLKObynNXeczyBji5fMJcgvXh0qkWG/t3vkNhZmTK8T0QnyoPOiXABlWqIWqrJrOptyWSZFd/KL0KCpuOz5b"],
    // A {SHA} value must decode to exactly 20 bytes; this one is 21.
    negatives: ["userPassword: {SSHA}<base64 of digest and salt>", "backup:{SHA}CvxZlEArv6H09H/68oQhdPPQsBkx", "# generate with: slappasswd -h {SSHA}"],
  }),
  passwordHash({
    id: "ntlm-pwdump-hash",
    title: "NTLM password hash (pwdump line)",
    risk: "Windows accepts the NT hash in place of the password (pass-the-hash), so it logs in as the account at once, and fast cracking recovers the password too.",
    // user:RID:LM:NT::: as written by pwdump, secretsdump and Metasploit's hashdump.
    pattern: /(?:^|[\s"'>])[^:\s"']{1,64}:[0-9]{1,10}:(?<secret>[0-9A-Fa-f]{32}:[0-9A-Fa-f]{32}):::/,
    keywords: [":::"],
    redactPrefix: "aad3b435b51404eeaad3b435b51404ee:",
    severity: "high",
    // The NT hash of the empty password: a disabled or blank account, nothing to recover.
    validate: (secret) => !secret.toLowerCase().endsWith(":31d6cfe0d16ae931b73c59d7e0c089c0"),
    positives: [
      "Administrator:500:aad3b435b51404eeaad3b435b51404ee:4b6a3bf01cad659a95d88109caa08ff8:::",
      "ACME\\svc-sql:1107:aad3b435b51404eeaad3b435b51404ee:60b5f5a8896a6a3a7c344876587cff92:::",
    ],
    negatives: [
      "Guest:501:aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0:::",
      "Administrator:500:<LM hash>:<NT hash>:::",
      "daemon:*:19750:0:99999:7:::",
    ],
  }),
  {
    id: "password-file-hash",
    provider: PROVIDER,
    title: "Password hash in a shadow, .htpasswd or FTP user file",
    risk: "Each `user:hash` line lets anyone who reads it guess that user's password offline; old formats such as DES crypt fall in minutes.",
    // Every line of these files is `user:hash[:...]`, so the file says what the field is; the
    // formats with a marker of their own are claimed first by the rules above.
    pattern: /^[^:\s#]{1,64}:(?<secret>[^:\s]{13,300})(?::|$)/,
    keywords: [],
    paths: /(?:^|\/)(?:(?:shadow|gshadow|master\.passwd)(?:-|\.bak|\.old|\.orig)?|(?:[^/]*\.)?htpasswd|(?:ftpd|pureftpd|pure-ftpd|proftpd)\.passwd)$/,
    minEntropy: 2.8,
    validate: isPasswordFileHash,
    severity: "medium",
    remediation: REMEDIATION,
    samples: {
      path: "etc/shadow",
      positives: ["legacy:q25ppYlmEYD8U:19750:0:99999:7:::", "ftpuser:_J9..rsV5Mv2tGZxTmdw:1001:1001::/srv/ftp:/bin/false"],
      negatives: ["daemon:*:19750:0:99999:7:::", "nobody:!:19750::::::", "locked:!!:19750:0:99999:7:::", "# generated by useradd"],
    },
  },
];

/**
 * A hash field of a `user:hash` file: DES crypt (13 characters), BSDi extended DES (`_` + 19),
 * or another marked crypt or `{SCHEME}` format none of the rules above knows. Locked and
 * disabled accounts (`*`, `!`, `x`) have none.
 */
function isPasswordFileHash(field: string): boolean {
  const hash = field.replace(/^!/, "");
  if (/^[./A-Za-z0-9]{13}$/.test(hash)) return true;
  if (/^_[./A-Za-z0-9]{19}$/.test(hash)) return true;
  return /^(?:\$[a-z0-9]{1,10}\$|\{[A-Za-z0-9-]{2,20}\})[^\s]{16,}$/.test(hash);
}
