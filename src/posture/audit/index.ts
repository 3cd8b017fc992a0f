/** The audit trail's public surface: open a store, build and append records, verify, export, retain. */
export { auditEnvSchema, auditEnvShape, type AuditEnv } from "./audit-env.js";
export type { AppendResult } from "./append.js";
export { exportAudit, AuditExportError, type AuditExportFormat, type AuditExportOptions, type AuditSink } from "./export.js";
export { openAuditStore, AuditStoreError, type AuditStore, type OpenAuditStoreOptions } from "./open-store.js";
export { auditRecordFromScan, auditRecordWithoutScan, configHash, type AuditConfigInfo, type AuditJobFields, type AuditTimingInput } from "./record-from-scan.js";
export type { AuditRecord, AuditRecordInput, ConfigSource } from "./record.js";
export { recordCheckRun } from "./record-run.js";
export { applyRetention, DEFAULT_RETENTION_DAYS, type RetentionResult } from "./retention.js";
export { scheduleRetention, type RetentionSchedule } from "./retention-schedule.js";
export { verifyAuditTrail, type AuditBreak, type AuditVerification } from "./verify.js";
