/**
 * Rules for files whose format says the value is a credential, through the real secrets check:
 * each rule's samples under its own path and under a path it does not name, and one fixture per
 * format in the tool's real layout (test/fixtures/secrets/credential-files/), whose values are
 * generated at test time. Findings are asserted by rule id, line and redacted evidence.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { encodeJetBrainsPassword } from "../../../../src/checks/secrets/credential-files/jetbrains-password.js";
import { credentialFileRules } from "../../../../src/checks/secrets/rules/credential-files.js";
import { addedFile, BASE62, BASE64, randomFrom, secretsCheckDrafts } from "../harness.js";

const FIXTURES = new URL("../../../fixtures/secrets/credential-files/", import.meta.url);
const FAMILY = new Set(credentialFileRules.map((rule) => rule.id));

const findingsOf = secretsCheckDrafts;

const scanText = (path: string, text: string) => findingsOf([addedFile(path, text.split("\n"))]);

describe("credential-file rules: samples through the check", () => {
  for (const rule of credentialFileRules) {
    describe(rule.id, () => {
      const path = rule.samples.path!;

      it("names the sample path, anchored at a path segment", () => {
        expect(rule.paths!.test(path)).toBe(true);
        expect(rule.paths!.test(`deep/er/${path}`)).toBe(true);
        const base = path.split("/").pop()!;
        expect(rule.paths!.test(`${path}.bak`), "the name must end the path").toBe(false);
        expect(rule.paths!.test(`x${base}`), "the name must start a segment").toBe(false);
      });

      it("reports each positive once, at its line, with redacted evidence", async () => {
        for (const positive of rule.samples.positives) {
          const found = (await scanText(path, positive)).filter((f) => f.ruleId === rule.id);
          expect(found, positive.slice(0, 80)).toHaveLength(1);
          // A sample spread over lines ends with the value's line.
          expect(found[0]!.startLine).toBe(positive.split("\n").length);
          expect(found[0]!.evidence).toMatch(/….*\(\d+ chars\)$/);
          expect(found[0]!.confidence).toBe("high");
        }
      });

      it("reports none of its negatives", async () => {
        for (const negative of rule.samples.negatives) {
          const found = (await scanText(path, negative)).filter((f) => f.ruleId === rule.id);
          expect(found, negative.slice(0, 80)).toEqual([]);
        }
      });

      it("reports nothing in a file its paths do not name", async () => {
        for (const positive of rule.samples.positives) {
          const found = (await scanText("docs/notes.txt", positive)).filter((f) => f.ruleId === rule.id);
          expect(found, positive.slice(0, 80)).toEqual([]);
        }
      });
    });
  }
});

/** Weak passwords: a format rule reports them all the same. */
const WEAK = ["hunter2", "Summer2024!", "letmein1", "qwerty7"];

function sdrValue(): string {
  const ciphertext = randomBytes(16);
  const inner = Buffer.concat([Buffer.from("301406082a864886f70d0307", "hex"), Buffer.from([0x04, 0x08]), randomBytes(8), Buffer.from([0x04, 16]), ciphertext]);
  const body = Buffer.concat([Buffer.from([0x04, 0x10, 0xf8]), Buffer.alloc(14), Buffer.from([0x01]), inner]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString("base64");
}

interface Filled {
  readonly text: string;
  /** The value put in at each 1-based line (the decoded password for encoded formats). */
  readonly values: Map<number, string[]>;
}

/** Replaces the fixture's markers with values made now (README.md in the fixtures folder). */
function fill(template: string): Filled {
  const values = new Map<number, string[]>();
  const lines = template.split("\n").map((line, i) =>
    line.replace(/@@([A-Z0-9_]+)@@/g, (_whole, marker: string) => {
      const password = marker === "WEAK" ? WEAK[randomBytes(1)[0]! % WEAK.length]! : randomFrom(BASE62, 12) + "!" + randomFrom(BASE62, 5);
      let written: string;
      switch (marker) {
        case "PASSWORD":
        case "WEAK":
          written = password;
          break;
        case "PASSWORD_PGPASS":
          written = password.replace("!", "\\:");
          break;
        case "PASSWORD_BASE64":
          written = Buffer.from(password).toString("base64");
          break;
        case "PASSWORD_JETBRAINS":
          written = encodeJetBrainsPassword(password);
          break;
        case "HEX32":
          written = randomBytes(16).toString("hex");
          break;
        case "JENKINS":
          written = `{AQAAABAAAAAQ${randomFrom(BASE64, 40)}=}`;
          break;
        case "SDR":
          written = sdrValue();
          break;
        case "ACCESS_KEY":
          return `ACME${randomFrom(BASE62, 16)}`;
        default:
          throw new Error(`unknown marker ${marker}`);
      }
      values.set(i + 1, [...(values.get(i + 1) ?? []), written]);
      return written;
    }),
  );
  return { text: lines.join("\n"), values };
}

interface Fixture {
  readonly file: string;
  /** Where it is scanned: a path its rule names. */
  readonly path: string;
  readonly rules: readonly string[];
  /** Lines reported; default every line with a value marker. */
  readonly lines?: readonly number[];
  /**
   * Rules outside this family that find the same values in any file and run first (config-files'
   * multiline `netrc-password`, `basic-auth-url` before this family in the table): a strong value
   * may be theirs, still reported once.
   */
  readonly sharedWith?: readonly string[];
}

const FIXTURE_LIST: readonly Fixture[] = [
  { file: "netrc", path: "home/dev/.netrc", rules: ["netrc-file-password"] },
  { file: "pgpass", path: "home/dev/.pgpass", rules: ["pgpass-password"] },
  { file: "git-credentials", path: "home/dev/.git-credentials", rules: ["git-credentials-password"] },
  { file: "sitemanager.xml", path: "Users/dev/AppData/Roaming/FileZilla/sitemanager.xml", rules: ["filezilla-password", "filezilla-plain-password"] },
  { file: "sftp-config.json", path: "sftp-config.json", rules: ["sftp-sync-config-password"] },
  { file: "ftpconfig", path: "site/.ftpconfig", rules: ["sftp-sync-config-password"] },
  { file: "remote-sync.json", path: ".remote-sync.json", rules: ["sftp-sync-config-password"] },
  { file: "robo3t.json", path: "home/dev/.3T/robo-3t/1.4.4/robo3t.json", rules: ["robo3t-password"] },
  { file: "data-sources.json", path: "workspace6/General/.dbeaver/data-sources.json", rules: ["dbeaver-data-source-password"] },
  { file: "webServers.xml", path: ".idea/webServers.xml", rules: ["jetbrains-webservers-password"] },
  { file: "esmtprc", path: "home/dev/.esmtprc", rules: ["esmtprc-password"] },
  { file: "ventrilo_srv.ini", path: "opt/ventrilo/ventrilo_srv.ini", rules: ["ventrilo-password"] },
  { file: "irssi-config", path: "home/dev/.irssi/config", rules: ["irssi-password"] },
  { file: "servlist.conf", path: "home/dev/.config/hexchat/servlist.conf", rules: ["hexchat-password"] },
  { file: "irc.conf", path: "home/dev/.config/weechat/irc.conf", rules: ["weechat-password"] },
  { file: "master.key", path: "config/master.key", rules: ["rails-master-key"] },
  { file: "s3cfg", path: "home/dev/.s3cfg", rules: ["s3cfg-secret-key"] },
  { file: "boto", path: "home/dev/.boto", rules: ["boto-secret-key", "boto-gcs-credential"] },
  { file: "credentials.xml", path: "var/lib/jenkins/credentials.xml", rules: ["jenkins-credentials-secret"] },
  // Reported once per file, at the first encrypted password.
  { file: "logins.json", path: "home/dev/.mozilla/firefox/k3x9.default-release/logins.json", rules: ["firefox-saved-logins"], lines: [1] },
];

describe("credential-file rules: one fixture per format, end to end", () => {
  it("covers every rule", () => {
    expect(new Set(FIXTURE_LIST.flatMap((f) => f.rules))).toEqual(FAMILY);
  });

  for (const fixture of FIXTURE_LIST) {
    it(`${fixture.file}: its stored values, once each, at their lines, redacted`, async () => {
      const { text, values } = fill(readFileSync(new URL(fixture.file, FIXTURES), "utf8").replace(/\n$/, ""));
      const expected = fixture.lines ?? [...values.keys()];
      const findings = await scanText(fixture.path, text);
      const owners = new Set([...fixture.rules, ...(fixture.sharedWith ?? [])]);
      const reported = findings.filter((f) => FAMILY.has(f.ruleId) || owners.has(f.ruleId));
      expect(reported.map((f) => f.startLine).sort((a, b) => a - b)).toEqual(expected);
      // Weak values are this family's to find where no other rule shares the format.
      for (const [line, written] of values) {
        if (!fixture.sharedWith && written.some((value) => WEAK.includes(value))) expect(reported.find((f) => f.startLine === line)?.ruleId, `${fixture.file}:${line}`).toMatch(new RegExp(`^(?:${fixture.rules.join("|")})$`));
      }
      for (const finding of reported) {
        expect([...owners]).toContain(finding.ruleId);
        // One finding per value: no other rule reports the same line again.
        expect(findings.filter((f) => f.startLine === finding.startLine), `${fixture.file}:${finding.startLine}`).toHaveLength(1);
        for (const value of values.get(finding.startLine) ?? []) expect(finding.evidence).not.toContain(value);
        expect(finding.evidence).toMatch(/….*\(\d+ chars\)$/);
        expect(finding.severity).toBe(credentialFileRules.find((r) => r.id === finding.ruleId)?.severity ?? finding.severity);
      }
      // The same file under a path no rule names: none of these rules run.
      const elsewhere = await scanText(`docs/examples/${fixture.file}.txt`, text);
      expect(elsewhere.filter((f) => FAMILY.has(f.ruleId))).toEqual([]);
    });
  }
});

describe("credential-file rules: who owns a value", () => {
  it("a weak .netrc password is this family's (the format decides), and nothing elsewhere", async () => {
    const text = "machine git.acme.dev\n  login ci-bot\n  password hunter2";
    expect((await scanText("home/dev/.netrc", text)).map((f) => [f.ruleId, f.startLine, f.severity])).toEqual([["netrc-file-password", 3, "high"]]);
    expect(await scanText("docs/setup.md", text)).toEqual([]);
  });

  it("a strong .netrc password, also matched by config-files' netrc-password, is reported once", async () => {
    const token = randomFrom(BASE62, 24);
    const found = await scanText("home/dev/.netrc", `machine git.acme.dev\n  login ci-bot\n  password ${token}`);
    expect(found.map((f) => [f.ruleId, f.startLine])).toEqual([["netrc-file-password", 3]]);
  });

  it("a .git-credentials line with `@` and `#` in its password is taken whole, once", async () => {
    const found = await scanText("home/dev/.git-credentials", "https://deploy:p@ss#w0rd@github.com");
    expect(found.map((f) => [f.ruleId, f.startLine])).toEqual([["git-credentials-password", 1]]);
    expect(found[0]!.evidence).not.toContain("p@ss#w0rd");
    expect(found[0]!.evidence).toContain("(9 chars)");
  });

  it("a strong .git-credentials password, also matched by basic-auth-url, is reported once", async () => {
    const token = randomFrom(BASE62, 24);
    const found = await scanText("home/dev/.git-credentials", `https://ci-bot:${token}@git.acme.dev`);
    expect(found.map((f) => f.ruleId)).toEqual(["git-credentials-password"]);
    expect(found[0]!.evidence).not.toContain(token);
  });

  it("Firefox logins are medium: the key4.db that decrypts them is not in view", () => {
    expect(credentialFileRules.find((r) => r.id === "firefox-saved-logins")!.severity).toBe("medium");
  });

  it("a pretty-printed logins.json is still reported once", async () => {
    const entries = [1, 2, 3].map((id) => `    {\n      "id": ${id},\n      "encryptedUsername": "${sdrValue()}",\n      "encryptedPassword": "${sdrValue()}"\n    }`);
    const text = `{\n  "nextId": 4,\n  "logins": [\n${entries.join(",\n")}\n  ]\n}`;
    const found = (await scanText("profile/logins.json", text)).filter((f) => f.ruleId === "firefox-saved-logins");
    expect(found.map((f) => f.startLine)).toEqual([7]);
  });

  it("a hostile line costs no more than a linear pass", async () => {
    const lines = ["password " + "a".repeat(200_000), ":".repeat(100_000), "\\:".repeat(100_000), `https://u:${"@".repeat(50_000)}x`];
    const started = performance.now();
    for (const rule of credentialFileRules) await scanText(rule.samples.path!, lines.join("\n"));
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
