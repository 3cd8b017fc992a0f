/**
 * The one construction of the clients that checks get, for the app and the CLI alike. Operator
 * settings come from the environment (validated in services-env.ts); `offline` turns every network
 * client off, leaving only what works without the network (an offline OSV export).
 */
import { affectedVersion } from "../checks/dependencies/osv/affects.js";
import type { VulnerabilityLookup } from "../checks/dependencies/services.js";
import { createSecretVerifier } from "../checks/secrets/verify/index.js";
import type { Services } from "../core/types.js";
import { createNpmRegistryClient } from "./npm-registry-client.js";
import { createOsvApiClient } from "./osv/osv-api-client.js";
import { openOfflineOsvDb } from "./osv/osv-offline-db.js";
import type { ServicesEnv } from "./services-env.js";

export interface CreateServicesOptions {
  /** No network at all (`--offline`). */
  readonly offline: boolean;
  /** Tests inject a fetch that reaches only loopback fakes. */
  readonly fetch?: typeof fetch;
}

export function createServices(env: ServicesEnv, options: CreateServicesOptions): Services {
  const vulnerabilities = env.OSV_DB_DIR ? lazyOfflineOsv(env.OSV_DB_DIR) : undefined;
  if (options.offline) return vulnerabilities ? { vulnerabilities } : {};
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return {
    fetch: fetchImpl,
    // An offline export, when the operator set one, wins over the API (air-gapped and GHES installs).
    vulnerabilities: vulnerabilities ?? createOsvApiClient({ baseUrl: env.OSV_API_URL, fetch: fetchImpl }),
    npmRegistry: createNpmRegistryClient({ baseUrl: env.NPM_REGISTRY_URL, fetch: fetchImpl }),
    // Live verification sends a found credential to its provider: the operator's choice only.
    ...(env.PR_SENTINEL_VERIFY_SECRETS ? { secretVerifier: createSecretVerifier({ fetch: fetchImpl }) } : {}),
  };
}

/**
 * The export is indexed on the first lookup, not at start-up: a CLI run that changes no dependency
 * never reads it, and a long-running app reads it once.
 */
function lazyOfflineOsv(dir: string): VulnerabilityLookup {
  let opened: Promise<VulnerabilityLookup> | undefined;
  return {
    kind: "offline",
    async lookup(queries, signal) {
      const db = (opened ??= openOfflineOsvDb(dir, { isAffected: affectedVersion }));
      return (await db).lookup(queries, signal);
    },
  };
}
