/** The test helper's promise: no binaries means a clear failure, never a silently skipped half. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { POSTGRES_MISSING, postgresBinDir, startPostgresServer } from "../../helpers/postgres-server.js";

describe("startPostgresServer", () => {
  const saved = process.env.PR_SENTINEL_PG_BINDIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.PR_SENTINEL_PG_BINDIR;
    else process.env.PR_SENTINEL_PG_BINDIR = saved;
  });

  it("fails naming what to install when the binaries are not where it looks", async () => {
    const empty = mkdtempSync(join(tmpdir(), "pr-sentinel-no-pg-"));
    try {
      process.env.PR_SENTINEL_PG_BINDIR = empty;
      expect(postgresBinDir()).toBeUndefined();
      await expect(startPostgresServer()).rejects.toThrow(POSTGRES_MISSING);
      expect(POSTGRES_MISSING).toContain("PR_SENTINEL_SKIP_POSTGRES=1");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
