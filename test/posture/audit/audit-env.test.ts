import { describe, expect, it } from "vitest";
import { auditEnvSchema } from "../../../src/posture/audit/audit-env.js";

describe("auditEnvSchema", () => {
  it("defaults to SQLite under ./data with 400 days of retention", () => {
    expect(auditEnvSchema.parse({})).toEqual({ DATA_DIR: "./data", AUDIT_RETENTION_DAYS: 400 });
    expect(auditEnvSchema.parse({ DATA_DIR: " ", DATABASE_URL: "", AUDIT_RETENTION_DAYS: "" })).toEqual({ DATA_DIR: "./data", AUDIT_RETENTION_DAYS: 400 });
  });

  it("takes a postgres URL and 0 days (keep forever)", () => {
    expect(auditEnvSchema.parse({ DATABASE_URL: "postgresql://u:p@db:5432/audit", AUDIT_RETENTION_DAYS: "0" })).toMatchObject({ DATABASE_URL: "postgresql://u:p@db:5432/audit", AUDIT_RETENTION_DAYS: 0 });
  });

  it("refuses other databases and odd day counts, without echoing the URL", () => {
    const result = auditEnvSchema.safeParse({ DATABASE_URL: "mysql://u:secret-pw@db/audit", AUDIT_RETENTION_DAYS: "1.5" });
    expect(result.success).toBe(false);
    const text = JSON.stringify(result.error!.issues.map((i) => [i.path, i.message]));
    expect(text).toContain("DATABASE_URL");
    expect(text).toContain("AUDIT_RETENTION_DAYS");
    expect(text).not.toContain("secret-pw");
  });
});
