import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, githubBaseUrl, loadEnv, loadWorkerEnv } from "../../src/app/env.js";

// A real RSA key, as GitHub generates for an App (made here, never written anywhere).
const RSA_PEM = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
const minimal = { APP_ID: "123", PRIVATE_KEY: RSA_PEM, WEBHOOK_SECRET: "webhook-secret" };
const { WEBHOOK_SECRET: _secret, ...withoutSecret } = minimal;
const worker = { ...withoutSecret, REDIS_URL: "redis://:password@redis:6379" };

function problems(env: Record<string, string | undefined>, load: (env: Record<string, string | undefined>) => unknown = loadEnv): readonly string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadEnv", () => {
  it("fills pr-sentinel's defaults", () => {
    const env = loadEnv(minimal);
    expect(env).toMatchObject({
      APP_ID: "123",
      WEBHOOK_PATH: "/api/github/webhooks",
      PORT: 3000,
      GHE_PROTOCOL: "https",
      OSV_API_URL: "https://api.osv.dev",
      NPM_REGISTRY_URL: "https://registry.npmjs.org",
      WORKER_CONCURRENCY: 4,
      SHUTDOWN_GRACE_SECONDS: 25,
      PR_SENTINEL_VERIFY_SECRETS: false,
    });
  });

  it("names every missing or wrong variable at once", () => {
    const found = problems({ APP_ID: "12x", PORT: "99999", LOG_LEVEL: "loud", GHE_HOST: "https://ghe.example.com/api", WORKER_CONCURRENCY: "65", SHUTDOWN_GRACE_SECONDS: "0" });
    const names = found.map((p) => p.split(":")[0]);
    expect(names).toEqual(expect.arrayContaining(["APP_ID", "PRIVATE_KEY", "PORT", "LOG_LEVEL", "GHE_HOST", "WORKER_CONCURRENCY", "SHUTDOWN_GRACE_SECONDS"]));
  });

  it("reports a missing APP_ID by name", () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), "pr-sentinel-key-")), "app.pem");
    writeFileSync(keyFile, RSA_PEM);
    expect(problems({ PRIVATE_KEY_PATH: keyFile })).toEqual([expect.stringMatching(/^APP_ID: /)]);
  });

  it("refuses to start without the webhook secret in every NODE_ENV", () => {
    const missing = "WEBHOOK_SECRET: is missing; webhooks must be verified with the secret set on the GitHub App (APP_ID is set)";
    for (const NODE_ENV of [undefined, "production", "development", "test", "staging"]) {
      expect(problems({ ...withoutSecret, NODE_ENV }), String(NODE_ENV)).toEqual([missing]);
      expect(problems({ ...withoutSecret, NODE_ENV, WEBHOOK_SECRET: "s" }), String(NODE_ENV)).toEqual([]);
    }
    // Blank or whitespace only is no secret.
    expect(problems({ ...withoutSecret, WEBHOOK_SECRET: "" })).toEqual([missing]);
    expect(problems({ ...withoutSecret, WEBHOOK_SECRET: "   " })).toEqual([missing]);
  });

  it("accepts WORKER_CONCURRENCY 0 (webhooks only) only with a queue to hand the scans to", () => {
    expect(problems({ ...minimal, WORKER_CONCURRENCY: "0" })).toEqual([
      "WORKER_CONCURRENCY: 0 needs REDIS_URL (without a queue, this process must run the scans)",
    ]);
    expect(loadEnv({ ...minimal, WORKER_CONCURRENCY: "0", REDIS_URL: "redis://redis:6379" }).WORKER_CONCURRENCY).toBe(0);
    expect(loadEnv({ ...minimal, WORKER_CONCURRENCY: "1" }).WORKER_CONCURRENCY).toBe(1);
    for (const wrong of ["-1", "65", "1.5", "four"]) {
      expect(problems({ ...minimal, WORKER_CONCURRENCY: wrong, REDIS_URL: "redis://redis:6379" }), wrong).toEqual([expect.stringMatching(/^WORKER_CONCURRENCY: /)]);
    }
  });

  it("reads the shutdown grace period, 1 to 600 seconds", () => {
    expect(loadEnv({ ...minimal, SHUTDOWN_GRACE_SECONDS: "600" }).SHUTDOWN_GRACE_SECONDS).toBe(600);
    expect(loadEnv({ ...minimal, SHUTDOWN_GRACE_SECONDS: "1" }).SHUTDOWN_GRACE_SECONDS).toBe(1);
    for (const wrong of ["0", "601", "2.5", "soon"]) {
      expect(problems({ ...minimal, SHUTDOWN_GRACE_SECONDS: wrong }), wrong).toEqual([expect.stringMatching(/^SHUTDOWN_GRACE_SECONDS: /)]);
    }
  });

  it("never echoes a value, which may be a secret", () => {
    const secretish = "ghp_SHOULDNEVERBEPRINTED1234567890abcd";
    const message = (() => {
      try {
        loadEnv({ ...minimal, OSV_API_URL: secretish, LOG_FORMAT: secretish, PR_SENTINEL_VERIFY_SECRETS: secretish });
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    expect(message).toContain("OSV_API_URL");
    expect(message).toContain("PR_SENTINEL_VERIFY_SECRETS");
    expect(message).not.toContain(secretish);
  });

  it("treats blank variables as unset and parses the operator switch", () => {
    const env = loadEnv({ ...minimal, GHE_HOST: "", PR_SENTINEL_VERIFY_SECRETS: "true" });
    expect(env.GHE_HOST).toBeUndefined();
    expect(env.PR_SENTINEL_VERIFY_SECRETS).toBe(true);
  });
});

describe("loadWorkerEnv", () => {
  it("needs no webhook secret, since a worker takes no webhooks", () => {
    const env = loadWorkerEnv({ ...worker, NODE_ENV: "production" });
    expect(env).toMatchObject({ APP_ID: "123", REDIS_URL: "redis://:password@redis:6379", WORKER_CONCURRENCY: 4, SHUTDOWN_GRACE_SECONDS: 25, PORT: 3000 });
    expect(env.WEBHOOK_SECRET).toBeUndefined();
    expect(loadWorkerEnv({ ...worker, WEBHOOK_SECRET: "s" }).WEBHOOK_SECRET).toBe("s");
  });

  it("requires REDIS_URL, where its jobs come from", () => {
    expect(problems(withoutSecret, loadWorkerEnv)).toEqual(["REDIS_URL: is missing; a worker takes its jobs from Redis"]);
    expect(problems({ ...withoutSecret, REDIS_URL: " " }, loadWorkerEnv)).toEqual(["REDIS_URL: is missing; a worker takes its jobs from Redis"]);
  });

  it("validates the same schema and lists every problem at once", () => {
    const found = problems({ APP_ID: "abc", WORKER_CONCURRENCY: "0", OSV_API_URL: "ftp://osv", SHUTDOWN_GRACE_SECONDS: "9999" }, loadWorkerEnv);
    expect(found.map((p) => p.split(":")[0])).toEqual(
      expect.arrayContaining(["APP_ID", "PRIVATE_KEY", "REDIS_URL", "WORKER_CONCURRENCY", "OSV_API_URL", "SHUTDOWN_GRACE_SECONDS"]),
    );
    expect(found).not.toContainEqual(expect.stringMatching(/^WEBHOOK_SECRET/));
  });

  it("refuses WORKER_CONCURRENCY 0, which would leave a worker with nothing to do", () => {
    expect(problems({ ...worker, WORKER_CONCURRENCY: "0" }, loadWorkerEnv)).toEqual([expect.stringMatching(/^WORKER_CONCURRENCY: 0 /)]);
    expect(loadWorkerEnv({ ...worker, WORKER_CONCURRENCY: "8" }).WORKER_CONCURRENCY).toBe(8);
  });
});

describe("githubBaseUrl", () => {
  it("is github.com's API unless GHE_HOST is set", () => {
    expect(githubBaseUrl(loadEnv(minimal))).toBe("https://api.github.com");
    expect(githubBaseUrl(loadEnv({ ...minimal, GHE_HOST: "ghe.example.com:8443", GHE_PROTOCOL: "http" }))).toBe("http://ghe.example.com:8443/api/v3");
  });
});

describe("the App's private key", () => {
  const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1", privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadEnv({ ...minimal, ...env });
      return [];
    } catch (error) {
      return (error as EnvError).problems;
    }
  };

  it("accepts an RSA PEM, and the same base64-encoded", () => {
    expect(problemsOf({ PRIVATE_KEY: RSA_PEM })).toEqual([]);
    expect(problemsOf({ PRIVATE_KEY: Buffer.from(RSA_PEM).toString("base64") })).toEqual([]);
    // As docker env files and some secret stores write it: one line with `\n` escapes. Probot takes it.
    expect(problemsOf({ PRIVATE_KEY: RSA_PEM.trim().replace(/\n/g, "\\n") })).toEqual([]);
  });

  it("names an unparseable key, a key of the wrong kind and an unreadable file, never quoting the key", () => {
    const truncated = RSA_PEM.slice(0, 200) + "\n-----END PRIVATE KEY-----";
    const found = [
      ...problemsOf({ PRIVATE_KEY: "not a key at all" }),
      ...problemsOf({ PRIVATE_KEY: truncated }),
      ...problemsOf({ PRIVATE_KEY: ec }),
      ...problemsOf({ PRIVATE_KEY: "", PRIVATE_KEY_PATH: "/nonexistent/app.pem" }),
    ];
    expect(found).toEqual([
      expect.stringMatching(/^PRIVATE_KEY: is not a PEM private key/),
      expect.stringMatching(/^PRIVATE_KEY: does not parse as a private key/),
      expect.stringMatching(/^PRIVATE_KEY: is ec key; GitHub App keys are RSA/),
      expect.stringMatching(/^PRIVATE_KEY_PATH: cannot read the file \(ENOENT\)/),
    ]);
    for (const p of found) expect(p).not.toContain(RSA_PEM.slice(40, 80));
  });
});
