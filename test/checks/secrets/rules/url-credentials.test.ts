import { describe, expect, it } from "vitest";
import { connectionStringRules } from "../../../../src/checks/secrets/rules/connection-strings.js";
import { credentialUrlPattern, hasRealPassword, isRealPassword } from "../../../../src/checks/secrets/rules/url-credentials.js";
import { findings } from "./evaluate.js";

describe("isRealPassword", () => {
  it("accepts generated and human passwords", () => {
    expect(isRealPassword("kX9q2LmT7vR4")).toBe(true);
    expect(isRealPassword("hunter2-correct")).toBe(true);
  });

  it("takes a printf specifier for a template only where one ends, not inside a random value", () => {
    for (const value of ["W2srqW8xCrdI%dDneYW", "TTdEGFQKp3iz%dhE5Zw", "i1YcdppBGK0b%SQJiD4"]) {
      expect(isRealPassword(value), value).toBe(true);
    }
    for (const value of ["%s", "prefix-%s", "%d@db-host", "secret%s;", "%(password)s"]) {
      expect(isRealPassword(value), value).toBe(false);
    }
  });

  it("rejects placeholders, templates and references", () => {
    for (const value of ["password", "PASSWORD", "changeme", "${DB_PASSWORD}", "$DB_PASSWORD", "%s", "{{ pass }}", "<password>", "****", "xxxx", ":password", "your_password", "mypassword", "ab"]) {
      expect(isRealPassword(value), value).toBe(false);
    }
  });
});

describe("hasRealPassword", () => {
  it("splits user and password at the first colon", () => {
    expect(hasRealPassword("app:kX9q2LmT7vR4")).toBe(true);
    expect(hasRealPassword(":kX9q2LmT7vR4")).toBe(true);
    expect(hasRealPassword("app:pa:ss:word9")).toBe(true);
  });

  it("rejects defaults where the password repeats the user, and missing passwords", () => {
    expect(hasRealPassword("postgres:postgres")).toBe(false);
    expect(hasRealPassword("guest:guest")).toBe(false);
    expect(hasRealPassword("app")).toBe(false);
    expect(hasRealPassword("app:")).toBe(false);
    expect(hasRealPassword("anonymous:flab9Xq2")).toBe(false);
  });
});

describe("isRealPassword: documentation values", () => {
  it("rejects a word that names the field, but not a password that merely contains one", () => {
    for (const value of ["authpassword", "redisPassword", "dbsecret", "ADMINPASSWD"]) expect(isRealPassword(value), value).toBe(false);
    for (const value of ["authpassword9", "Kx8password!", "secretKx8vQ2"]) expect(isRealPassword(value), value).toBe(true);
  });

  it("rejects short values and filler runs", () => {
    for (const value of ["xyz", "abc12", "123456", "abcdefgh", "aaaaaaaa1", "secret-1234567890"]) expect(isRealPassword(value), value).toBe(false);
  });
});

describe("isRealPassword: URL encoding", () => {
  it("judges the decoded password", () => {
    expect(isRealPassword("he%2F%2Fo")).toBe(false);
    expect(isRealPassword("p%40ssw0rd")).toBe(false);
    expect(isRealPassword("kX9q%2F2LmT7")).toBe(true);
    expect(isRealPassword("100%pure9X")).toBe(true);
  });
});

describe("isRealPassword on passwords with symbols", () => {
  it("takes a leading $ % : or bracket for a reference only when a name or the whole value follows", () => {
    for (const value of ["$DB_PASSWORD", "%(db_pass)s", "%env(DB_PASS)%", "<YourStrong@Passw0rd>", "{{ db_pw }}", "${PW}", ":password", "$(cat /run/secrets/db)", "{UJfsE4Nv1mZuNapP83rT=}", "[redacted]"]) {
      expect(isRealPassword(value), value).toBe(false);
    }
    for (const value of ["[0POBR=2gVGHPHl&", ":LVvWy}pbkVJH3PR", "{0DHcEmrQ)Nb52?K", "$1}6Da0w$2-I{,NK", "%aThZ~31LF9ukssG", "<qn-6=&]1k,47}d"]) {
      expect(isRealPassword(encodeURIComponent(value)), value).toBe(true);
    }
  });

  it("rejects at most 0.5% of generated 16-character passwords with symbols", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%^&*()-_=+[]{}<>:;,.?~";
    let seed = 0x2545f491;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    const total = 10_000;
    let rejected = 0;
    for (let i = 0; i < total; i++) {
      let password = "";
      for (let j = 0; j < 16; j++) password += alphabet[Math.floor(next() * alphabet.length)];
      if (!isRealPassword(encodeURIComponent(password), "app")) rejected++;
    }
    expect(rejected).toBeLessThanOrEqual(total * 0.005);
  });
});

describe("credentialUrlPattern", () => {
  const https = credentialUrlPattern("https?");
  const secretOf = (text: string) => https.exec(text)?.groups?.secret;

  it("takes a password with unencoded `@` and `#` whole, up to the host", () => {
    expect(secretOf("https://jdoe:p@ss#w0rd9@git.acme.dev/")).toBe("jdoe:p@ss#w0rd9");
    expect(secretOf("git clone https://deploy:x@y@z#1@git.acme.dev/infra.git")).toBe("deploy:x@y@z#1");
    expect(secretOf("https://ci:Kx8vQ2mLp9Rw@pypi.acme.dev:8443/simple")).toBe("ci:Kx8vQ2mLp9Rw");
  });

  it("takes an e-mail address as the user, as .git-credentials lines have it", () => {
    expect(secretOf("https://jane.doe@acme.com:Kx8vQ2mLp9Rw@bitbucket.org")).toBe("jane.doe@acme.com:Kx8vQ2mLp9Rw");
    expect(secretOf("https://jane.doe%40acme.com:Kx8vQ2mLp9Rw@bitbucket.org")).toBe("jane.doe%40acme.com:Kx8vQ2mLp9Rw");
  });

  it("ends at the first whole host: a query or fragment with `@` later is not the password", () => {
    expect(secretOf("https://deploy:WGN1h1qR@git.acme.dev?notify=ops@acme.dev")).toBe("deploy:WGN1h1qR");
    expect(secretOf("https://deploy:WGN1h1qR@git.acme.dev#readme")).toBe("deploy:WGN1h1qR");
    expect(secretOf("see https://deploy:WGN1h1qR@git.acme.dev.")).toBe("deploy:WGN1h1qR");
  });

  it("needs a user and a password", () => {
    expect(secretOf("https://user@host.acme.dev:8080/path")).toBeUndefined();
    expect(secretOf("https://github.com/acme/api.git")).toBeUndefined();
    expect(credentialUrlPattern("redis", true).exec("redis://:eGYauqyTAxYE@cache:6379")?.groups?.secret).toBe(":eGYauqyTAxYE");
  });

  it("keeps every URL rule's samples when it replaces their pattern", () => {
    let checked = 0;
    for (const rule of connectionStringRules) {
      const schemes = /^\\b\(\?:(.+?)\):\\\/\\\/\(\?<secret>/.exec(rule.pattern.source)?.[1];
      if (!schemes) continue;
      checked++;
      const allowEmptyUser = rule.pattern.source.includes("{0,128}");
      const candidate = { ...rule, pattern: credentialUrlPattern(schemes, allowEmptyUser) };
      for (const positive of rule.samples.positives) expect(findings(candidate, positive), `${rule.id}: ${positive}`).toEqual(findings(rule, positive));
      for (const negative of rule.samples.negatives) expect(findings(candidate, negative), `${rule.id}: ${negative}`).toEqual([]);
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it("stays linear on adversarial input", () => {
    const started = performance.now();
    for (const unit of ["https://a:b@", "https://a@b:c@", "@#", "https://u:p@h#"]) https.exec(unit.repeat(20_000));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
