export { createOsvApiClient, MAX_QUERIES_PER_BATCH, type OsvApiClientOptions } from "./osv-api-client.js";
export { openOfflineOsvDb, packageKey, type OfflineOsvDb, type OfflineOsvDbOptions } from "./osv-offline-db.js";
export { createOsvRecordCache, type OsvRecordCache, type OsvRecordCacheOptions } from "./osv-record-cache.js";
export { osvRecordSchema, type OsvAffected, type OsvRange, type OsvRecord } from "./osv-record.js";
