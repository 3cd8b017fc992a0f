/**
 * The promise, pinned for every format in DEPENDENCY_FORMATS: upgrades and downgrades into
 * a vulnerable range are found in every format; a vulnerable dependency the pull request did not
 * add or change gives no finding; a removal-only pull request is clean; a dependency that only moved
 * to other lines is not judged (not even looked up). Also: an upgrade out of the range is clean.
 *
 * Driven through the real engine with an in-memory `VulnerabilityLookup` that evaluates the OSV
 * records below with the real `affectedVersion` (no network). The records are written for this
 * test (invented packages, real ecosystem names, each ecosystem's own version syntax: ECOSYSTEM
 * ranges for PyPI, RubyGems, Maven, NuGet and Packagist, SEMVER for npm, crates.io and Go).
 *
 * Every format here can pin an exact version (manifests included: package.json `"x": "1.2.3"`,
 * requirements `==`, PEP 621 `==`, go.mod, pom.xml `<version>`), so no scenario is N/A.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEPENDENCY_FORMATS, formatFor } from "../../../src/checks/dependencies/formats.js";
import type { Ecosystem } from "../../../src/checks/dependencies/model.js";
import { affectedVersion } from "../../../src/checks/dependencies/osv/affects.js";
import type { PackageQuery, VulnerabilityLookup } from "../../../src/checks/dependencies/services.js";
import type { OsvRecord } from "../../../src/services/osv/osv-record.js";
import {
  cargoLockWriter,
  composerLockWriter,
  gemfileLockWriter,
  goModWriter,
  nugetLockWriter,
  packageJsonWriter,
  packageLockWriter,
  pipfileLockWriter,
  pnpmV6Writer,
  pnpmV9Writer,
  poetryLockWriter,
  pomXmlWriter,
  pyprojectWriter,
  requirementsTxtWriter,
  uvLockWriter,
  yarnBerryWriter,
  yarnClassicWriter,
  type FormatWriter,
  type Pkg,
} from "./formats-delta-files.js";
import { fileChange, scanDependencies } from "./harness.js";

/** One vulnerable package per ecosystem, with versions below, inside and above its range, and a safe neighbour. */
interface EcosystemCase {
  readonly vulnerable: string;
  readonly other: Pkg;
  /** Below the range (the upgrade starts here). */
  readonly safe: string;
  /** Inside the range. */
  readonly inRange: string;
  /** The fix (the downgrade starts here). */
  readonly fixed: string;
  readonly records: readonly OsvRecord[];
}

const range = (type: "SEMVER" | "ECOSYSTEM", introduced: string, fixed: string) => [{ type, events: [{ introduced }, { fixed }] }];

function record(id: string, ecosystem: Ecosystem, name: string, type: "SEMVER" | "ECOSYSTEM", introduced: string, fixed: string, summary: string): OsvRecord {
  return {
    id,
    modified: "2025-01-10T00:00:00Z",
    summary,
    affected: [{ package: { ecosystem, name }, ranges: range(type, introduced, fixed) }],
    database_specific: { severity: "HIGH" },
  };
}

const ECOSYSTEM_CASES: Record<Ecosystem, EcosystemCase> = {
  npm: {
    vulnerable: "vulnpkg",
    other: { name: "safepkg", version: "2.1.3" },
    safe: "3.10.1",
    inRange: "4.17.15",
    fixed: "4.17.21",
    records: [
      record("GHSA-test-npm1-0001", "npm", "vulnpkg", "SEMVER", "4.0.0", "4.17.19", "Prototype pollution in vulnpkg merge"),
      record("GHSA-test-npm2-0002", "npm", "vulnpkg", "SEMVER", "4.2.0", "4.17.21", "Command injection in vulnpkg template"),
    ],
  },
  // PEP 440: 2.2 < 2.2.1, and 2.0rc1 (the range's start) sorts before 2.0.
  PyPI: {
    vulnerable: "vulnpkg",
    other: { name: "safepkg", version: "1.0.0" },
    safe: "1.9.3",
    inRange: "2.2",
    fixed: "2.2.1",
    records: [record("PYSEC-2025-9001", "PyPI", "VulnPkg", "ECOSYSTEM", "2.0rc1", "2.2.1", "Path traversal in vulnpkg archive extraction")],
  },
  Go: {
    vulnerable: "example.com/vulnpkg",
    other: { name: "example.com/safepkg", version: "v1.3.0" },
    safe: "v0.9.0",
    inRange: "v0.16.0",
    fixed: "v0.17.0",
    // OSV's Go records spell versions without the `v` that go.mod has.
    records: [record("GO-2025-9001", "Go", "example.com/vulnpkg", "SEMVER", "0.10.0", "0.17.0", "Unbounded allocation in vulnpkg parser")],
  },
  "crates.io": {
    vulnerable: "vulncrate",
    other: { name: "safecrate", version: "1.0.188" },
    safe: "0.6.9",
    inRange: "0.7.3",
    fixed: "0.7.4",
    records: [record("RUSTSEC-2025-9001", "crates.io", "vulncrate", "SEMVER", "0.7.0", "0.7.4", "Use after free in vulncrate buffer")],
  },
  // RubyGems: 3.1.0.rc1 (the range's start) is a prerelease of 3.1.0.
  RubyGems: {
    vulnerable: "vulngem",
    other: { name: "safegem", version: "1.2.0" },
    safe: "3.0.9",
    inRange: "3.1.1",
    fixed: "3.1.2",
    records: [record("GHSA-test-gem1-0001", "RubyGems", "vulngem", "ECOSYSTEM", "3.1.0.rc1", "3.1.2", "XSS in vulngem helpers")],
  },
  Packagist: {
    vulnerable: "acme/vulnpkg",
    other: { name: "acme/safepkg", version: "1.4.0" },
    safe: "4.4.0",
    inRange: "5.4.1",
    fixed: "5.4.2",
    records: [record("GHSA-test-php1-0001", "Packagist", "acme/vulnpkg", "ECOSYSTEM", "5.0.0", "5.4.2", "SQL injection in acme/vulnpkg query builder")],
  },
  // Maven: four-part versions, 2.9.10.1 < 2.9.10.8 (jackson-databind style).
  Maven: {
    vulnerable: "com.example:vulnlib",
    other: { name: "com.example:safelib", version: "3.14.0" },
    safe: "2.8.11",
    inRange: "2.9.10.1",
    fixed: "2.9.10.8",
    records: [record("GHSA-test-mvn1-0001", "Maven", "com.example:vulnlib", "ECOSYSTEM", "2.9.0", "2.9.10.8", "Deserialization of untrusted data in vulnlib")],
  },
  // NuGet names are case-insensitive: the record spells it in lower case.
  NuGet: {
    vulnerable: "Acme.VulnPkg",
    other: { name: "Acme.SafePkg", version: "6.0.0" },
    safe: "4.7.1",
    inRange: "5.2.3",
    fixed: "5.2.4",
    records: [record("GHSA-test-nug1-0001", "NuGet", "acme.vulnpkg", "ECOSYSTEM", "5.0.0", "5.2.4", "Denial of service in Acme.VulnPkg")],
  },
};

interface FormatCase {
  readonly title: string;
  readonly formatId: string;
  readonly path: string;
  readonly ecosystem: Ecosystem;
  readonly writer: FormatWriter;
  /** The exact line of the vulnerable package in the "added" scenario's head. */
  readonly addedLine: number;
}

const FORMAT_CASES: readonly FormatCase[] = [
  { title: "package.json (exact pin)", formatId: "package-json", path: "package.json", ecosystem: "npm", writer: packageJsonWriter, addedLine: 7 },
  { title: "package-lock.json v3", formatId: "package-lock", path: "package-lock.json", ecosystem: "npm", writer: packageLockWriter, addedLine: 21 },
  { title: "yarn.lock (classic)", formatId: "yarn-lock", path: "yarn.lock", ecosystem: "npm", writer: yarnClassicWriter, addedLine: 10 },
  { title: "yarn.lock (Berry)", formatId: "yarn-lock", path: "yarn.lock", ecosystem: "npm", writer: yarnBerryWriter, addedLine: 24 },
  { title: "pnpm-lock.yaml v6", formatId: "pnpm-lock", path: "pnpm-lock.yaml", ecosystem: "npm", writer: pnpmV6Writer, addedLine: 21 },
  { title: "pnpm-lock.yaml v9", formatId: "pnpm-lock", path: "pnpm-lock.yaml", ecosystem: "npm", writer: pnpmV9Writer, addedLine: 23 },
  { title: "requirements.txt", formatId: "requirements-txt", path: "requirements.txt", ecosystem: "PyPI", writer: requirementsTxtWriter, addedLine: 10 },
  { title: "pyproject.toml (PEP 621)", formatId: "pyproject-toml", path: "pyproject.toml", ecosystem: "PyPI", writer: pyprojectWriter, addedLine: 11 },
  { title: "poetry.lock", formatId: "poetry-lock", path: "poetry.lock", ecosystem: "PyPI", writer: poetryLockWriter, addedLine: 14 },
  { title: "Pipfile.lock", formatId: "pipfile-lock", path: "Pipfile.lock", ecosystem: "PyPI", writer: pipfileLockWriter, addedLine: 27 },
  { title: "uv.lock", formatId: "uv-lock", path: "uv.lock", ecosystem: "PyPI", writer: uvLockWriter, addedLine: 26 },
  { title: "go.mod", formatId: "go-mod", path: "go.mod", ecosystem: "Go", writer: goModWriter, addedLine: 7 },
  { title: "Cargo.lock", formatId: "cargo-lock", path: "Cargo.lock", ecosystem: "crates.io", writer: cargoLockWriter, addedLine: 19 },
  { title: "Gemfile.lock", formatId: "gemfile-lock", path: "Gemfile.lock", ecosystem: "RubyGems", writer: gemfileLockWriter, addedLine: 5 },
  { title: "composer.lock", formatId: "composer-lock", path: "composer.lock", ecosystem: "Packagist", writer: composerLockWriter, addedLine: 33 },
  { title: "pom.xml", formatId: "pom-xml", path: "pom.xml", ecosystem: "Maven", writer: pomXmlWriter, addedLine: 15 },
  { title: "packages.lock.json (NuGet)", formatId: "nuget-lock", path: "packages.lock.json", ecosystem: "NuGet", writer: nugetLockWriter, addedLine: 11 },
];

/** Every query the check made, so a test can say a package was not even looked up. */
const queried: PackageQuery[] = [];
afterEach(() => void queried.splice(0));

const ALL_RECORDS = Object.values(ECOSYSTEM_CASES).flatMap((c) => c.records);

const lookup: VulnerabilityLookup = {
  kind: "offline",
  lookup: async (queries) => {
    queried.push(...queries);
    return queries.map((query) => ALL_RECORDS.filter((r) => affectedVersion(r, query)));
  },
};

const CONFIG = { checks: { dependencies: { registry_signals: false, typosquats: false } } };
const VULNERABLE = "dependencies/vulnerable-dependency";

async function scan(c: FormatCase, base: readonly Pkg[], head: readonly Pkg[]) {
  const baseText = c.writer.render(base);
  const headText = c.writer.render(head);
  const result = await scanDependencies([fileChange(c.path, baseText, headText)], { services: { vulnerabilities: lookup }, config: CONFIG });
  return { result, baseText, headText };
}

const summary = (findings: readonly { ruleId: string; startLine?: number }[]) => findings.map((f) => [f.ruleId, f.startLine]);

/** The scan ran and reported nothing. */
function expectClean(result: Awaited<ReturnType<typeof scan>>["result"]) {
  expect(result.outcomes[0]?.status).toBe("ok");
  expect(result.findings).toEqual([]);
}

describe("the format table", () => {
  it("covers every format in DEPENDENCY_FORMATS, and each path is that format", () => {
    expect(new Set(FORMAT_CASES.map((c) => c.formatId))).toEqual(new Set(DEPENDENCY_FORMATS.map((f) => f.id)));
    for (const c of FORMAT_CASES) {
      expect(formatFor(c.path)?.id, c.title).toBe(c.formatId);
      expect(DEPENDENCY_FORMATS.find((f) => f.id === c.formatId)?.ecosystem, c.title).toBe(c.ecosystem);
    }
  });

  it("has records that the real range evaluation puts each version where the scenarios need it", () => {
    for (const [ecosystem, e] of Object.entries(ECOSYSTEM_CASES) as [Ecosystem, EcosystemCase][]) {
      const affected = (version: string) => e.records.some((r) => affectedVersion(r, { ecosystem, name: e.vulnerable, version }));
      expect([affected(e.safe), affected(e.inRange), affected(e.fixed)], ecosystem).toEqual([false, true, false]);
      expect(e.records.some((r) => affectedVersion(r, { ecosystem, ...e.other })), ecosystem).toBe(false);
    }
  });
});

describe.each(FORMAT_CASES)("$title", (c) => {
  const e = ECOSYSTEM_CASES[c.ecosystem];
  const vulnerable = (version: string): Pkg => ({ name: e.vulnerable, version });
  const { other } = e;

  /** A change of the vulnerable package from `from` into the range, found on the head line that declares it. */
  async function expectChangeIntoRangeFound(from: string, change: "upgraded" | "downgraded") {
    const { result, headText } = await scan(c, [vulnerable(from), other], [vulnerable(e.inRange), other]);
    expect(result.outcomes[0]?.status).toBe("ok");
    expect(summary(result.findings)).toEqual([[VULNERABLE, c.writer.declarationLine(headText, e.vulnerable)]]);
    expect(result.findings[0]!.properties).toMatchObject({ change, from_version: from });
  }

  it("(1) an upgrade from a safe version into the range is found on the head line that declares it", () => expectChangeIntoRangeFound(e.safe, "upgraded"));

  it("(2) a downgrade from the fixed version into the range is found", () => expectChangeIntoRangeFound(e.fixed, "downgraded"));

  it("(3) a vulnerable version already at base is not reported when the change only adds a safe dependency", async () => {
    // The safe one goes first, as sorted lockfiles put it: the untouched entry moves down as well.
    const { result } = await scan(c, [vulnerable(e.inRange)], [other, vulnerable(e.inRange)]);
    expectClean(result);
    // The added package was judged, the untouched one not even looked up.
    expect(queried.map((q) => q.name)).toEqual([other.name]);
  });

  it("(4) a removal-only change is clean", async () => {
    const { result } = await scan(c, [vulnerable(e.inRange), other], [other]);
    expectClean(result);
    expect(queried).toEqual([]);
  });

  it("(5) dependencies that only moved to other lines are not judged", async () => {
    const { result, baseText, headText } = await scan(c, [vulnerable(e.inRange), other], [other, vulnerable(e.inRange)]);
    // The scenario is real only if the vulnerable package did move.
    expect(c.writer.declarationLine(headText, e.vulnerable)).not.toBe(c.writer.declarationLine(baseText, e.vulnerable));
    expectClean(result);
    expect(queried).toEqual([]);
  });

  it("(6) an added vulnerable dependency is found on its exact line", async () => {
    const { result, headText } = await scan(c, [other], [other, vulnerable(e.inRange)]);
    expect(c.writer.declarationLine(headText, e.vulnerable)).toBe(c.addedLine);
    expect(result.outcomes[0]?.status).toBe("ok");
    expect(summary(result.findings)).toEqual([[VULNERABLE, c.addedLine]]);
    // The fix is spelled as the ecosystem spells it (Go with its `v`, Composer without).
    expect(result.findings[0]!.properties).toMatchObject({ change: "added", package: e.vulnerable, version: e.inRange, fixed_version: e.fixed });
  });

  it("(7) an upgrade out of the range, to the fixed version, is clean", async () => {
    const { result } = await scan(c, [vulnerable(e.inRange), other], [vulnerable(e.fixed), other]);
    expectClean(result);
    expect(queried.map((q) => [q.name, q.version])).toEqual([[e.vulnerable, e.fixed]]);
  });
});

/**
 * NuGet ids are case-insensitive, and a multi-target lock repeats each package per framework, not
 * always in the same spelling (a transitive entry takes the id as the parent's nuspec writes it).
 * The parser keeps the first framework's spelling, so which spelling the file "has" depends on
 * framework order: dropping or reordering a framework must not make an untouched package new.
 */
describe("packages.lock.json with several target frameworks", () => {
  const e = ECOSYSTEM_CASES.NuGet;
  const entry = (version: string) => ({ type: "Transitive", resolved: version, contentHash: "BxxippJfF/ovqSlRMjjgXGupOxXwvBeS1s/HLg1dO0GNakjAj8aoZokB6zIavkC20+j6lfIfBzG3g+/+rw7MTg==" });
  const lock = (frameworks: [string, string][]) =>
    `${JSON.stringify({ version: 1, dependencies: Object.fromEntries(frameworks.map(([framework, id]) => [framework, { [id]: entry(e.inRange) }])) }, null, 2)}\n`;
  const nugetScan = (base: string, head: string) =>
    scanDependencies([fileChange("packages.lock.json", base, head)], { services: { vulnerabilities: lookup }, config: CONFIG });

  it("reordering the frameworks does not make the vulnerable package new", async () => {
    const result = await nugetScan(
      lock([
        ["net6.0", "Acme.VulnPkg"],
        ["net8.0", "acme.vulnpkg"],
      ]),
      lock([
        ["net8.0", "acme.vulnpkg"],
        ["net6.0", "Acme.VulnPkg"],
      ]),
    );
    expect(result.findings).toEqual([]);
    expect(queried).toEqual([]);
  });

  it("dropping a target framework (removal only) is clean", async () => {
    const result = await nugetScan(
      lock([
        ["net6.0", "Acme.VulnPkg"],
        ["net8.0", "acme.vulnpkg"],
      ]),
      lock([["net8.0", "acme.vulnpkg"]]),
    );
    expect(result.findings).toEqual([]);
    expect(queried).toEqual([]);
  });
});
