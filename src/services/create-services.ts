/**
 * The one construction of the clients that checks get, for the app and the CLI alike. Operator
 * settings come from the environment (validated in services-env.ts); `offline` turns every network
 * client off, leaving only what works without the network (an offline OSV export).
 *
 * Every client but one reaches only the operator's OSV and registry hosts (allowed-hosts.ts): a
 * lockfile or a redirect can never point a request at the internal network.
 */
import type { VulnerabilityLookup } from "../checks/dependencies/services.js";
import { createSecretVerifier } from "../checks/secrets/verify/index.js";
import type { Services } from "../core/types.js";
import { restrictFetchToHosts } from "./allowed-hosts.js";
import { createNpmRegistryClient } from "./npm-registry-client.js";
import { createOsvApiClient } from "./osv/osv-api-client.js";
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
  const configuredFetch = restrictFetchToHosts(fetchImpl, [new URL(env.OSV_API_URL).host, new URL(env.NPM_REGISTRY_URL).host]);
  return {
    // No check declares `fetch` today; whichever does first gets the configured hosts only, and
    // widens this list here, on purpose, if it needs another.
    fetch: configuredFetch,
    // An offline export, when the operator set one, wins over the API (air-gapped and GHES installs).
    vulnerabilities: vulnerabilities ?? createOsvApiClient({ baseUrl: env.OSV_API_URL, fetch: configuredFetch }),
    npmRegistry: createNpmRegistryClient({ baseUrl: env.NPM_REGISTRY_URL, fetch: configuredFetch }),
    // Live verification sends a found credential to its provider: the operator's choice only. It talks
    // to each provider's own API (api.github.com, api.stripe.com, ...), a fixed list in the verifier's
    // code and never a URL taken from the scanned change, and it refuses redirects itself (verifier.ts),
    // so it keeps the unrestricted fetch.
    ...(env.PR_SENTINEL_VERIFY_SECRETS ? { secretVerifier: createSecretVerifier({ fetch: fetchImpl }) } : {}),
  };
}

/**
 * The export is indexed on the first lookup, not at start-up: a CLI run that changes no dependency
 * never reads it, and a long-running app reads it once. Its reader and the version orderings it
 * matches with are imported then too.
 */
function lazyOfflineOsv(dir: string): VulnerabilityLookup {
  let opened: Promise<VulnerabilityLookup> | undefined;
  return {
    kind: "offline",
    async lookup(queries, signal) {
      const db = (opened ??= openLazily(dir));
      return (await db).lookup(queries, signal);
    },
  };
}

async function openLazily(dir: string): Promise<VulnerabilityLookup> {
  const [{ openOfflineOsvDb }, { affectedVersion }] = await Promise.all([import("./osv/osv-offline-db.js"), import("../checks/dependencies/osv/affects.js")]);
  return openOfflineOsvDb(dir, { isAffected: affectedVersion });
}
