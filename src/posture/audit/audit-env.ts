/**
 * The audit trail's settings, validated like the rest of the environment (spread `auditEnvShape`
 * into the app's schema). Operator settings only: a repository cannot choose where its audit goes.
 */
import { z } from "zod";
import { DEFAULT_DATA_DIR } from "./open-store.js";
import { DEFAULT_RETENTION_DAYS } from "./retention.js";

const blankIsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const auditEnvShape = {
  /** Folder of the embedded SQLite database (audit.sqlite); unused when DATABASE_URL is set. */
  DATA_DIR: z.preprocess(blankIsUnset, z.string().default(DEFAULT_DATA_DIR)),
  /** PostgreSQL for many replicas: postgres://user:password@host:port/database. */
  DATABASE_URL: z.preprocess(
    blankIsUnset,
    z
      .string()
      .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), "expected a postgres:// URL (postgres://user:password@host:5432/database)")
      .optional(),
  ),
  /** Days an audit record is kept; 0 keeps records forever. */
  AUDIT_RETENTION_DAYS: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(36_500).default(DEFAULT_RETENTION_DAYS)),
};

export const auditEnvSchema = z.object(auditEnvShape);
export type AuditEnv = z.infer<typeof auditEnvSchema>;
