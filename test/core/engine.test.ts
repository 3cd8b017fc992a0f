import { describe, expect, it } from "vitest";
import { runScan, type ScanInput } from "../../src/core/engine.js";
import type { Check, FindingDraft } from "../../src/core/types.js";
import { changedFile, lines } from "../helpers/changed-file.js";
import { configFor, markerCheck, silentLogger, testCheck } from "./helpers/test-checks.js";

function scan(checks: readonly Check[], files: ScanInput["files"], config: Record<string, unknown> = {}, extra: Partial<ScanInput> = {}) {
  return runScan({ files, checks, config: configFor(checks, config), logger: silentLogger, today: "2026-06-15", ...extra });
}

const secretFile = () => changedFile({ path: "src/app.ts", head: lines("const a = 1;", "const key = 'SECRET';", "const b = 2;") });

describe("running checks", () => {
  it("runs checks concurrently", async () => {
    // Each check waits until both have started: run one after the other, the first would time out.
    let started = 0;
    let release: () => void = () => {};
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const waiting = (id: string) =>
      testCheck(id, async () => {
        if (++started === 2) release();
        await bothStarted;
        return [];
      });
    const checks = [waiting("one"), waiting("two")];
    const result = await scan(checks, [secretFile()], { checks: { one: { timeout_seconds: 2 }, two: { timeout_seconds: 2 } } });
    expect(result.outcomes.map((o) => [o.checkId, o.status])).toEqual([
      ["one", "ok"],
      ["two", "ok"],
    ]);
  });

  it("reports a throwing and a hanging check as errors while the others still report", async () => {
    let hangingSignal: AbortSignal | undefined;
    const checks = [
      markerCheck("good"),
      testCheck("throws", async () => {
        throw new Error("parser exploded");
      }),
      testCheck("hangs", ({ signal }) => {
        hangingSignal = signal;
        return new Promise(() => {});
      }),
    ];
    const started = Date.now();
    const result = await scan(checks, [secretFile()], { checks: { hangs: { timeout_seconds: 0.2 } } });
    expect(Date.now() - started).toBeLessThan(5000);
    const byId = Object.fromEntries(result.outcomes.map((o) => [o.checkId, o]));
    expect(byId.throws).toMatchObject({ status: "error", message: "parser exploded" });
    expect(byId.hangs?.status).toBe("error");
    expect(byId.hangs?.message).toContain("timed out after 0.2s");
    expect(byId.hangs?.message).toContain("checks.hangs.timeout_seconds");
    expect(hangingSignal?.aborted).toBe(true);
    expect(byId.good).toMatchObject({ status: "ok", findingCount: 1 });
    expect(result.findings.map((f) => [f.ruleId, f.startLine])).toEqual([["good/rule-a", 2]]);
  });

  it("treats a synchronous throw and a malformed return value as errors", async () => {
    const checks = [
      testCheck("sync", (() => {
        throw new Error("sync boom");
      }) as never),
      testCheck("malformed", async () => ({ nope: true }) as never),
    ];
    const result = await scan(checks, [secretFile()]);
    expect(result.outcomes.map((o) => [o.checkId, o.status, o.message])).toEqual([
      ["malformed", "error", "returned neither a list of findings nor { findings, warnings }"],
      ["sync", "error", "sync boom"],
    ]);
  });

  it("makes a check that reports a path outside the change an error", async () => {
    const check = testCheck("stray", async () => [{ ruleId: "rule-a", path: "not/in/change.ts", startLine: 1, message: "x" }]);
    const result = await scan([check], [secretFile()]);
    expect(result.outcomes[0]).toMatchObject({ status: "error" });
    expect(result.outcomes[0]?.message).toContain('"not/in/change.ts", which is not in the change');
    expect(result.findings).toEqual([]);
  });

  it.each<[string, Partial<FindingDraft>]>([
    ["line 0", { startLine: 0 }],
    ["end before start", { startLine: 3, endLine: 2 }],
    ["an unknown severity", { severity: "urgent" as never }],
    ["an empty message", { message: " " }],
    ["a rule id with spaces", { ruleId: "two words" }],
  ])("makes a check an error when a draft has %s", async (_name, bad) => {
    const check = testCheck("bad", async () => [{ ruleId: "rule-a", path: "src/app.ts", startLine: 1, message: "m", ...bad }]);
    const result = await scan([check], [secretFile()]);
    expect(result.outcomes[0]?.status).toBe("error");
  });

  it("skips checks that need the network when offline, and says so", async () => {
    const ran: string[] = [];
    const net = testCheck("net", async () => (ran.push("net"), []), { needsNetwork: true });
    const offline = await scan([net], [secretFile()], {}, { offline: true });
    expect(ran).toEqual([]);
    expect(offline.outcomes[0]).toMatchObject({ checkId: "net", status: "skipped" });
    expect(offline.outcomes[0]?.message).toMatch(/network/);
    expect(offline.verdict.title).toContain("1 check skipped");
    const online = await scan([net], [secretFile()]);
    expect(ran).toEqual(["net"]);
    expect(online.outcomes[0]?.status).toBe("ok");
  });

  it("does not run a disabled check and lists no rules for it", async () => {
    let ran = false;
    const check = testCheck("off", async () => ((ran = true), []));
    const result = await scan([check], [secretFile()], { checks: { off: { enabled: false } } });
    expect(ran).toBe(false);
    expect(result.outcomes[0]?.status).toBe("disabled");
    expect(result.rules).toEqual([]);
  });

  it("passes validated options, the services it declared and the offline flag to the check", async () => {
    let seen: unknown;
    const check = testCheck("opts", async (ctx) => ((seen = { options: ctx.options, services: ctx.services, offline: ctx.offline }), []), {
      services: ["fetch"],
    });
    const fakeFetch = (async () => new Response("")) as typeof fetch;
    const verifier = { supports: () => true, verify: async () => ({ status: "unknown" as const }) };
    await scan([check], [secretFile()], { checks: { opts: { marker: "TOKEN", timeout_seconds: 5 } } }, { services: { fetch: fakeFetch, secretVerifier: verifier } });
    // The verifier was not declared, so the check does not get it.
    expect(seen).toEqual({ options: { marker: "TOKEN" }, services: { fetch: fakeFetch }, offline: false });
  });

  it("narrows a check to its own paths.include and paths.ignore, leaving other checks their files", async () => {
    const seen: Record<string, string[]> = {};
    const recorder = (id: string) => testCheck(id, async (ctx) => ((seen[id] = ctx.files.map((f) => f.path)), []));
    const files = ["package-lock.json", "src/a.ts", "docs/b.md"].map((path) => ({ ...secretFile(), path }));
    await scan([recorder("narrow"), recorder("wide"), recorder("only")], files, {
      checks: { narrow: { paths: { ignore: ["package-lock.json"] } }, only: { paths: { include: ["src/**"], ignore: ["*.md"] } } },
    });
    expect(seen).toEqual({ narrow: ["src/a.ts", "docs/b.md"], wide: ["package-lock.json", "src/a.ts", "docs/b.md"], only: ["src/a.ts"] });
  });

  it("reads files outside the change through the source, and files in it through themselves", async () => {
    const reads: string[] = [];
    let got: unknown[] = [];
    const check = testCheck("ctx", async (ctx) => {
      got = await Promise.all([ctx.readFileAtHead("a/package.json"), ctx.readFileAtHead("src/app.ts")]);
      return [];
    });
    await scan([check], [secretFile()], {}, { readFileAtHead: async (path) => (reads.push(path), `{"name": "${path}"}`) });
    expect(reads).toEqual(["a/package.json"]);
    expect(got[0]).toBe('{"name": "a/package.json"}');
    expect(typeof got[1]).toBe("string");

    let refused: unknown;
    const bare = testCheck("bare", async (ctx) => ((refused = await ctx.readFileAtHead("elsewhere.json").catch((e: Error) => e.message)), []));
    await scan([bare], [secretFile()]);
    expect(refused).toContain("cannot read files outside the change");
  });

  it("reports every check as an error when the scan is aborted, before or during the run", async () => {
    const controller = new AbortController();
    controller.abort(new Error("superseded by a newer push"));
    const early = await scan([markerCheck()], [secretFile()], {}, { signal: controller.signal });
    expect(early.outcomes[0]).toMatchObject({ status: "error" });
    expect(early.outcomes[0]?.message).toContain("superseded by a newer push");

    const later = new AbortController();
    const hanging = testCheck("slow", () => new Promise(() => {}));
    setTimeout(() => later.abort(new Error("cancelled")), 50);
    const during = await scan([hanging], [secretFile()], {}, { signal: later.signal });
    expect(during.outcomes[0]).toMatchObject({ status: "error", message: "cancelled" });
  });

  it("rejects two checks with the same id", async () => {
    await expect(scan([markerCheck("same"), markerCheck("same")], [secretFile()])).rejects.toThrow(/two checks have the id "same"/);
  });

  it("keeps check warnings and caps a flood of findings", async () => {
    const flood = testCheck("flood", async ({ files }) => ({
      findings: Array.from({ length: 6000 }, () => ({ ruleId: "rule-b", path: files[0]!.path, startLine: 1, message: "m" })),
      warnings: ["file x was too large to read"],
    }));
    const result = await scan([flood], [secretFile()]);
    expect(result.outcomes[0]?.warnings[0]).toBe("file x was too large to read");
    expect(result.outcomes[0]?.warnings[1]).toMatch(/reported 6000 findings; only the first 5000/);
    expect(result.findings).toHaveLength(5000);
  });
});

describe("the verdict", () => {
  const throwing = () =>
    testCheck("broken", async () => {
      throw new Error("boom");
    });

  it.each([
    ["neutral", "neutral"],
    ["fail", "fail"],
  ])("follows on_error: %s when a check errors and nothing blocks", async (onError, conclusion) => {
    const result = await scan([throwing(), markerCheck()], [changedFile({ path: "a.txt", head: "clean\n" })], { on_error: onError });
    expect(result.verdict.conclusion).toBe(conclusion);
    expect(result.verdict.title).toContain("1 check could not run");
    expect(result.verdict.reasons).toContain("check broken could not run: boom");
  });

  it("fails on a blocking finding even when a check errored under on_error: neutral", async () => {
    const result = await scan([throwing(), markerCheck()], [secretFile()], { on_error: "neutral" });
    expect(result.verdict.conclusion).toBe("fail");
    expect(result.verdict.title).toBe("1 high: fails on high; 1 check could not run");
  });

  // markerCheck reports rule-a at its default severity `high`; the override sets it per case.
  it.each([
    ["critical", "high", "pass"],
    ["high", "high", "fail"],
    ["medium", "high", "fail"],
    ["high", "medium", "pass"],
    ["info", "info", "fail"],
    ["low", "info", "pass"],
    ["never", "critical", "pass"],
  ])("fail_on %s with a %s finding: %s", async (failOn, severity, conclusion) => {
    const check = markerCheck();
    const result = await scan([check], [secretFile()], { fail_on: failOn, checks: { marker: { severity: { "rule-a": severity } } } });
    expect(result.verdict.conclusion).toBe(conclusion);
    expect(result.verdict.counts[severity as "high"]).toBe(1);
    if (failOn === "never") expect(result.verdict.title).toContain("blocking is off");
  });

  it("passes with a plain title when nothing is found", async () => {
    const result = await scan([markerCheck()], [changedFile({ path: "a.txt", head: "clean\n" })]);
    expect(result.verdict).toMatchObject({ conclusion: "pass", title: "No problems found", reasons: [] });
  });
});

describe("severity overrides", () => {
  const twoRules = () =>
    testCheck("two", async () => [
      { ruleId: "rule-a", path: "src/app.ts", startLine: 1, message: "a" },
      { ruleId: "rule-b", path: "src/app.ts", startLine: 2, message: "b" },
      { ruleId: "undeclared", path: "src/app.ts", startLine: 3, message: "c" },
    ]);
  const severities = async (severity: Record<string, string>) => {
    const result = await scan([twoRules()], [secretFile()], { fail_on: "never", checks: { two: { severity } } });
    return Object.fromEntries(result.findings.map((f) => [f.ruleId, f.severity]));
  };

  it("uses the rule's severity, else the check's default", async () => {
    expect(await severities({})).toEqual({ "two/rule-a": "high", "two/rule-b": "low", "two/undeclared": "medium" });
  });

  it('applies "*" to every rule, and a rule\'s own override (local or full id) over "*"', async () => {
    expect(await severities({ "*": "info" })).toEqual({ "two/rule-a": "info", "two/rule-b": "info", "two/undeclared": "info" });
    expect(await severities({ "*": "info", "rule-a": "critical", "two/rule-b": "medium" })).toEqual({
      "two/rule-a": "critical",
      "two/rule-b": "medium",
      "two/undeclared": "info",
    });
  });
});

describe("paths.ignore", () => {
  const paths = [
    "dist/app.min.js",
    "src/deep/lib.min.js",
    "vendor/lib.js",
    "src/vendor/x.js",
    "docs/guide/setup.md",
    "README.md",
    "test/fixtures/key.pem",
    "src/test/fixtures/key.pem",
    "src/main.ts",
  ];
  const seenWith = async (ignore: string[]) => {
    let seen: string[] = [];
    const check = testCheck("paths", async ({ files }) => ((seen = files.map((f) => f.path)), []));
    const result = await scan([check], paths.map((path) => changedFile({ path, head: "x\n" })), { paths: { ignore } });
    expect(result.suppressed.ignoredPaths).toBe(paths.length - seen.length);
    return seen;
  };

  it("matches a glob without a slash against names at any depth", async () => {
    expect(await seenWith(["*.min.js"])).not.toContain("src/deep/lib.min.js");
    expect(await seenWith(["*.min.js"])).not.toContain("dist/app.min.js");
    // A bare folder name ignores that folder anywhere.
    const withoutVendor = await seenWith(["vendor"]);
    expect(withoutVendor).not.toContain("vendor/lib.js");
    expect(withoutVendor).not.toContain("src/vendor/x.js");
  });

  it("anchors a glob with a slash at the root, and a trailing slash means the whole folder", async () => {
    const seen = await seenWith(["test/fixtures/", "docs/**/*.md"]);
    expect(seen).toEqual(["dist/app.min.js", "src/deep/lib.min.js", "vendor/lib.js", "src/vendor/x.js", "README.md", "src/test/fixtures/key.pem", "src/main.ts"]);
    expect(await seenWith(["test/fixtures"])).not.toContain("test/fixtures/key.pem");
    expect(await seenWith(["./src/main.ts"])).not.toContain("src/main.ts");
  });

  it("ignores nothing when nothing is listed", async () => {
    expect(await seenWith([])).toEqual(paths);
  });
});

describe("inline pr-sentinel-ignore markers", () => {
  const scanLines = async (...text: string[]) => {
    const file = changedFile({ path: "f.txt", head: lines(...text) });
    return scan([markerCheck()], [file], { fail_on: "never" });
  };

  it.each([
    ["#", "token = SECRET  # pr-sentinel-ignore"],
    ["//", "token = SECRET; // pr-sentinel-ignore marker/rule-a"],
    ["/* */", "token = SECRET; /* pr-sentinel-ignore rule-a */"],
    ["/* */ glued", "token = SECRET; /* pr-sentinel-ignore rule-a*/"],
    ["<!-- -->", "<p>SECRET</p> <!-- pr-sentinel-ignore marker/rule-a -->"],
    ["<!-- --> glued", "<p>SECRET</p> <!--pr-sentinel-ignore rule-a-->"],
    ["--", "SELECT 'SECRET'; -- pr-sentinel-ignore marker"],
    ["a list", "SECRET # pr-sentinel-ignore other-rule, rule-a"],
  ])("on the line, in %s", async (_syntax, line) => {
    const result = await scanLines("first", line);
    expect(result.findings).toEqual([]);
    expect(result.suppressed.inline).toBe(1);
  });

  it.each([
    ["#", "# pr-sentinel-ignore rule-a"],
    ["//", "// pr-sentinel-ignore"],
    ["<!-- -->", "<!-- pr-sentinel-ignore marker/rule-a -->"],
    ["--", "-- pr-sentinel-ignore rule-a"],
  ])("on the line above, in %s", async (_syntax, marker) => {
    const result = await scanLines(marker, "value: SECRET");
    expect(result.findings).toEqual([]);
    expect(result.suppressed.inline).toBe(1);
  });

  it("reads the line above from the head file when the change did not add it", async () => {
    const file = changedFile({ path: "f.txt", head: lines("# pr-sentinel-ignore rule-a", "value: SECRET"), added: [2] });
    const result = await scan([markerCheck()], [file]);
    expect(result.suppressed.inline).toBe(1);
    expect(file.headReads).toBe(1);
  });

  it.each([
    ["another rule id", "SECRET # pr-sentinel-ignore rule-b"],
    ["another check's rule", "SECRET # pr-sentinel-ignore other/rule-a"],
    ["a longer marker word", "SECRET # pr-sentinel-ignore-all"],
    ["a rule id that only starts the same", "SECRET # pr-sentinel-ignore rule-abc"],
  ])("does not suppress for %s", async (_name, line) => {
    const result = await scanLines(line);
    expect(result.findings).toHaveLength(1);
    expect(result.suppressed.inline).toBe(0);
  });

  it("a marker trailing code on the line above speaks for its own line only", async () => {
    const result = await scanLines("fixture = SECRET  # pr-sentinel-ignore", "real = SECRET");
    expect(result.findings.map((f) => f.startLine)).toEqual([2]);
    expect(result.suppressed.inline).toBe(1);
  });

  it("a string that mentions the marker on the line above suppresses nothing", async () => {
    const result = await scanLines('help = "add pr-sentinel-ignore to silence a finding"', "value: SECRET");
    expect(result.findings).toHaveLength(1);
    expect(result.suppressed.inline).toBe(0);
  });

  it("a marker above a multi-line finding's first line suppresses it; one above its last line does not", async () => {
    const multiLine = testCheck("block", async ({ files }) => [
      { ruleId: "rule-a", path: files[0]!.path, startLine: 2, endLine: 4, message: "a key block" },
    ]);
    const file = (...text: string[]) => [changedFile({ path: "k.pem", head: lines(...text) })];
    const above = await scan([multiLine], file("# pr-sentinel-ignore rule-a", "-----BEGIN-----", "body", "-----END-----"));
    expect(above.suppressed.inline).toBe(1);
    const inside = await scan([multiLine], file("spacer", "-----BEGIN-----", "# pr-sentinel-ignore rule-a", "-----END-----"));
    expect(inside.findings).toHaveLength(1);
  });

  it("does not reach two lines up", async () => {
    const result = await scanLines("# pr-sentinel-ignore", "spacer", "SECRET");
    expect(result.findings).toHaveLength(1);
  });
});

describe("the allowlist", () => {
  const fingerprintOf = async () => (await scan([markerCheck()], [secretFile()])).findings[0]!.fingerprint;

  it("suppresses by a fingerprint prefix and counts it", async () => {
    const fp = await fingerprintOf();
    const result = await scan([markerCheck()], [secretFile()], { allowlist: [{ fingerprint: fp.slice(0, 12), reason: "test key" }] });
    expect(result.findings).toEqual([]);
    expect(result.suppressed.allowlist).toBe(1);
    expect(result.verdict.conclusion).toBe("pass");
  });

  it("applies through the expiry day and stops after it, listing the expired entry", async () => {
    const fp = await fingerprintOf();
    const entry = (expires: string) => ({ allowlist: [{ fingerprint: fp, reason: "rotating next week", expires }] });
    const lastDay = await scan([markerCheck()], [secretFile()], entry("2026-06-15"));
    expect(lastDay.findings).toEqual([]);
    expect(lastDay.expiredAllowlist).toEqual([]);

    const dayAfter = await scan([markerCheck()], [secretFile()], entry("2026-06-14"));
    expect(dayAfter.findings).toHaveLength(1);
    expect(dayAfter.suppressed.allowlist).toBe(0);
    expect(dayAfter.expiredAllowlist).toEqual([{ fingerprint: fp, reason: "rotating next week", expires: "2026-06-14" }]);
    expect(dayAfter.verdict.conclusion).toBe("fail");
  });

  it("does not suppress a different finding", async () => {
    const result = await scan([markerCheck()], [secretFile()], { allowlist: [{ fingerprint: "0123456789ab", reason: "other" }] });
    expect(result.findings).toHaveLength(1);
  });
});

describe("fingerprints", () => {
  const fingerprints = async (head: string, added?: number[]) =>
    (await scan([markerCheck()], [changedFile({ path: "src/app.ts", head, added })], { fail_on: "never" })).findings.map((f) => f.fingerprint);

  it("are 64 hex characters and stay the same when unrelated lines are inserted above", async () => {
    const before = await fingerprints(lines("a", "key = SECRET", "b"));
    const after = await fingerprints(lines("new 1", "new 2", "a", "key = SECRET", "b"));
    expect(before[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(after).toEqual(before);
  });

  it("differ for the same text twice in one file, and stay stable per occurrence", async () => {
    const twice = await fingerprints(lines("key = SECRET", "x", "key = SECRET"));
    expect(twice).toHaveLength(2);
    expect(new Set(twice).size).toBe(2);
    expect(await fingerprints(lines("moved", "key = SECRET", "x", "key = SECRET"))).toEqual(twice);
  });

  it("differ between files and rules, and follow the check's fingerprintKey over the line text", async () => {
    const keyed = testCheck("keyed", async ({ files }) =>
      files.map((f) => ({ ruleId: "rule-a", path: f.path, startLine: 1, message: "m", fingerprintKey: "hash-of-secret" })),
    );
    const run = async (path: string, head: string) => (await scan([keyed], [changedFile({ path, head })])).findings[0]!.fingerprint;
    expect(await run("a.ts", "one\n")).toBe(await run("a.ts", "completely different line\n"));
    expect(await run("a.ts", "one\n")).not.toBe(await run("b.ts", "one\n"));
  });

  it("use a context line's text when the finding is not on an added line", async () => {
    const onContext = testCheck("ctx", async ({ files }) => [{ ruleId: "rule-a", path: files[0]!.path, startLine: 1, message: "m" }]);
    const fp = async (head: string) =>
      (await scan([onContext], [changedFile({ path: "p.json", head, added: [2] })])).findings[0]!.fingerprint;
    expect(await fp(lines('"name": "x"', "added"))).not.toBe(await fp(lines('"name": "y"', "added")));
  });
});

describe("the result", () => {
  it("lists rules with full ids and help URLs, sorts findings by severity, and counts distinct identities", async () => {
    const check = testCheck("many", async () => [
      { ruleId: "rule-b", path: "src/app.ts", startLine: 1, message: "low one", identity: "same" },
      { ruleId: "rule-a", path: "src/app.ts", startLine: 3, message: "high one", identity: "same" },
      { ruleId: "rule-a", path: "src/app.ts", startLine: 2, message: "high two", endLine: 3 },
    ]);
    const result = await scan([check], [secretFile()], { fail_on: "never" }, { notes: ["partial list"] });
    expect(result.findings.map((f) => [f.severity, f.startLine])).toEqual([
      ["high", 2],
      ["high", 3],
      ["low", 1],
    ]);
    expect(result.findings[0]).toMatchObject({ endLine: 3, commentable: true, helpUrl: expect.stringMatching(/checks\/many\.md#rule-a$/) });
    expect(result.stats).toMatchObject({ files: 1, addedLines: 3, distinctFindings: 2 });
    expect(result.rules.map((r) => r.id)).toEqual(["many/rule-a", "many/rule-b"]);
    expect(result.notes).toEqual(["partial list"]);
  });

  it("marks findings outside the commentable lines as not commentable", async () => {
    const file = changedFile({ path: "src/app.ts", head: lines("SECRET", "SECRET"), commentable: [1] });
    const result = await scan([markerCheck()], [file]);
    expect(result.findings.map((f) => [f.startLine, f.commentable])).toEqual([
      [1, true],
      [2, false],
    ]);
  });
});

describe("errors a check throws", () => {
  it("never carry file content into the outcome message", async () => {
    const files = [changedFile({ path: "package-lock.json", head: lines("ghp_realLookingTokenValue0123456789abcdef") })];
    const parser = testCheck("parser", async ({ files: fs }) => {
      JSON.parse(fs[0]!.addedLines[0]!.text);
      return [];
    });
    const result = await scan([parser], files);
    expect(result.outcomes[0]).toMatchObject({ status: "error" });
    expect(result.outcomes[0]!.message).toContain("is not valid JSON");
    expect(result.outcomes[0]!.message).not.toContain("ghp_");
  });
});

describe("warnings a check reports", () => {
  it("are scrubbed like errors, keeping the names of changed files", async () => {
    const files = [changedFile({ path: "dist/app.a1b2c3d4e5f6a7b8c9.js", head: lines("x") })];
    const warner = testCheck("warner", async () => ({
      findings: [],
      warnings: ['dist/app.a1b2c3d4e5f6a7b8c9.js: could not parse, Unexpected token "sk_live_0123456789abcdefXYZ"', "second\nline"],
    }));
    const result = await scan([warner], files);
    expect(result.outcomes[0]!.warnings).toEqual(['dist/app.a1b2c3d4e5f6a7b8c9.js: could not parse, Unexpected token "…"', "second"]);
  });
});

describe("fingerprints of identical lines", () => {
  it("do not depend on the order a check reports them in", async () => {
    const file = () => changedFile({ path: "a.env", head: lines("KEY=SECRET", "other", "KEY=SECRET") });
    const reporting = (order: number[]) =>
      testCheck("dup", async ({ files }) => order.map((line) => ({ ruleId: "rule-a", path: files[0]!.path, startLine: line, message: "m" })));
    const byLine = async (order: number[]) =>
      Object.fromEntries((await scan([reporting(order)], [file()])).findings.map((f) => [f.startLine, f.fingerprint]));
    const forward = await byLine([1, 3]);
    expect(forward[1]).not.toBe(forward[3]);
    expect(await byLine([3, 1])).toEqual(forward);
  });
});
