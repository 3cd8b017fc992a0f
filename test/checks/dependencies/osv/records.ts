import { readFileSync } from "node:fs";
import { osvRecordSchema, type OsvRecord } from "../../../../src/services/osv/osv-record.js";

/** A hand-written OSV record from test/fixtures/dependencies/osv, validated by the project's schema. */
export function osvFixture(name: string): OsvRecord {
  const text = readFileSync(new URL(`../../../fixtures/dependencies/osv/${name}`, import.meta.url), "utf8");
  return osvRecordSchema.parse(JSON.parse(text));
}

type RangeEvent = { introduced?: string; fixed?: string; last_affected?: string; limit?: string };

/** A one-package record with the given ranges (and versions), for tables of cases. */
export function recordWith(
  ecosystem: string,
  name: string,
  ranges: { type: string; events: RangeEvent[] }[],
  versions?: string[],
): OsvRecord {
  return osvRecordSchema.parse({
    id: "TEST-0001",
    affected: [{ package: { ecosystem, name }, ranges, ...(versions ? { versions } : {}) }],
  });
}
