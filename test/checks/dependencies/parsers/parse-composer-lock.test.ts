import { describe, expect, it } from "vitest";
import { composerLockFormat } from "../../../../src/checks/dependencies/parsers/parse-composer-lock.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("composer-lock");
const parse = (text: string) => composerLockFormat.parse(text, "composer.lock");
const parseError = parseErrorFrom(parse);

const lock = (packages: unknown[], packagesDev: unknown[] = []) => JSON.stringify({ packages, "packages-dev": packagesDev }, null, 4);

describe("composerLockFormat", () => {
  it("matches composer.lock only", () => {
    expect(composerLockFormat.matches("composer.lock")).toBe(true);
    expect(composerLockFormat.matches("app/composer.lock")).toBe(true);
    expect(composerLockFormat.matches("composer.json")).toBe(false);
    expect(composerLockFormat).toMatchObject({ id: "composer-lock", ecosystem: "Packagist", kind: "lockfile" });
  });

  it("reads packages and packages-dev with the line where each object starts", () => {
    const parsed = parse(fixture("laravel-app.composer.lock"));
    expect(parsed).toMatchObject({ ecosystem: "Packagist", kind: "lockfile" });
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.dev, d.direct])).toEqual([
      ["guzzlehttp/guzzle", "7.8.1", 9, false, true],
      ["guzzlehttp/psr7", "2.6.2", 33, false, false],
      ["monolog/monolog", "3.5.0", 53, false, true],
      ["acme/internal-sdk", undefined, 64, false, true],
      ["acme/billing", undefined, 74, false, true],
      ["phpunit/phpunit", "10.5.10", 86, true, true],
      ["sebastian/diff", "5.1.0", 107, true, false],
    ]);
  });

  it("keeps registry archives as resolved, and a non-empty shasum as integrity", () => {
    const deps = parse(fixture("laravel-app.composer.lock")).dependencies;
    expect(deps[0]).toEqual({
      ecosystem: "Packagist",
      name: "guzzlehttp/guzzle",
      version: "7.8.1",
      line: 9,
      direct: true,
      dev: false,
      resolved: "https://api.github.com/repos/guzzle/guzzle/zipball/41042bc7ab002487b876a0683fc8dce04ddce104",
    });
    expect(deps[2]).toMatchObject({ resolved: "https://mirror.example.com/dist/monolog-monolog-3.5.0.zip", integrity: "5b3a1c0a9e4f1f2d3c4b5a69788796a5b4c3d2e1" });
  });

  it("makes branches unpinned, VCS-only packages git sources and path repositories file sources", () => {
    const deps = parse(fixture("laravel-app.composer.lock")).dependencies;
    expect(deps[3]).toEqual({
      ecosystem: "Packagist",
      name: "acme/internal-sdk",
      line: 64,
      direct: true,
      dev: false,
      unpinned: "branch dev-main",
      source: { kind: "git", spec: "git@github.com:acme/internal-sdk.git#0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6" },
    });
    expect(deps[4]).toMatchObject({ unpinned: "branch 1.0.x-dev", source: { kind: "file", spec: "packages/billing" } });
    expect(deps[4]?.resolved).toBeUndefined();
  });

  it("drops only a leading v before a digit", () => {
    const deps = parse(lock([{ name: "a/a", version: "v2.0.0-RC1" }, { name: "b/b", version: "V1.0" }, { name: "c/c", version: "1.2.3" }])).dependencies;
    expect(deps.map((d) => d.version)).toEqual(["2.0.0-RC1", "1.0", "1.2.3"]);
  });

  it("treats requirements case-insensitively when deciding what is direct", () => {
    const deps = parse(lock([{ name: "a/a", version: "1.0.0", require: { "B/B": "^1" } }, { name: "b/b", version: "1.0.0" }])).dependencies;
    expect(deps.map((d) => [d.name, d.direct])).toEqual([
      ["a/a", true],
      ["b/b", false],
    ]);
  });

  it("accepts a BOM, CRLF line ends and a null packages-dev", () => {
    const text = "\ufeff" + JSON.stringify({ packages: [{ name: "a/a", version: "1.0.0" }], "packages-dev": null }, null, 2).replace(/\n/g, "\r\n");
    expect(parse(text).dependencies.map((d) => [d.name, d.line])).toEqual([["a/a", 3]]);
  });


  it("only ever throws DependencyParseError on damaged input, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("laravel-app.composer.lock")]);
  });
  describe("malformed files", () => {
    it.each([
      ["invalid JSON", '{\n  "packages": [\n    { "name": "a/a", }\n  ]\n}', 3],
      ["a package without a version", lock([{ name: "a/a", version: "1.0.0" }, { name: "b/b" }]), 7],
      ["a package that is not an object", lock([], ["a/a"]), 4],
      ["packages that are not an array", '{\n  "packages": {}\n}', 2],
      ["a top level that is not an object", "[]", 1],
    ])("refuses %s, naming the line", (_what, text, line) => {
      expect(parseError(text).line).toBe(line);
    });
  });
});
