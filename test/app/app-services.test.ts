import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadEnv, type AppEnv } from "../../src/app/env.js";
import { createServices } from "../../src/services/create-services.js";

const servicesFromEnv = (env: AppEnv) => createServices(env, { offline: false });

const base = {
  APP_ID: "1",
  PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey,
  WEBHOOK_SECRET: "s",
};

describe("the app's services, from its environment", () => {
  it("builds the OSV and npm registry clients from the environment, an offline OSV export winning over the API", () => {
    const online = servicesFromEnv(loadEnv({ ...base, OSV_API_URL: "http://127.0.0.1:9/osv", NPM_REGISTRY_URL: "http://127.0.0.1:9/npm" }));
    expect(online.vulnerabilities?.kind).toBe("api");
    expect(online.npmRegistry).toBeDefined();
    const exported = servicesFromEnv(loadEnv({ ...base, OSV_DB_DIR: "/nonexistent/osv" }));
    expect(exported.vulnerabilities?.kind).toBe("offline");
  });

  it("injects a secret verifier only when the operator switches it on", () => {
    expect(servicesFromEnv(loadEnv(base)).secretVerifier).toBeUndefined();
    expect(servicesFromEnv(loadEnv({ ...base, PR_SENTINEL_VERIFY_SECRETS: "1" })).secretVerifier).toBeDefined();
    for (const off of ["0", "false", "no", ""]) {
      expect(servicesFromEnv(loadEnv({ ...base, PR_SENTINEL_VERIFY_SECRETS: off })).secretVerifier, off).toBeUndefined();
    }
  });
});
