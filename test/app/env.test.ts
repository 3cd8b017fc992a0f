import { describe, expect, it } from "vitest";
import { EnvError, githubBaseUrl, loadEnv } from "../../src/app/env.js";

const minimal = { APP_ID: "123", PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----" };

function problems(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadEnv(env);
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
      PR_SENTINEL_VERIFY_SECRETS: false,
    });
  });

  it("names every missing or wrong variable at once", () => {
    const found = problems({ APP_ID: "12x", PORT: "99999", LOG_LEVEL: "loud", GHE_HOST: "https://ghe.example.com/api", WORKER_CONCURRENCY: "0" });
    const names = found.map((p) => p.split(":")[0]);
    expect(names).toEqual(expect.arrayContaining(["APP_ID", "PRIVATE_KEY", "PORT", "LOG_LEVEL", "GHE_HOST", "WORKER_CONCURRENCY"]));
  });

  it("reports a missing APP_ID by name", () => {
    expect(problems({ PRIVATE_KEY_PATH: "/keys/app.pem" })).toEqual([expect.stringMatching(/^APP_ID: /)]);
  });

  it("requires the webhook secret in production", () => {
    expect(problems({ ...minimal, NODE_ENV: "production" })).toEqual([expect.stringMatching(/^WEBHOOK_SECRET: is missing/)]);
    expect(problems({ ...minimal, NODE_ENV: "production", WEBHOOK_SECRET: "s" })).toEqual([]);
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

describe("githubBaseUrl", () => {
  it("is github.com's API unless GHE_HOST is set", () => {
    expect(githubBaseUrl(loadEnv(minimal))).toBe("https://api.github.com");
    expect(githubBaseUrl(loadEnv({ ...minimal, GHE_HOST: "ghe.example.com:8443", GHE_PROTOCOL: "http" }))).toBe("http://ghe.example.com:8443/api/v3");
  });
});
