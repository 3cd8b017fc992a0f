import { describe, expect, it } from "vitest";
import { uvLockFormat } from "../../../../src/checks/dependencies/parsers/parse-uv-lock.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("uv-lock");
const parse = (text: string) => uvLockFormat.parse(text, "uv.lock");
const parseError = parseErrorFrom(parse);

describe("uvLockFormat", () => {
  it("matches uv.lock only", () => {
    expect(uvLockFormat.matches("uv.lock")).toBe(true);
    expect(uvLockFormat.matches("packages/api/uv.lock")).toBe(true);
    expect(uvLockFormat.matches("uv.toml")).toBe(false);
    expect(uvLockFormat).toMatchObject({ id: "uv-lock", files: "uv.lock", ecosystem: "PyPI", kind: "lockfile" });
  });

  it("reads every package on its [[package]] line, without the editable project itself", () => {
    const parsed = parse(fixture("editable-root-with-git.lock"));
    expect(parsed).toMatchObject({ ecosystem: "PyPI", kind: "lockfile" });
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.direct, d.dev])).toEqual([
      ["certifi", "2023.7.22", 5, false, false],
      ["charset-normalizer", "3.2.0", 14, false, false],
      ["colorama", "0.4.6", 23, false, true],
      ["httpx", "0.28.0.dev0", 32, true, false],
      ["idna", "3.4", 41, false, false],
      ["iniconfig", "2.0.0", 50, false, true],
      ["packaging", "23.1", 59, true, false],
      ["pluggy", "1.2.0", 68, false, true],
      ["pysocks", "1.7.1", 77, false, false],
      ["pytest", "7.4.0", 83, true, true],
      ["requests", "2.31.0", 98, true, false],
      ["urllib3", "2.0.4", 118, false, false],
      ["vendored-lib", "1.0.0", 127, true, false],
    ]);
    expect(parsed.dependencies.map((d) => d.name)).not.toContain("webapp");
  });

  it("takes integrity from the sdist, resolved from its URL, and keeps git and URL sources", () => {
    const deps = parse(fixture("editable-root-with-git.lock")).dependencies;
    expect(deps.find((d) => d.name === "certifi")).toEqual({
      ecosystem: "PyPI",
      name: "certifi",
      version: "2023.7.22",
      line: 5,
      direct: false,
      dev: false,
      resolved: "https://files.pythonhosted.org/packages/98/98/c2ff18671db109c9f10ed27f5ef610ae05b73bd876664139cf95bd1429aa/certifi-2023.7.22.tar.gz",
      integrity: "sha256:b7ad92134a7bace47356e206bd75f50c116cf9e2bb700d77ddd56cad1189a812",
    });
    const httpx = deps.find((d) => d.name === "httpx");
    expect(httpx?.source).toEqual({ kind: "git", spec: "https://github.com/encode/httpx?rev=0cb7e5a#0cb7e5a4b2f5d0e3c6b1a9f8e7d6c5b4a3f2e1d0" });
    expect(httpx).not.toHaveProperty("integrity");
    expect(deps.find((d) => d.name === "vendored-lib")).toMatchObject({
      source: { kind: "url", spec: "https://downloads.example.com/wheels/vendored_lib-1.0.0-py3-none-any.whl" },
      integrity: "sha256:5f0e8d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4",
    });
  });

  it("uses [manifest] members as roots and skips every local project source", () => {
    const text = [
      "version = 1",
      "",
      "[manifest]",
      'members = ["App", "lib"]',
      "",
      "[[package]]",
      'name = "app"',
      'version = "0.1.0"',
      'source = { virtual = "." }',
      'dependencies = [{ name = "lib" }, { name = "local-tool" }]',
      "",
      "[[package]]",
      'name = "lib"',
      'version = "0.2.0"',
      'source = { editable = "packages/lib" }',
      'dependencies = [{ name = "six" }]',
      "",
      "[[package]]",
      'name = "local-tool"',
      'version = "1.0.0"',
      'source = { directory = "tools/local" }',
      'dependencies = [{ name = "attrs", version = "23.1.0" }]',
      "",
      "[[package]]",
      'name = "attrs"',
      'version = "22.2.0"',
      'source = { registry = "https://pypi.org/simple" }',
      "",
      "[[package]]",
      'name = "attrs"',
      'version = "23.1.0"',
      'source = { registry = "https://pypi.org/simple" }',
      "",
      "[[package]]",
      'name = "six"',
      'version = "1.16.0"',
      'source = { registry = "https://pypi.org/simple" }',
      'sdist = { url = "https://example.com/six-1.16.0.tar.gz", hash = "sha256:1e61" }',
      "",
      "[[package]]",
      'name = "vendored"',
      'version = "0.1"',
      'source = { path = "vendor/vendored-0.1-py3-none-any.whl" }',
    ].join("\n");
    const deps = parse(text).dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.direct, d.dev, d.integrity])).toEqual([
      ["attrs", "22.2.0", 24, false, undefined, ""],
      ["attrs", "23.1.0", 29, false, false, ""],
      ["six", "1.16.0", 34, true, false, "sha256:1e61"],
      ["vendored", "0.1", 40, false, undefined, undefined],
    ]);
    expect(deps.at(-1)?.source).toEqual({ kind: "file", spec: "vendor/vendored-0.1-py3-none-any.whl" });
  });

  it("accepts a lock with no packages, refuses a file that is not one", () => {
    expect(parse('version = 1\nrequires-python = ">=3.12"\n').dependencies).toEqual([]);
    expect(parseError('[tool.uv]\ndev-dependencies = []\n').message).toMatch(/not a uv\.lock/);
  });

  it("throws DependencyParseError with the line for malformed locks", () => {
    const toml = parseError('version = 1\n\n[[package]]\nname = "a"\nversion = 1.0.0\n');
    expect(toml.line).toBe(5);
    expect(toml.message).toMatch(/invalid TOML at line 5/);
    expect(parseError('version = 1\n[[package]]\nversion = "1.0"\n').line).toBe(2);
    expect(parseError('version = 1\n[[package]]\nname = "a"\nsource = { registry = "https://pypi.org/simple" }\n').line).toBe(2);
    expect(parseError('version = 1\n[[package]]\nname = "a"\nsource = "pypi"\n').line).toBe(2);
    expect(parseError('version = 1\npackage = "x"\n').message).toMatch(/array of tables/);
  });

  it("handles a BOM and CRLF", () => {
    const deps = parse('\uFEFFversion = 1\r\n\r\n[[package]]\r\nname = "Six"\r\nversion = "1.16.0"\r\nsource = { registry = "https://pypi.org/simple" }\r\n').dependencies;
    expect(deps.map((d) => [d.name, d.declaredName, d.version, d.line])).toEqual([["six", "Six", "1.16.0", 3]]);
  });
});

describe("uvLockFormat on damaged input", () => {
  it("only ever throws DependencyParseError, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("editable-root-with-git.lock")], { numRuns: 500 });
  });
});
