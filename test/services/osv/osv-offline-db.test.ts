import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LookupError, type PackageQuery } from "../../../src/checks/dependencies/services.js";
import { openOfflineOsvDb } from "../../../src/services/osv/osv-offline-db.js";
import type { OsvRecord } from "../../../src/services/osv/osv-record.js";

/** Stands in for the real evaluator (src/checks/dependencies/osv/affects.ts): exact versions only. */
const listsVersion = (record: OsvRecord, query: PackageQuery) =>
  (record.affected ?? []).some((a) => a.versions?.includes(query.version) ?? false);

const live = () => new AbortController().signal;
const ids = (result: readonly (readonly OsvRecord[])[]) => result.map((records) => records.map((r) => r.id));

function advisory(id: string, ecosystem: string, name: string, versions: string[], extra: Partial<OsvRecord> = {}): OsvRecord {
  return { id, modified: "2024-05-01T00:00:00Z", affected: [{ package: { ecosystem, name }, versions }], ...extra };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "osv-offline-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, content: unknown): Promise<void> {
  const file = join(dir, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
}

describe("openOfflineOsvDb", () => {
  it("indexes one folder per ecosystem and answers each query in input order", async () => {
    await put("npm/GHSA-lodash.json", advisory("GHSA-lodash", "npm", "lodash", ["4.17.20"], { summary: "Prototype pollution" }));
    await put("npm/MAL-2024-1.json", advisory("MAL-2024-1", "npm", "lodahs", ["1.0.0"]));
    await put("crates.io/RUSTSEC-2024-1.json", advisory("RUSTSEC-2024-1", "crates.io", "smallvec", ["1.0.0"]));
    await put("GO-2024-1.json", advisory("GO-2024-1", "Go", "golang.org/x/net", ["v0.1.0"]));
    await put("npm/modified_id.csv", "2024-05-01T00:00:00Z,GHSA-lodash\n");

    const db = await openOfflineOsvDb(dir, { isAffected: listsVersion });
    expect(db.kind).toBe("offline");
    expect(db.records).toBe(4);
    expect(db.skipped).toBe(0);

    const result = await db.lookup(
      [
        { ecosystem: "npm", name: "lodash", version: "4.17.21" },
        { ecosystem: "Go", name: "golang.org/x/net", version: "v0.1.0" },
        { ecosystem: "npm", name: "lodash", version: "4.17.20" },
        { ecosystem: "crates.io", name: "smallvec", version: "1.0.0" },
        { ecosystem: "npm", name: "lodahs", version: "1.0.0" },
        { ecosystem: "npm", name: "smallvec", version: "1.0.0" },
      ],
      live(),
    );
    expect(ids(result)).toEqual([[], ["GO-2024-1"], ["GHSA-lodash"], ["RUSTSEC-2024-1"], ["MAL-2024-1"], []]);
    expect(result[2]![0]!.summary).toBe("Prototype pollution");
  });

  it("hands the evaluator the record and the query as asked", async () => {
    await put("npm/GHSA-a.json", advisory("GHSA-a", "npm", "a", []));
    const seen: PackageQuery[] = [];
    const db = await openOfflineOsvDb(dir, {
      isAffected: (record, query) => {
        seen.push(query);
        return record.id === "GHSA-a";
      },
    });
    expect(ids(await db.lookup([{ ecosystem: "npm", name: "a", version: "9.9.9" }], live()))).toEqual([["GHSA-a"]]);
    expect(seen).toEqual([{ ecosystem: "npm", name: "a", version: "9.9.9" }]);
  });

  it("matches PyPI names after PEP 503 normalisation, NuGet ids in any case, npm names exactly", async () => {
    await put("PyPI/PYSEC-1.json", advisory("PYSEC-1", "PyPI", "Django_REST.framework", ["3.0"]));
    await put("NuGet/GHSA-nuget.json", advisory("GHSA-nuget", "NuGet", "Newtonsoft.Json", ["12.0.1"]));
    await put("npm/GHSA-upper.json", advisory("GHSA-upper", "npm", "JSONStream", ["1.0.0"]));
    const db = await openOfflineOsvDb(dir, { isAffected: listsVersion });

    const result = await db.lookup(
      [
        { ecosystem: "PyPI", name: "django-rest-framework", version: "3.0" },
        { ecosystem: "PyPI", name: "Django__Rest-.Framework", version: "3.0" },
        { ecosystem: "PyPI", name: "djangorestframework", version: "3.0" },
        { ecosystem: "NuGet", name: "newtonsoft.json", version: "12.0.1" },
        { ecosystem: "npm", name: "jsonstream", version: "1.0.0" },
        { ecosystem: "npm", name: "JSONStream", version: "1.0.0" },
      ],
      live(),
    );
    expect(ids(result)).toEqual([["PYSEC-1"], ["PYSEC-1"], [], ["GHSA-nuget"], [], ["GHSA-upper"]]);
  });

  it("skips and counts files that are too large, not JSON or not OSV records, keeping the rest", async () => {
    await put("npm/GHSA-good.json", advisory("GHSA-good", "npm", "good", ["1.0.0"]));
    await put("npm/broken.json", '{"id": "GHSA-broken", "affected": [');
    await put("npm/not-a-record.json", { advisory: "no id here" });
    await put("npm/wrong-shape.json", { id: "GHSA-wrong", affected: "everything" });
    await put("npm/huge.json", advisory("GHSA-huge", "npm", "huge", Array.from({ length: 2_000 }, (_, i) => `1.0.${i}`)));
    await put("npm/README.md", "# not a record, not counted");

    const db = await openOfflineOsvDb(dir, { isAffected: listsVersion, maxRecordBytes: 10_000 });
    expect(db.records).toBe(1);
    expect(db.skipped).toBe(4);
    expect(db.skippedFiles).toEqual([
      "npm/broken.json: not JSON",
      "npm/huge.json: larger than 10000 bytes",
      "npm/not-a-record.json: not an OSV record (id: Invalid input: expected string, received undefined)",
      "npm/wrong-shape.json: not an OSV record (affected: Invalid input: expected array, received string)",
    ]);
    expect(ids(await db.lookup([{ ecosystem: "npm", name: "good", version: "1.0.0" }], live()))).toEqual([["GHSA-good"]]);
  });

  it("keeps only the first few skipped file names", async () => {
    await put("npm/GHSA-good.json", advisory("GHSA-good", "npm", "good", ["1.0.0"]));
    for (let i = 0; i < 12; i++) await put(`npm/bad-${String(i).padStart(2, "0")}.json`, "nope");
    const db = await openOfflineOsvDb(dir, { isAffected: listsVersion });
    expect(db.skipped).toBe(12);
    expect(db.skippedFiles).toHaveLength(5);
    expect(db.skippedFiles[0]).toBe("npm/bad-00.json: not JSON");
  });

  it("keeps the newest copy of an advisory found twice, and lists a record once per package", async () => {
    await put("GHSA-dup.json", advisory("GHSA-dup", "npm", "dup", ["1.0.0"], { modified: "2024-01-01T00:00:00Z", summary: "old" }));
    await put("npm/GHSA-dup.json", advisory("GHSA-dup", "npm", "dup", ["1.0.0"], { modified: "2024-03-01T00:00:00Z", summary: "new" }));
    await put("npm/GHSA-twice.json", {
      id: "GHSA-twice",
      affected: [
        { package: { ecosystem: "npm", name: "twice" }, versions: ["1.0.0"] },
        { package: { ecosystem: "npm", name: "twice" }, versions: ["2.0.0"] },
      ],
    });
    const db = await openOfflineOsvDb(dir, { isAffected: listsVersion });
    const result = await db.lookup(
      [
        { ecosystem: "npm", name: "dup", version: "1.0.0" },
        { ecosystem: "npm", name: "twice", version: "2.0.0" },
      ],
      live(),
    );
    expect(result.map((records) => records.map((r) => r.summary ?? r.id))).toEqual([["new"], ["GHSA-twice"]]);
  });

  it("drops records of ecosystems no query can reach", async () => {
    await put("npm/GHSA-a.json", advisory("GHSA-a", "npm", "a", ["1.0.0"]));
    await put("Debian/DSA-1.json", advisory("DSA-1", "Debian:11", "openssl", ["1.1.1"]));
    await put("GitHub Actions/GHSA-act.json", advisory("GHSA-act", "GitHub Actions", "actions/checkout", ["v1"]));
    const db = await openOfflineOsvDb(dir, { isAffected: listsVersion });
    expect(db.records).toBe(1);
    expect(db.skipped).toBe(0);
  });

  it("refuses an export that holds records for none of the supported ecosystems", async () => {
    await put("Debian/DSA-1.json", advisory("DSA-1", "Debian:11", "openssl", ["1.1.1"]));
    await expect(openOfflineOsvDb(dir, { isAffected: listsVersion })).rejects.toThrow(
      `OSV_DB_DIR: 1 OSV record but none for npm, PyPI, Go, crates.io, RubyGems, Packagist, Maven, NuGet in ${dir}`,
    );
  });

  it("reads ossf/malicious-packages' nested layout", async () => {
    await put("osv/malicious/npm/@evil/pkg/MAL-2024-9.json", advisory("MAL-2024-9", "npm", "@evil/pkg", ["0.0.1"]));
    const db = await openOfflineOsvDb(dir, { isAffected: listsVersion });
    expect(ids(await db.lookup([{ ecosystem: "npm", name: "@evil/pkg", version: "0.0.1" }], live()))).toEqual([["MAL-2024-9"]]);
  });

  it("says which directory and OSV_DB_DIR when the directory is missing, not a directory, or holds no records", async () => {
    const missing = join(dir, "nope");
    await expect(openOfflineOsvDb(missing, { isAffected: listsVersion })).rejects.toThrow(
      `OSV_DB_DIR: cannot read the offline OSV export at ${missing} (ENOENT)`,
    );
    await put("file.txt", "x");
    await expect(openOfflineOsvDb(join(dir, "file.txt"), { isAffected: listsVersion })).rejects.toThrow(/OSV_DB_DIR: .*file\.txt \(ENOTDIR\)/);
    await expect(openOfflineOsvDb(dir, { isAffected: listsVersion })).rejects.toThrow(`OSV_DB_DIR: no OSV records in ${dir}`);
    await put("npm/bad.json", "[]");
    await expect(openOfflineOsvDb(dir, { isAffected: listsVersion })).rejects.toThrow(/no OSV records in .*; 1 file skipped \(npm\/bad\.json: not an OSV record/);
  });

  it("turns an evaluator failure and a cancelled signal into LookupErrors", async () => {
    await put("npm/GHSA-a.json", advisory("GHSA-a", "npm", "a", ["1.0.0"]));
    const db = await openOfflineOsvDb(dir, {
      isAffected: () => {
        throw new Error("unknown range type");
      },
    });
    const query = [{ ecosystem: "npm", name: "a", version: "1.0.0" }] as const;
    await expect(db.lookup(query, live())).rejects.toThrow(
      new LookupError(`offline OSV export (${dir}): cannot tell whether GHSA-a affects a@1.0.0 (unknown range type)`),
    );
    const controller = new AbortController();
    controller.abort();
    await expect(db.lookup(query, controller.signal)).rejects.toThrow(LookupError);
  });
});
