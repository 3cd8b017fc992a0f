/** The scanning API's surface for the app's server and the CLI: the handler, its tokens and settings. */
export { createScanApiHandler, SCAN_PATH, type ScanApiHandler, type ScanApiOptions } from "./scan-api-handler.js";
export { openApiTokenStore, TokenLookupError, type ApiToken, type ApiTokenStore, type Authentication } from "./token-store.js";
export { scanApiEnvSchema, scanApiEnvShape, scanApiLimits, type ScanApiEnv, type ScanApiLimits } from "./scan-api-env.js";
