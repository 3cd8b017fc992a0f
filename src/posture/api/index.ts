/** The API's surface for the app's server and the CLI: the handlers, their guard, tokens and settings. */
export { createApiGuard, type ApiGuard } from "./api-guard.js";
export { AUDIT_PATH, createAuditApiHandler, type AuditApiHandler, type AuditApiOptions } from "./audit-export-handler.js";
export { createScanApiHandler, SCAN_PATH, type ScanApiHandler, type ScanApiOptions } from "./scan-api-handler.js";
export { API_SCOPES, type ApiScope } from "./scopes.js";
export { openApiTokenStore, TokenLookupError, type ApiToken, type ApiTokenStore, type Authentication } from "./token-store.js";
export { scanApiEnvSchema, scanApiEnvShape, scanApiLimits, type ScanApiEnv, type ScanApiLimits } from "./scan-api-env.js";
