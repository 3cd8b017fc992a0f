/**
 * Password hash rules through the whole check: each format found at its line with its rule id and
 * redacted evidence; documentation shapes, shell arguments and look-alikes whose digest could not
 * come from an encoder are not. Hashes are generated here, never copied.
 */
import { randomBytes, randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretsCheck } from "../../../../src/checks/secrets/check.js";
import { compileSecretRule } from "../../../../src/checks/secrets/compiled-rule.js";
import { secretRules } from "../../../../src/checks/secrets/rules/index.js";
import { accepts } from "../../../../src/checks/secrets/scanner.js";
import { addedFile, scan } from "../harness.js";

const check = createSecretsCheck(secretRules);
const CRYPT = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BCRYPT = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";
const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join("");
const digest = (length: number, bits: number) => pick(CRYPT, length - 1) + CRYPT[randomInt(2 ** bits)];

const hashes = {
  bcrypt: () => `$2y$10$${pick(BCRYPT, 21)}${BCRYPT[16 * randomInt(4)]}${pick(BCRYPT, 30)}${BCRYPT[4 * randomInt(16)]}`,
  sha512: () => `$6$${pick(CRYPT, 16)}$${digest(86, 2)}`,
  sha256: () => `$5$rounds=80000$${pick(CRYPT, 16)}$${digest(43, 4)}`,
  md5: () => `$1$${pick(CRYPT, 8)}$${digest(22, 2)}`,
  apr1: () => `$apr1$${pick(CRYPT, 8)}$${digest(22, 2)}`,
  yescrypt: () => `$y$j9T$${pick(CRYPT, 22)}$${digest(43, 4)}`,
};

async function findingsIn(path: string, lines: readonly string[]) {
  return (await scan(check, [addedFile(path, lines)])).findings;
}

describe("password hash rules through the check", () => {
  it.each([
    ["bcrypt-password-hash", "db/seeds.sql", (h: string) => `INSERT INTO users VALUES (1, 'ops@acme.dev', '${h}');`, hashes.bcrypt],
    ["sha512-crypt-password-hash", "backup/etc/shadow", (h: string) => `root:${h}:19750:0:99999:7:::`, hashes.sha512],
    ["sha256-crypt-password-hash", "ansible/users.yml", (h: string) => `    password: "${h}"`, hashes.sha256],
    ["md5-crypt-password-hash", "router/running-config", (h: string) => ` enable secret 5 ${h}`, hashes.md5],
    ["apache-apr1-password-hash", "site/.htpasswd", (h: string) => `admin:${h}`, hashes.apr1],
    ["yescrypt-password-hash", "cloud-init/user-data", (h: string) => `    hashed_passwd: ${h}`, hashes.yescrypt],
  ])("%s is reported at its line with redacted evidence", async (ruleId, path, line, make) => {
    const hash = make();
    const findings = await findingsIn(path, ["# users", line(hash)]);
    expect(findings.map((f) => [f.ruleId, f.startLine])).toEqual([[`secrets/${ruleId}`, 2]]);
    expect(findings[0]!.severity).toBe("medium");
    expect(findings[0]!.evidence).not.toContain(hash.slice(-20, -6));
  });

  it("reports an NTLM hash in a pwdump line as high, keeping the empty LM hash readable", async () => {
    const nt = pick(HEX, 32);
    const findings = await findingsIn("loot/hashes.txt", [`Administrator:500:aad3b435b51404eeaad3b435b51404ee:${nt}:::`]);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["secrets/ntlm-pwdump-hash", "high"]]);
    expect(findings[0]!.evidence).toMatch(/^aad3b435b51404eeaad3b435b51404ee:/);
    expect(findings[0]!.evidence).not.toContain(nt.slice(4, 20));
  });

  it("reports LDAP {SSHA} and Django PBKDF2 hashes", async () => {
    const ssha = `{SSHA}${randomBytes(24).toString("base64")}`;
    const django = `pbkdf2_sha256$870000$${pick(CRYPT.slice(2), 22)}$${randomBytes(32).toString("base64")}`;
    const findings = await findingsIn("ldap/users.ldif", [`userPassword: ${ssha}`, `  "password": "${django}",`]);
    expect(findings.map((f) => [f.ruleId, f.startLine])).toEqual([
      ["secrets/ldap-password-hash", 1],
      ["secrets/django-pbkdf2-password-hash", 2],
    ]);
  });

  it("reports each line of a shadow copy once, DES crypt included, and skips locked accounts", async () => {
    const lines = [`root:${hashes.sha512()}:19750:0:99999:7:::`, "daemon:*:19750:0:99999:7:::", `legacy:${pick(CRYPT, 13)}:19750:0:99999:7:::`, "svc:!:19750::::::", `locked:!${hashes.sha512()}:19750:0:99999:7:::`];
    const findings = await findingsIn("backup/shadow", lines);
    expect(findings.map((f) => [f.ruleId, f.startLine])).toEqual([
      ["secrets/sha512-crypt-password-hash", 1],
      ["secrets/password-file-hash", 3],
      ["secrets/sha512-crypt-password-hash", 5],
    ]);
  });

  it("does not read DES crypt in files that are not password files", async () => {
    expect(await findingsIn("src/users.txt", [`legacy:${pick(CRYPT, 13)}:19750:0:99999:7:::`])).toEqual([]);
  });

  it("ignores documentation shapes, format strings, shell arguments and impossible digests", async () => {
    const sha512 = hashes.sha512();
    const lines = [
      "password_hash: $2b$10$...",
      "# the hash field reads $6$salt$hash",
      'fmt.Sprintf("$6$%s$%s", salt, encoded)',
      'sprintf($buf, "$1$%s$", $salt);',
      'echo "$1$2$3"',
      `root:${sha512.slice(0, -1)}z:19750:0:99999:7:::`,
      `short:${sha512.slice(0, 60)}`,
      "Guest:501:aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0:::",
      "userPassword: {SSHA}<base64 of digest and salt>",
    ];
    expect(await findingsIn("docs/passwords.md", lines)).toEqual([]);
  });
});

describe("password hash rules: recall on generated hashes", () => {
  // The entropy floor, placeholder heuristics and validators together must not drop real hashes.
  // (The crypt alphabet has `.`, so about 3 in 10,000 random hashes contain `...`, which the shared
  // placeholder list takes for an elision: the only loss, well under 0.1%.)
  it.each(Object.entries(hashes))("%s: at most 0.1 percent of 10,000 generated hashes is dropped", (name, make) => {
    const ruleId = {
      bcrypt: "bcrypt-password-hash",
      sha512: "sha512-crypt-password-hash",
      sha256: "sha256-crypt-password-hash",
      md5: "md5-crypt-password-hash",
      apr1: "apache-apr1-password-hash",
      yescrypt: "yescrypt-password-hash",
    }[name]!;
    const rule = compileSecretRule(secretRules.find((r) => r.id === ruleId)!);
    let dropped = 0;
    for (let n = 0; n < 10_000; n++) {
      const line = `user:${make()}:19750:0:99999:7:::`;
      const found = rule.find(line);
      if (found.length !== 1 || !accepts(rule, found[0]!.secret, line)) dropped++;
    }
    expect(dropped).toBeLessThanOrEqual(10);
  });
});
