import { describe, expect, it } from "vitest";
import { runScan } from "../../src/core/engine.js";
import { applyAllowlist, applyBaseline, isStandaloneMarkerLine, LineReader, markerCovers } from "../../src/core/suppressions.js";
import type { Finding } from "../../src/core/types.js";
import { changedFile, lines } from "../helpers/changed-file.js";
import { configFor, markerCheck, silentLogger } from "./helpers/test-checks.js";

const finding = { checkId: "secrets", ruleId: "secrets/github-classic-pat" };

describe("markerCovers", () => {
  it.each([
    "# pr-sentinel-ignore",
    "// pr-sentinel-ignore secrets/github-classic-pat",
    "/* pr-sentinel-ignore github-classic-pat */",
    "<!-- pr-sentinel-ignore secrets -->",
    "-- pr-sentinel-ignore aws-key, github-classic-pat",
    "x = 1 # pr-sentinel-ignore github-classic-pat.",
  ])("covers %s", (line) => {
    expect(markerCovers(line, finding)).toBe(true);
  });

  it.each([
    "# pr-sentinel-ignore aws-key",
    "# pr-sentinel-ignore secrets/github-classic-pat-v2",
    "# pr-sentinel-ignored",
    "# pr-sentinel-ignore-next-line",
    "# nothing here",
  ])("does not cover %s", (line) => {
    expect(markerCovers(line, finding)).toBe(false);
  });
});

describe("LineReader", () => {
  it("serves added lines without reading the file and reads the head once for others", async () => {
    const file = changedFile({ path: "a", head: lines("one", "two", "three"), added: [2] });
    const reader = new LineReader(file);
    expect(await reader.line(2)).toBe("two");
    expect(file.headReads).toBe(0);
    expect(await reader.line(1)).toBe("one");
    expect(await reader.line(3)).toBe("three");
    expect(await reader.line(0)).toBeUndefined();
    expect(file.headReads).toBe(1);
  });

  it("treats an unreadable head as having no lines", async () => {
    const file = { ...changedFile({ path: "a", head: "x\n", added: [] }), readHead: () => Promise.reject(new Error("too large")) };
    expect(await new LineReader(file).line(1)).toBeUndefined();
  });
});

describe("applyAllowlist", () => {
  const f = (fingerprint: string) => ({ fingerprint }) as Finding;
  it("keeps what no current entry covers and lists every expired entry", () => {
    const result = applyAllowlist(
      [f("aaaaaaaaaaaa11"), f("bbbbbbbbbbbb22"), f("cccccccccccc33")],
      [
        { fingerprint: "aaaaaaaaaaaa", reason: "fixture" },
        { fingerprint: "bbbbbbbbbbbb22", reason: "old", expires: "2026-01-01" },
        { fingerprint: "dddddddddddd", reason: "gone", expires: "2025-12-31" },
        { fingerprint: "cccccccccccc", reason: "until today", expires: "2026-01-02" },
      ],
      "2026-01-02",
    );
    expect(result.kept.map((x) => x.fingerprint)).toEqual(["bbbbbbbbbbbb22"]);
    expect(result.allowed).toBe(2);
    expect(result.expired.map((e) => e.fingerprint)).toEqual(["bbbbbbbbbbbb22", "dddddddddddd"]);
  });
});

describe("isStandaloneMarkerLine", () => {
  it.each(["# pr-sentinel-ignore", "  // pr-sentinel-ignore rule-a", "{/* pr-sentinel-ignore */}", "<!-- pr-sentinel-ignore -->", "-- pr-sentinel-ignore", "; pr-sentinel-ignore"])(
    "a comment of its own: %s",
    (line) => expect(isStandaloneMarkerLine(line)).toBe(true),
  );

  it.each(['token = "x"  # pr-sentinel-ignore', 'msg = "use pr-sentinel-ignore"', "é # pr-sentinel-ignore", "nothing here"])(
    "not a comment of its own: %s",
    (line) => expect(isStandaloneMarkerLine(line)).toBe(false),
  );
});

describe("applyBaseline", () => {
  const f = (fingerprint: string) => ({ fingerprint }) as Finding;

  it("suppresses exactly the listed fingerprints (no prefixes: the file is generated)", () => {
    const full = "a".repeat(64);
    const result = applyBaseline([f(full), f("b".repeat(64))], { source: "b.yml", fingerprints: new Set([full, "b".repeat(12)]) });
    expect(result.kept.map((x) => x.fingerprint)).toEqual(["b".repeat(64)]);
    expect(result.baselined.map((x) => x.fingerprint)).toEqual([full]);
    expect(applyBaseline([f(full)], undefined)).toEqual({ kept: [f(full)], baselined: [] });
  });

  it("counts baselined findings apart in the scan, and lists every suppressed finding's identity", async () => {
    const checks = [markerCheck()];
    const files = [changedFile({ path: "a.txt", head: lines("SECRET one", "SECRET two # pr-sentinel-ignore", "SECRET three") })];
    const config = configFor(checks);
    const first = await runScan({ files, config, checks, logger: silentLogger });
    expect(first.findings).toHaveLength(2);
    const [one, three] = first.findings;
    const allowlisted = configFor(checks, { allowlist: [{ fingerprint: three!.fingerprint, reason: "test data" }] });
    const second = await runScan({ files, config: allowlisted, checks, logger: silentLogger, baseline: { source: "b.yml", fingerprints: new Set([one!.fingerprint]) } });
    expect(second.findings).toEqual([]);
    expect(second.suppressed).toEqual({ ignoredPaths: 0, inline: 1, allowlist: 1, baseline: 1 });
    expect(second.verdict.conclusion).toBe("pass");
    expect(second.suppressedIdentities).toHaveLength(3);
    expect(second.suppressedIdentities).toEqual(expect.arrayContaining([one!.fingerprint, three!.fingerprint]));
  });
});
