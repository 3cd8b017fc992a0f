/** The audit export's query and cursor, unit by unit (the HTTP tests cover them end to end). */
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../../src/posture/api/audit-cursor.js";
import { AuditQueryError, formatFromAccept, parseAuditQuery } from "../../../src/posture/api/audit-query.js";

const parse = (query: string, accept?: string) => parseAuditQuery(new URLSearchParams(query), accept);

describe("the audit cursor", () => {
  it("round-trips a key and refuses anything it did not write", () => {
    const key = { created_at: "2026-03-01T08:00:00.000Z", id: 4711 };
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(key);
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const bad of [
      "",
      "!!!",
      "A".repeat(121),
      forged({ created_at: key.created_at, id: 1 }),
      forged([key.created_at]),
      forged(["2026-03-01", 1]),
      forged(["2026-03-01T08:00:00Z", 1]),
      forged([key.created_at, -1]),
      forged([key.created_at, 1.5]),
      forged([key.created_at, "1"]),
      forged([key.created_at, 2 ** 53]),
      forged(["2026-13-45T99:00:00.000Z", 1]),
    ]) {
      expect(decodeCursor(bad), bad).toBeUndefined();
    }
  });
});

describe("the audit query", () => {
  it("has defaults, normalises times, and takes a cursor", () => {
    expect(parse("")).toEqual({ format: "jsonl", limit: 10_000 });
    const cursor = encodeCursor({ created_at: "2026-03-01T08:00:00.000Z", id: 9 });
    expect(parse(`repo=Acme/Widgets&since=2026-03-01&until=2026-03-02T10:00:00%2B02:00&format=csv&limit=100000&cursor=${cursor}`)).toEqual({
      repo: "Acme/Widgets",
      since: "2026-03-01T00:00:00.000Z",
      until: "2026-03-02T08:00:00.000Z",
      format: "csv",
      limit: 100_000,
      cursor: { created_at: "2026-03-01T08:00:00.000Z", id: 9 },
    });
  });

  it("names every bad parameter, and echoes no more than a bounded piece of a value", () => {
    let error: AuditQueryError | undefined;
    try {
      parse(`repo=${"x".repeat(5000)}&limit=10&limit=20&since=soon&x=1`);
    } catch (e) {
      error = e as AuditQueryError;
    }
    expect(error).toBeInstanceOf(AuditQueryError);
    expect(error!.errors.map((e) => e.parameter)).toEqual(["limit", "x", "repo", "since"]);
    expect(error!.message.length).toBeLessThan(600);
  });

  it("lets Accept choose CSV only when it prefers it", () => {
    expect(formatFromAccept(undefined)).toBe("jsonl");
    expect(formatFromAccept("*/*")).toBe("jsonl");
    expect(formatFromAccept("text/csv")).toBe("csv");
    expect(formatFromAccept("text/csv;q=0.4, application/x-ndjson;q=0.5")).toBe("jsonl");
    expect(formatFromAccept("application/jsonl;q=0.1, TEXT/CSV;q=0.9")).toBe("csv");
    expect(formatFromAccept("text/csv;q=0, application/x-ndjson;q=0")).toBe("jsonl");
    expect(formatFromAccept("text/csv, application/x-ndjson")).toBe("jsonl");
    expect(parse("format=jsonl", "text/csv").format).toBe("jsonl");
  });
});
