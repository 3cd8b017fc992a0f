import { describe, expect, it } from "vitest";
import { genericRules, looksGenerated } from "../../../../src/checks/secrets/rules/generic.js";
import { BASE62, randomFrom } from "../harness.js";
import { findings } from "./evaluate.js";

describe("looksGenerated (generic rules' value filter)", () => {
  it("accepts values that look generated", () => {
    for (const value of ["kX9q2LmT7vR4pZ8w", "aG9zdDpwYXNzd29yZDEyMw==", "Tr0ub4dor&3xyz"]) expect(looksGenerated(value), value).toBe(true);
  });

  it("leaves values with a vendor prefix to the vendor's rule", () => {
    expect(looksGenerated("ghp_kX9q2LmT7vR4pZ8wQ1sD3fG5hJ7kL9zX0cV2")).toBe(false);
    expect(looksGenerated("sk_live_kX9q2LmT7vR4pZ8wQ1sD3fG5")).toBe(false);
    expect(looksGenerated("xoxb-1234-5678-kX9q2LmT7vR4")).toBe(false);
  });

  it("rejects UUIDs, references, paths, URLs, words and numbers", () => {
    for (const value of [
      "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      "$SECRET_VALUE",
      "process.env.API_TOKEN",
      "secrets.API_TOKEN",
      "/run/secrets/api_token",
      "https://vault.acme.dev/v1/secret",
      "this.config.auth.token",
      "REPLACE_WITH_YOUR_TOKEN",
      "2026-01-01T00:00:00",
      "changeme",
    ]) {
      expect(looksGenerated(value), value).toBe(false);
    }
  });
});

describe("looksGenerated: values people write", () => {
  it("rejects words with separators or a trailing number", () => {
    for (const value of ["existingtoken123", "useraccesstoken123", "real-secret-6-levels", "my_app_key_2024", "Super.Secret.Value.42", "?NonExpressionParenEnd", "true|false", "read/write/admin1"]) {
      expect(looksGenerated(value), value).toBe(false);
    }
  });

  it("keeps random values that happen to contain a word", () => {
    expect(looksGenerated("token9Xq2LmT7vR4pZ8w")).toBe(true);
    expect(looksGenerated("x8f2k9q1m3n7p5r2")).toBe(true);
  });
});

describe("looksGenerated: URL query strings", () => {
  it("rejects a value that runs on into further query parameters", () => {
    expect(looksGenerated("sdlfkj452&state=ss345asyht&token_type=Bearer")).toBe(false);
    expect(looksGenerated("fO&jUyhbLCP2KC")).toBe(true);
  });
});

describe("looksGenerated: hash-shaped hex", () => {
  it("leaves hex of a hash length to the key name (judged with the line, in looksLikeNonSecret)", () => {
    for (const value of ["d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709"]) expect(looksGenerated(value), value).toBe(true);
  });
});

/** A key in Django's own alphabet (`get_random_secret_key`), which has brackets and most symbols. */
function djangoKey(): string {
  return randomFrom("abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)", 50);
}

describe("looksGenerated: Django keys and code", () => {
  it("accepts Django keys, whatever symbol they start with", () => {
    let rejected = 0;
    for (let i = 0; i < 2000; i++) if (!looksGenerated(`django-insecure-${djangoKey()}`) || !looksGenerated(djangoKey())) rejected++;
    // Printf-like runs (`%s@`, `%d-`) still occur by chance in about 0.6% of keys, so about 1.2% of
    // the pairs; before value judging learnt Django's alphabet it was 6.5%.
    expect(rejected).toBeLessThan(60);
    for (const start of ["$", "%", "@", "&", "*", "!"]) expect(looksGenerated(`${start}k0(3n@x!7^q&w=z2m*p%v$#y8r)b5t`), start).toBe(true);
  });

  it("rejects calls, subscripts and sigil references cut from code", () => {
    for (const value of ["fs.readFileSync(", "getToken()", "keys[", "getpass(prompt=", "password1)", "crypto.randomBytes(32)", "$this-", "@Value(", "$_ENV[", "*default_password", "&db_password"]) {
      expect(looksGenerated(value), value).toBe(false);
    }
  });

  it("rejects TypeScript unions of type names, but not a password with `&`", () => {
    expect(looksGenerated("Buffer|Uint8Array|Blob|string")).toBe(false);
    expect(looksGenerated("string|undefined")).toBe(false);
    expect(looksGenerated("fO&jUyhbLCP2KC")).toBe(true);
  });
});

describe("looksGenerated: publishable keys", () => {
  it("rejects keys their providers publish by design, and only those", () => {
    const body = randomFrom(BASE62, 40);
    for (const prefix of ["pk.", "pk_live_", "pk_test_", "sb_publishable_", "phc_", "sq0idp-", "FLWPUBK-"]) expect(looksGenerated(`${prefix}${body}`), prefix).toBe(false);
    expect(looksGenerated(`pkX${body}`)).toBe(true);
  });
});

describe("generic rules: quoted values are taken whole", () => {
  const rule = (id: string) => genericRules.find((r) => r.id === id)!;

  it("takes a Django SECRET_KEY with brackets and symbols up to its closing quote", () => {
    const key = `django-insecure-${djangoKey()}`;
    for (const quote of ["'", '"']) {
      if (!looksGenerated(key)) continue;
      expect(findings(rule("generic-secret-assignment"), `SECRET_KEY = ${quote}${key}${quote}`)).toEqual([key]);
    }
  });

  it("takes a WordPress salt with spaces, brackets, commas and semicolons, with any spacing", () => {
    const salt = `${randomFrom(BASE62, 20)} ]{<;,>}[ ${randomFrom(BASE62, 20)}|~^`;
    for (const line of [`define( 'AUTH_KEY',         '${salt}' );`, `define('SECURE_AUTH_SALT','${salt}');`, `define ( "NONCE_SALT" ,  "${salt}" ) ;`]) {
      expect(findings(rule("wordpress-auth-key-salt"), line), line).toEqual([salt]);
    }
  });
});
