import { describe, expect, it } from "vitest";
import type { AppendResult } from "../../../src/posture/audit/append.js";
import type { AuditStore } from "../../../src/posture/audit/open-store.js";
import { recordCheckRun } from "../../../src/posture/audit/record-run.js";
import { record } from "./fixtures.js";

function logger() {
  const lines: [string, object, string | undefined][] = [];
  return {
    lines,
    info: (o: object, m?: string) => void lines.push(["info", o, m]),
    warn: (o: object, m?: string) => void lines.push(["warn", o, m]),
    error: (o: object, m?: string) => void lines.push(["error", o, m]),
  };
}

function flakyStore(failures: number): AuditStore & { calls: number } {
  const store = {
    calls: 0,
    append(): Promise<AppendResult> {
      store.calls++;
      return store.calls <= failures ? Promise.reject(new Error("database is locked")) : Promise.resolve({ status: "inserted", id: 1, seq: 1, hash: "0".repeat(64) });
    },
  };
  return store as unknown as AuditStore & { calls: number };
}

describe("recordCheckRun", () => {
  it("tries again while the database is away", async () => {
    const log = logger();
    const store = flakyStore(2);
    expect(await recordCheckRun(store, record({ checkRunId: 5 }), { logger: log, backoffMs: 1 })).toMatchObject({ status: "inserted" });
    expect(store.calls).toBe(3);
    expect(log.lines.map(([level]) => level)).toEqual(["warn", "warn", "info"]);
  });

  it("gives up loudly, naming the check run, without throwing", async () => {
    const log = logger();
    const store = flakyStore(99);
    expect(await recordCheckRun(store, record({ checkRunId: 6 }), { logger: log, backoffMs: 1, attempts: 3 })).toBeUndefined();
    expect(store.calls).toBe(3);
    expect(log.lines.at(-1)).toEqual(["error", expect.objectContaining({ checkRunId: 6, repo: "acme/widgets", attempts: 3 }), expect.stringContaining("NOT written")]);
  });
});
