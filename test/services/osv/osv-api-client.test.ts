import { afterEach, describe, expect, it } from "vitest";
import { LookupError, type PackageQuery } from "../../../src/checks/dependencies/services.js";
import { createOsvApiClient } from "../../../src/services/osv/osv-api-client.js";
import type { OsvRecord } from "../../../src/services/osv/osv-record.js";
import { startFakeOsv, type FakeOsv, type FakeOsvOptions } from "../../helpers/fake-osv.js";

function advisory(id: string, name: string, versions: string[], extra: Partial<OsvRecord> = {}): OsvRecord {
  return {
    id,
    modified: "2024-05-01T00:00:00Z",
    summary: `${id} in ${name}`,
    affected: [{ package: { ecosystem: "npm", name }, versions }],
    ...extra,
  };
}

const npm = (name: string, version: string): PackageQuery => ({ ecosystem: "npm", name, version });
const ids = (result: readonly (readonly OsvRecord[])[]) => result.map((records) => records.map((r) => r.id));
const live = () => new AbortController().signal;

let fake: FakeOsv | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(records: OsvRecord[], options?: FakeOsvOptions): Promise<FakeOsv> {
  fake = await startFakeOsv(records, options);
  return fake;
}

describe("createOsvApiClient", () => {
  it("sends 2,500 queries as 3 querybatch requests of at most 1,000 and keeps input order", async () => {
    const osv = await start([
      advisory("GHSA-0005", "pkg-5", ["1.0.0"]),
      advisory("GHSA-1500", "pkg-1500", ["1.0.0"]),
      advisory("GHSA-2499", "pkg-2499", ["1.0.0"]),
    ]);
    const queries = Array.from({ length: 2_500 }, (_, i) => npm(`pkg-${i}`, "1.0.0"));
    const result = await createOsvApiClient({ baseUrl: osv.url }).lookup(queries, live());

    expect(osv.requests.querybatch).toBe(3);
    expect([...osv.requests.batchSizes].sort((a, b) => a - b)).toEqual([500, 1000, 1000]);
    expect(result).toHaveLength(2_500);
    const hits = ids(result)
      .map((found, i) => [i, found] as const)
      .filter(([, found]) => found.length > 0);
    expect(hits).toEqual([
      [5, ["GHSA-0005"]],
      [1500, ["GHSA-1500"]],
      [2499, ["GHSA-2499"]],
    ]);
    expect(osv.requests.vulns).toBe(3);
  });

  it("answers each query with its own full records, fetching each distinct id once and only for hits", async () => {
    const osv = await start([
      advisory("GHSA-shared", "left-pad", ["1.0.0"], { affected: [
        { package: { ecosystem: "npm", name: "left-pad" }, versions: ["1.0.0"] },
        { package: { ecosystem: "npm", name: "right-pad" }, versions: ["2.0.0"] },
      ] }),
      advisory("GHSA-range", "lodash", [], {
        affected: [{ package: { ecosystem: "npm", name: "lodash" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.17.21" }] }] }],
      }),
      advisory("GHSA-unused", "express", ["4.0.0"]),
    ]);
    const result = await createOsvApiClient({ baseUrl: osv.url }).lookup(
      [npm("left-pad", "1.0.0"), npm("lodash", "4.17.20"), npm("right-pad", "2.0.0"), npm("lodash", "4.17.21"), npm("left-pad", "1.0.0")],
      live(),
    );

    expect(ids(result)).toEqual([["GHSA-shared"], ["GHSA-range"], ["GHSA-shared"], [], ["GHSA-shared"]]);
    expect(result[1]![0]!.summary).toBe("GHSA-range in lodash");
    expect(result[1]![0]!.affected?.[0]?.ranges?.[0]?.events).toEqual([{ introduced: "0" }, { fixed: "4.17.21" }]);
    expect(osv.requests.batchSizes).toEqual([4]); // the repeated left-pad@1.0.0 is asked once
    expect([...osv.requests.vulnIds].sort()).toEqual(["GHSA-range", "GHSA-shared"]);
  });

  it("sends no request for no queries", async () => {
    const osv = await start([]);
    expect(await createOsvApiClient({ baseUrl: osv.url }).lookup([], live())).toEqual([]);
    expect(osv.requests.querybatch + osv.requests.vulns).toBe(0);
  });

  it("follows next_page_token for the paged query only, until no token is left", async () => {
    const many = Array.from({ length: 5 }, (_, i) => advisory(`GHSA-many-${i}`, "popular", ["1.0.0"]));
    const osv = await start([...many, advisory("GHSA-one", "quiet", ["1.0.0"])], { pageSize: 2 });
    const result = await createOsvApiClient({ baseUrl: osv.url }).lookup([npm("quiet", "1.0.0"), npm("popular", "1.0.0")], live());

    expect(ids(result)).toEqual([["GHSA-one"], many.map((r) => r.id)]);
    // First page for both, then two more pages for `popular` alone.
    expect(osv.requests.batchSizes).toEqual([2, 1, 1]);
    expect(osv.requests.pagedQueries).toBe(2);
  });

  it("keeps paging when a page holds only a token", async () => {
    const osv = await start([advisory("GHSA-a", "slow-query", ["1.0.0"]), advisory("GHSA-b", "slow-query", ["1.0.0"])], {
      tokenOnlyFirstPage: true,
    });
    const result = await createOsvApiClient({ baseUrl: osv.url }).lookup([npm("slow-query", "1.0.0"), npm("clean", "1.0.0")], live());
    expect(ids(result)).toEqual([["GHSA-a", "GHSA-b"], []]);
    expect(osv.requests.batchSizes).toEqual([2, 1]);
  });

  it("sends a page token back for at most 1,000 queries a request", async () => {
    const records = Array.from({ length: 1_200 }, (_, i) => [
      advisory(`GHSA-${i}-a`, `pkg-${i}`, ["1.0.0"]),
      advisory(`GHSA-${i}-b`, `pkg-${i}`, ["1.0.0"]),
    ]).flat();
    const osv = await start(records, { pageSize: 1 });
    const queries = Array.from({ length: 1_200 }, (_, i) => npm(`pkg-${i}`, "1.0.0"));
    const result = await createOsvApiClient({ baseUrl: osv.url, concurrency: 16 }).lookup(queries, live());
    expect(ids(result)[1_100]).toEqual(["GHSA-1100-a", "GHSA-1100-b"]);
    expect([...osv.requests.batchSizes].sort((a, b) => a - b)).toEqual([200, 200, 1000, 1000]);
  });

  it("serves records from its cache on a second call, and fetches again when modified changes", async () => {
    const record = advisory("GHSA-cache", "left-pad", ["1.0.0"]);
    const osv = await start([record]);
    const client = createOsvApiClient({ baseUrl: osv.url });
    await client.lookup([npm("left-pad", "1.0.0")], live());
    const second = await client.lookup([npm("left-pad", "1.0.0")], live());

    expect(ids(second)).toEqual([["GHSA-cache"]]);
    expect(osv.requests.querybatch).toBe(2);
    expect(osv.requests.vulns).toBe(1);

    osv.setRecords([{ ...record, modified: "2024-06-01T00:00:00Z", summary: "updated" }]);
    const third = await client.lookup([npm("left-pad", "1.0.0")], live());
    expect(third[0]![0]!.summary).toBe("updated");
    expect(osv.requests.vulns).toBe(2);
  });

  it("fetches a cached record again once its hour is up", async () => {
    const osv = await start([advisory("GHSA-ttl", "left-pad", ["1.0.0"])]);
    let clock = 1_000_000;
    const client = createOsvApiClient({ baseUrl: osv.url, now: () => clock });
    await client.lookup([npm("left-pad", "1.0.0")], live());
    clock += 59 * 60 * 1000;
    await client.lookup([npm("left-pad", "1.0.0")], live());
    expect(osv.requests.vulns).toBe(1);
    clock += 2 * 60 * 1000;
    await client.lookup([npm("left-pad", "1.0.0")], live());
    expect(osv.requests.vulns).toBe(2);
  });

  it("retries once after a 500 and succeeds", async () => {
    const osv = await start([advisory("GHSA-retry", "left-pad", ["1.0.0"])]);
    await osv.setMode({ kind: "status", status: 500, times: 1 });
    const result = await createOsvApiClient({ baseUrl: osv.url }).lookup([npm("left-pad", "1.0.0")], live());
    expect(ids(result)).toEqual([["GHSA-retry"]]);
    expect(osv.requests.querybatch).toBe(2);
  });

  it("fails with a LookupError when the 500 persists, and never returns a partial answer", async () => {
    const osv = await start([advisory("GHSA-x", "left-pad", ["1.0.0"])]);
    await osv.setMode({ kind: "status", status: 503, times: 10, only: "vulns" });
    const lookup = createOsvApiClient({ baseUrl: osv.url }).lookup([npm("left-pad", "1.0.0"), npm("other", "1.0.0")], live());
    await expect(lookup).rejects.toThrow(LookupError);
    await expect(lookup).rejects.toThrow(
      `OSV (${osv.url}) GET /v1/vulns/GHSA-x: HTTP 503; no vulnerability data for 2 packages`,
    );
    expect(osv.requests.vulns).toBe(2);
  });

  it("fails with a LookupError naming OSV when it does not answer in time", async () => {
    const osv = await start([]);
    await osv.setMode("slow");
    const started = Date.now();
    const lookup = createOsvApiClient({ baseUrl: osv.url, timeoutMs: 600 }).lookup(
      Array.from({ length: 300 }, (_, i) => npm(`p${i}`, "1.0.0")),
      live(),
    );
    await expect(lookup).rejects.toThrow(new LookupError(`OSV (${osv.url}) querybatch: no answer within 1 s; no vulnerability data for 300 packages`));
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("fails with a LookupError when OSV refuses connections", async () => {
    const osv = await start([]);
    await osv.setMode("down");
    await expect(createOsvApiClient({ baseUrl: osv.url }).lookup([npm("a", "1.0.0")], live())).rejects.toThrow(
      /^OSV \(http:\/\/127\.0\.0\.1:\d+\) querybatch: cannot connect \(ECONNREFUSED\); no vulnerability data for 1 package$/,
    );
  });

  it("fails with a LookupError on an answer that is not JSON or not the querybatch shape", async () => {
    const osv = await start([]);
    const client = createOsvApiClient({ baseUrl: osv.url });
    await osv.setMode({ kind: "garbage" });
    await expect(client.lookup([npm("a", "1.0.0")], live())).rejects.toThrow(/querybatch: the answer is not JSON; no vulnerability data/);
    await osv.setMode({ kind: "garbage", body: JSON.stringify({ results: "none" }) });
    await expect(client.lookup([npm("a", "1.0.0")], live())).rejects.toThrow(/querybatch: unexpected answer \(results: /);
    await osv.setMode({ kind: "garbage", body: JSON.stringify({ results: [{ vulns: [{ id: ".." }] }] }) });
    await expect(client.lookup([npm("a", "1.0.0")], live())).rejects.toThrow(/unexpected answer \(results\.0\.vulns\.0\.id: not an OSV id\)/);
  });

  it("fails with a LookupError on a record that does not validate", async () => {
    const osv = await start([advisory("GHSA-bad", "a", ["1.0.0"])]);
    await osv.setMode({ kind: "garbage", body: JSON.stringify({ id: "GHSA-bad", affected: "everything" }), only: "vulns" });
    await expect(createOsvApiClient({ baseUrl: osv.url }).lookup([npm("a", "1.0.0")], live())).rejects.toThrow(
      /GET \/v1\/vulns\/GHSA-bad: unexpected answer \(affected: /,
    );
  });

  it("refuses a record answered under another id", async () => {
    const osv = await start([advisory("GHSA-asked", "a", ["1.0.0"])]);
    await osv.setMode({ kind: "garbage", body: JSON.stringify({ id: "GHSA-other" }), only: "vulns" });
    await expect(createOsvApiClient({ baseUrl: osv.url }).lookup([npm("a", "1.0.0")], live())).rejects.toThrow(
      /GET \/v1\/vulns\/GHSA-asked: answered record "GHSA-other" instead/,
    );
  });

  it("refuses a results array whose length differs from the queries sent", async () => {
    const osv = await start([]);
    await osv.setMode({ kind: "garbage", body: JSON.stringify({ results: [{ vulns: [{ id: "GHSA-x", modified: "2024-01-01T00:00:00Z" }] }] }) });
    await expect(createOsvApiClient({ baseUrl: osv.url }).lookup([npm("a", "1.0.0"), npm("b", "1.0.0")], live())).rejects.toThrow(
      /querybatch: answered 1 results for 2 queries; no vulnerability data for 2 packages/,
    );
    expect(osv.requests.vulns).toBe(0);
  });

  it("stops at once when the signal is aborted", async () => {
    const osv = await start([]);
    await osv.setMode("slow");
    const controller = new AbortController();
    const started = Date.now();
    const lookup = createOsvApiClient({ baseUrl: osv.url, timeoutMs: 10_000 }).lookup([npm("a", "1.0.0")], controller.signal);
    while (osv.requests.querybatch === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(lookup).rejects.toThrow(/the lookup was cancelled; no vulnerability data for 1 package$/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(osv.requests.querybatch).toBe(1);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    const records = Array.from({ length: 24 }, (_, i) => advisory(`GHSA-c${i}`, "busy", ["1.0.0"]));
    const osv = await start(records, { latencyMs: 20 });
    const result = await createOsvApiClient({ baseUrl: osv.url, concurrency: 3 }).lookup([npm("busy", "1.0.0")], live());
    expect(result[0]).toHaveLength(24);
    expect(osv.requests.vulns).toBe(24);
    expect(osv.requests.maxInFlight).toBeLessThanOrEqual(3);
    expect(osv.requests.maxInFlight).toBeGreaterThan(1);
  });

  it("puts ids safely into the URL path", async () => {
    const osv = await start([advisory("ODD/../id?x=1#y", "a", ["1.0.0"])]);
    const result = await createOsvApiClient({ baseUrl: `${osv.url}/` }).lookup([npm("a", "1.0.0")], live());
    expect(ids(result)).toEqual([["ODD/../id?x=1#y"]]);
    expect(osv.requests.vulnIds).toEqual(["ODD/../id?x=1#y"]);
    expect(osv.requests.other).toBe(0);
  });

  it("sends ecosystem names exactly as given", async () => {
    const osv = await start([
      { id: "PYSEC-1", modified: "2024-01-01T00:00:00Z", affected: [{ package: { ecosystem: "PyPI", name: "jinja2" }, versions: ["2.4.1"] }] },
    ]);
    const result = await createOsvApiClient({ baseUrl: osv.url }).lookup([{ ecosystem: "PyPI", name: "jinja2", version: "2.4.1" }], live());
    expect(ids(result)).toEqual([["PYSEC-1"]]);
  });
});
