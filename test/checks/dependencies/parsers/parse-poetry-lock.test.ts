import { describe, expect, it } from "vitest";
import { poetryLockFormat } from "../../../../src/checks/dependencies/parsers/parse-poetry-lock.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("poetry-lock");
const parse = (text: string) => poetryLockFormat.parse(text, "poetry.lock");
const parseError = parseErrorFrom(parse);

describe("poetryLockFormat", () => {
  it("matches poetry.lock only", () => {
    expect(poetryLockFormat.matches("poetry.lock")).toBe(true);
    expect(poetryLockFormat.matches("services/api/poetry.lock")).toBe(true);
    expect(poetryLockFormat.matches("pyproject.toml")).toBe(false);
    expect(poetryLockFormat.matches("Poetry.lock")).toBe(false);
    expect(poetryLockFormat).toMatchObject({ id: "poetry-lock", files: "poetry.lock", ecosystem: "PyPI", kind: "lockfile" });
  });

  it("reads a Poetry 1.x lock: names, versions, [[package]] lines and category", () => {
    const parsed = parse(fixture("poetry-1-category.lock"));
    expect(parsed).toMatchObject({ ecosystem: "PyPI", kind: "lockfile" });
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.dev, d.direct])).toEqual([
      ["certifi", "2023.7.22", 3, false, false],
      ["charset-normalizer", "3.2.0", 15, false, false],
      ["colorama", "0.4.6", 27, true, false],
      ["idna", "3.4", 39, false, false],
      ["internal-utils", "0.3.1", 51, false, false],
      ["pytest", "7.4.0", 65, true, false],
      ["requests", "2.31.0", 86, false, false],
      ["toolbelt", "1.0.0", 108, false, false],
      ["urllib3", "2.0.4", 124, false, false],
    ]);
    expect(parsed.dependencies[0]).toEqual({
      ecosystem: "PyPI",
      name: "certifi",
      version: "2023.7.22",
      line: 3,
      direct: false,
      dev: false,
      integrity: "sha256:b745aaaf6dc123e0410db883529d25978c7de867c40a31dbb8ea0502ad0be625",
    });
  });

  it("keeps git sources with the locked commit, and a private index as resolved", () => {
    const deps = parse(fixture("poetry-1-category.lock")).dependencies;
    expect(deps.find((d) => d.name === "toolbelt")).toEqual({
      ecosystem: "PyPI",
      name: "toolbelt",
      version: "1.0.0",
      line: 108,
      direct: false,
      dev: false,
      source: { kind: "git", spec: "https://github.com/example-org/toolbelt.git#9f2c1e7d4b8a6c3e5f1a2b3c4d5e6f708192a3b4" },
    });
    const internal = deps.find((d) => d.name === "internal-utils");
    expect(internal).toMatchObject({ resolved: "https://pypi.corp.example.com/simple", integrity: "" });
    expect(internal?.source).toBeUndefined();
  });

  it("reads a Poetry 2 lock: groups decide dev, names are normalised", () => {
    const deps = parse(fixture("poetry-2-groups.lock")).dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.dev])).toEqual([
      ["asgiref", "3.7.2", 3, false],
      ["django", "4.2.4", 17, false],
      ["iniconfig", "2.0.0", 37, true],
      ["local-plugin", "0.1.0", 49, false],
      ["packaging", "23.1", 63, false],
      ["sqlparse", "0.4.4", 75, false],
      ["zope-interface", "6.0", 91, true],
    ]);
    expect(deps.find((d) => d.name === "local-plugin")).toMatchObject({ source: { kind: "file", spec: "plugins/local-plugin" } });
    expect(deps.find((d) => d.name === "local-plugin")).not.toHaveProperty("integrity");
    expect(deps.find((d) => d.name === "django")?.integrity).toBe("sha256:8a4c86ffd01dcb19d9029ce8132b8bb415dfe3ae435753a75af439afdcca14a8");
  });

  it("normalises names and keeps the declared spelling", () => {
    const deps = parse('[[package]]\nname = "Ruamel.Yaml"\nversion = "0.17.32"\nfiles = []\n').dependencies;
    expect(deps).toEqual([{ ecosystem: "PyPI", name: "ruamel-yaml", declaredName: "Ruamel.Yaml", version: "0.17.32", line: 1, direct: false, integrity: "" }]);
  });

  it("reads lock-version 1.1 hashes from [metadata.files], and url sources", () => {
    const text = [
      "[[package]]",
      'name = "six"',
      'version = "1.16.0"',
      'category = "main"',
      "",
      "[[package]]",
      'name = "wheelie"',
      'version = "2.0"',
      'category = "dev"',
      "[package.source]",
      'type = "url"',
      'url = "https://example.com/wheelie-2.0.tar.gz"',
      "",
      "[metadata]",
      'lock-version = "1.1"',
      "[metadata.files]",
      "six = [",
      '    {file = "six-1.16.0-py2.py3-none-any.whl", hash = "sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254"},',
      "]",
      "wheelie = []",
    ].join("\n");
    const deps = parse(text).dependencies;
    expect(deps.map((d) => [d.name, d.line, d.dev, d.integrity, d.source?.kind])).toEqual([
      ["six", 1, false, "sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254", undefined],
      ["wheelie", 6, true, undefined, "url"],
    ]);
  });

  it("leaves dev undefined when the lock has neither category nor groups", () => {
    const deps = parse('[[package]]\nname = "a"\nversion = "1"\nfiles = [{file = "a.whl", hash = "sha256:1"}]\n').dependencies;
    expect(deps[0]).not.toHaveProperty("dev");
  });

  it("accepts an empty lock, refuses a file that is not one", () => {
    expect(parse('package = []\n\n[metadata]\nlock-version = "2.0"\n').dependencies).toEqual([]);
    expect(parseError('[tool.poetry]\nname = "x"\n').message).toMatch(/not a poetry\.lock/);
  });

  it("throws DependencyParseError with the line for malformed locks", () => {
    const toml = parseError('[[package]]\nname = "a"\nversion = "1.0\n');
    expect(toml.line).toBe(3);
    expect(toml.message).toMatch(/invalid TOML at line 3/);
    expect(parseError('[[package]]\nname = "a"\nversion = "1"\n\n[[package]]\nversion = "1"\n').line).toBe(5);
    expect(parseError('[[package]]\nname = "a"\n').line).toBe(1);
    expect(parseError('[[package]]\nname = "a"\nversion = "1"\n[package.source]\nurl = "x"\n').line).toBe(1);
    expect(parseError('package = "nope"\n').message).toMatch(/array of tables/);
    expect(parseError('package = [1]\n').message).toMatch(/not a table/);
  });

  it("handles a BOM and CRLF", () => {
    const deps = parse('\uFEFF# generated\r\n\r\n[[package]]\r\nname = "a"\r\nversion = "1.0"\r\ncategory = "main"\r\nfiles = []\r\n').dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line])).toEqual([["a", "1.0", 3]]);
  });
});

describe("poetryLockFormat on damaged input", () => {
  it("only ever throws DependencyParseError, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("poetry-1-category.lock"), fixture("poetry-2-groups.lock")], { numRuns: 500 });
  });
});
