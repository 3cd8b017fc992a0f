/**
 * The audit database the CLI's `audit` and `tokens` commands work on: the App's own, found from the
 * same DATA_DIR / DATABASE_URL settings, validated the same way. A bad setting is a usage error.
 */
import { auditEnvSchema } from "../posture/audit/audit-env.js";
import { openAuditStore, type AuditStore } from "../posture/audit/open-store.js";
import { UsageError } from "./args.js";

const SILENT = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function openCliAuditStore(
  source: Readonly<Record<string, string | undefined>>,
  options: { readonly create?: boolean; readonly now?: () => Date } = {},
): Promise<AuditStore> {
  const env = auditEnvSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([k]) => k === "DATA_DIR" || k === "DATABASE_URL")));
  if (!env.success) throw new UsageError(env.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return openAuditStore({
    dataDir: env.data.DATA_DIR,
    ...(env.data.DATABASE_URL ? { databaseUrl: env.data.DATABASE_URL } : {}),
    logger: SILENT,
    ...(options.create !== undefined ? { create: options.create } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
