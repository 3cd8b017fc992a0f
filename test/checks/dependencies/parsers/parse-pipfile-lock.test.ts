import { describe, expect, it } from "vitest";
import { pipfileLockFormat } from "../../../../src/checks/dependencies/parsers/parse-pipfile-lock.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("pipfile-lock");
const parse = (text: string) => pipfileLockFormat.parse(text, "Pipfile.lock");
const parseError = parseErrorFrom(parse);

describe("pipfileLockFormat", () => {
  it("matches Pipfile.lock only", () => {
    expect(pipfileLockFormat.matches("Pipfile.lock")).toBe(true);
    expect(pipfileLockFormat.matches("api/Pipfile.lock")).toBe(true);
    expect(pipfileLockFormat.matches("Pipfile")).toBe(false);
    expect(pipfileLockFormat.matches("pipfile.lock")).toBe(false);
    expect(pipfileLockFormat).toMatchObject({ id: "pipfile-lock", files: "Pipfile.lock", ecosystem: "PyPI", kind: "lockfile" });
  });

  it("reads default and develop with key lines; a package in both is one, not dev", () => {
    const parsed = parse(fixture("default-and-develop.Pipfile.lock"));
    expect(parsed).toMatchObject({ ecosystem: "PyPI", kind: "lockfile" });
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.dev, d.direct])).toEqual([
      ["certifi", "2023.7.22", 19, false, false],
      ["charset-normalizer", "3.2.0", 28, false, false],
      ["idna", "3.4", 36, false, false],
      ["packaging", "23.1", 44, false, false],
      ["requests", "2.31.0", 53, false, false],
      ["toolbelt", undefined, 62, false, false],
      ["urllib3", "2.0.4", 66, false, false],
      ["zope-interface", "6.0", 74, false, false],
      ["iniconfig", "2.0.0", 80, true, false],
      ["myproject", undefined, 88, true, false],
      ["pluggy", "1.2.0", 101, true, false],
      ["pytest", "7.4.0", 109, true, false],
    ]);
  });

  it("records the first hash, \"\" for none, and sources for git and path entries", () => {
    const deps = parse(fixture("default-and-develop.Pipfile.lock")).dependencies;
    expect(deps[0]).toEqual({
      ecosystem: "PyPI",
      name: "certifi",
      version: "2023.7.22",
      requirement: "==2023.7.22",
      line: 19,
      direct: false,
      dev: false,
      integrity: "sha256:b745aaaf6dc123e0410db883529d25978c7de867c40a31dbb8ea0502ad0be625",
    });
    expect(deps.find((d) => d.name === "zope-interface")).toMatchObject({ declaredName: "zope.interface", integrity: "" });
    expect(deps.find((d) => d.name === "toolbelt")).toEqual({
      ecosystem: "PyPI",
      name: "toolbelt",
      unpinned: "no version in the lockfile",
      line: 62,
      direct: false,
      dev: false,
      source: { kind: "git", spec: "https://github.com/example-org/toolbelt.git#9f2c1e7d4b8a6c3e5f1a2b3c4d5e6f708192a3b4" },
    });
    expect(deps.find((d) => d.name === "myproject")?.source).toEqual({ kind: "file", spec: "." });
  });

  it("keeps a package twice when the sections lock different versions", () => {
    const deps = parse('{"_meta": {}, "default": {"six": {"version": "==1.16.0"}}, "develop": {"six": {"version": "==1.15.0"}}}').dependencies;
    expect(deps.map((d) => [d.name, d.version, d.dev])).toEqual([
      ["six", "1.16.0", false],
      ["six", "1.15.0", true],
    ]);
  });

  it("reads file entries as URL sources and odd versions as unpinned", () => {
    const deps = parse(
      JSON.stringify({ _meta: {}, default: { wheel: { file: "https://example.com/wheel-1.0-py3-none-any.whl" }, odd: { version: ">=1.0" } } }),
    ).dependencies;
    expect(deps[0]?.source).toEqual({ kind: "url", spec: "https://example.com/wheel-1.0-py3-none-any.whl" });
    expect(deps[1]).toMatchObject({ name: "odd", unpinned: 'unpinned range ">=1.0"', requirement: ">=1.0" });
    expect(deps[1]).not.toHaveProperty("version");
  });

  it("accepts an empty lock, refuses JSON that is not a Pipfile.lock", () => {
    expect(parse('{"_meta": {}, "default": {}, "develop": {}}').dependencies).toEqual([]);
    expect(parseError("[]").message).toMatch(/not a Pipfile\.lock/);
    expect(parseError('{"name": "x"}').message).toMatch(/not a Pipfile\.lock/);
  });

  it("throws DependencyParseError with the line for malformed locks", () => {
    const json = parseError('{\n  "_meta": {},\n  "default": {\n    "six": {"version": "==1.0",}\n  }\n}');
    expect(json.line).toBe(4);
    expect(json.message).toMatch(/invalid JSON at line 4/);
    expect(parseError('{\n  "_meta": {},\n  "default": []\n}').line).toBe(3);
    expect(parseError('{\n  "_meta": {},\n  "default": {\n    "six": "==1.0"\n  }\n}').line).toBe(4);
    expect(parseError('{\n  "default": {\n    "six": {"version": 1}\n  }\n}').line).toBe(3);
    expect(parseError('{\n  "default": {\n    "x": {"git": 5}\n  }\n}').line).toBe(3);
  });

  it("handles a BOM and CRLF", () => {
    const deps = parse('\uFEFF{\r\n  "_meta": {},\r\n  "develop": {\r\n    "pytest": {"version": "==7.4.0", "hashes": []}\r\n  }\r\n}\r\n').dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.dev])).toEqual([["pytest", "7.4.0", 4, true]]);
  });
});

describe("pipfileLockFormat on damaged input", () => {
  it("only ever throws DependencyParseError, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("default-and-develop.Pipfile.lock")], { numRuns: 500 });
  });
});
