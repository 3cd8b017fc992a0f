import { describe, expect, it } from "vitest";
import { servicesFromEnv } from "../../src/app/create-app.js";
import { loadEnv } from "../../src/app/env.js";
import { SECRET_VERIFIER_SERVICE } from "../../src/checks/secrets/verify/index.js";

const base = { APP_ID: "1", PRIVATE_KEY: "pem" };

describe("servicesFromEnv", () => {
  it("passes the service URLs from the environment to checks", () => {
    const services = servicesFromEnv(loadEnv({ ...base, OSV_API_URL: "http://127.0.0.1:9/osv", NPM_REGISTRY_URL: "http://127.0.0.1:9/npm" }));
    expect(services).toMatchObject({ osvApiUrl: "http://127.0.0.1:9/osv", npmRegistryUrl: "http://127.0.0.1:9/npm" });
  });

  it("injects a secret verifier only when the operator switches it on", () => {
    expect(servicesFromEnv(loadEnv(base))[SECRET_VERIFIER_SERVICE]).toBeUndefined();
    expect(servicesFromEnv(loadEnv({ ...base, PR_SENTINEL_VERIFY_SECRETS: "1" }))[SECRET_VERIFIER_SERVICE]).toBeDefined();
    for (const off of ["0", "false", "no", ""]) {
      expect(servicesFromEnv(loadEnv({ ...base, PR_SENTINEL_VERIFY_SECRETS: off }))[SECRET_VERIFIER_SERVICE], off).toBeUndefined();
    }
  });
});
