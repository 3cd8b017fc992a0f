import { describe, expect, it } from "vitest";
import { hasRealPassword, isRealPassword } from "../../../../src/checks/secrets/rules/url-credentials.js";

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
