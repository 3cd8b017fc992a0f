import { describe, expect, it } from "vitest";
import { pyprojectTomlFormat } from "../../../../src/checks/dependencies/parsers/parse-pyproject-toml.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("pyproject-toml");
const parse = (text: string) => pyprojectTomlFormat.parse(text, "pyproject.toml");
const parseError = parseErrorFrom(parse);

describe("pyprojectTomlFormat", () => {
  it("matches pyproject.toml only", () => {
    expect(pyprojectTomlFormat.matches("pyproject.toml")).toBe(true);
    expect(pyprojectTomlFormat.matches("libs/core/pyproject.toml")).toBe(true);
    expect(pyprojectTomlFormat.matches("poetry.lock")).toBe(false);
    expect(pyprojectTomlFormat.matches("pyproject.toml.orig")).toBe(false);
    expect(pyprojectTomlFormat).toMatchObject({ id: "pyproject-toml", files: "pyproject.toml", ecosystem: "PyPI", kind: "manifest" });
  });

  it("reads PEP 621, PEP 735 and Poetry tables with the line of each element or key", () => {
    const parsed = parse(fixture("pep621-pep735-poetry.toml"));
    expect(parsed).toMatchObject({ ecosystem: "PyPI", kind: "manifest" });
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.dev])).toEqual([
      // [project] dependencies
      ["django", "4.2.4", 13, false],
      ["requests", undefined, 14, false],
      ["zope-interface", "6.0", 15, false],
      ["pywin32", "306", 16, false],
      ["internal-metrics", undefined, 17, false],
      ["celery", undefined, 18, false],
      ["flask-login", undefined, 18, false],
      // [project.optional-dependencies]
      ["psycopg2-binary", "2.9.7", 22, false],
      ["boto3", undefined, 25, false],
      // [dependency-groups]
      ["pytest", "7.4.0", 32, true],
      ["pytest-cov", undefined, 32, true],
      ["ruff", "0.0.285", 35, true],
      // [tool.poetry.dependencies]
      ["requests", undefined, 43, false],
      ["toolbelt", undefined, 44, false],
      ["shared-models", undefined, 45, false],
      ["numpy", "1.24.4", 46, false],
      ["numpy", undefined, 46, false],
      ["legacy-tool", undefined, 50, false],
      ["ruamel-yaml", "0.17.32", 51, false],
      ["pyyaml", "6.0.1", 52, false],
      ["attrs", undefined, 53, false],
      // [tool.poetry.dev-dependencies], [tool.poetry.group.docs.dependencies]
      ["black", undefined, 62, true],
      ["sphinx", "7.1.2", 56, true],
    ]);
    expect(parsed.dependencies.every((d) => d.direct && d.ecosystem === "PyPI")).toBe(true);
  });

  it("never takes the project, python, build requirements, include-group or strings for dependencies", () => {
    const names = parse(fixture("pep621-pep735-poetry.toml")).dependencies.map((d) => d.name);
    for (const name of ["webapp", "python", "poetry-core", "test", "not-a-dependency", "fake"]) expect(names).not.toContain(name);
  });

  it("reads a Hatch {root:uri} direct reference as a local path, not a URL download", () => {
    expect(parse(fixture("real-style-hatch-root-uri.toml")).dependencies).toEqual([
      expect.objectContaining({ name: "black", line: 5, source: { kind: "file", spec: "{root:uri}/../black_editable" }, unpinned: "local path requirement" }),
    ]);
  });

  it("gives requirement, unpinned reason, declared name and source", () => {
    const deps = parse(fixture("pep621-pep735-poetry.toml")).dependencies;
    const at = (line: number, name: string) => deps.find((d) => d.line === line && d.name === name);
    expect(at(13, "django")).toEqual({
      ecosystem: "PyPI",
      name: "django",
      declaredName: "Django",
      version: "4.2.4",
      requirement: "==4.2.4",
      line: 13,
      direct: true,
      dev: false,
    });
    expect(at(14, "requests")).toMatchObject({ requirement: ">=2.31,<3", unpinned: 'unpinned range ">=2.31,<3"' });
    expect(at(18, "flask-login")).toMatchObject({ declaredName: "Flask_Login", requirement: "~=0.6" });
    expect(at(18, "celery")).toMatchObject({ unpinned: "no version specifier" });
    expect(at(17, "internal-metrics")).toMatchObject({
      source: { kind: "url", spec: "https://downloads.example.com/internal_metrics-0.9.1.tar.gz" },
      unpinned: "URL requirement",
    });
    expect(at(43, "requests")).toMatchObject({ requirement: "^2.31", unpinned: 'unpinned range "^2.31"' });
    expect(at(44, "toolbelt")).toMatchObject({ source: { kind: "git", spec: "https://github.com/example-org/toolbelt.git#v1.4.0" }, unpinned: "git requirement" });
    expect(at(45, "shared-models")).toMatchObject({ source: { kind: "file", spec: "libs/shared-models" }, unpinned: "local path requirement" });
    expect(at(50, "legacy-tool")).toMatchObject({ source: { kind: "url" }, unpinned: "URL requirement" });
    expect(at(51, "ruamel-yaml")).toMatchObject({ declaredName: "ruamel.yaml", version: "0.17.32", requirement: "0.17.32" });
    expect(at(52, "pyyaml")).toMatchObject({ declaredName: "PyYAML", version: "6.0.1", requirement: "==6.0.1" });
    expect(at(53, "attrs")).toMatchObject({ requirement: "*", unpinned: 'unpinned range "*"' });
  });

  it("reads Poetry constraints the way Poetry does", () => {
    const versions = parse(
      ["[tool.poetry.dependencies]", 'a = "1.2.3"', 'b = "==1.2.3"', 'c = "=1.2.3"', 'd = "^1.2"', 'e = "~1.2"', 'f = "1.2.*"', 'g = ">=1,<2"', 'h = "1.0.0rc1"', 'i = "1.0 || 2.0"', "j = { optional = true }"].join("\n"),
    ).dependencies.map((d) => [d.name, d.version ?? d.unpinned]);
    expect(versions).toEqual([
      ["a", "1.2.3"],
      ["b", "1.2.3"],
      ["c", "1.2.3"],
      ["d", 'unpinned range "^1.2"'],
      ["e", 'unpinned range "~1.2"'],
      ["f", 'unpinned range "1.2.*"'],
      ["g", 'unpinned range ">=1,<2"'],
      ["h", "1.0.0rc1"],
      ["i", 'unpinned range "1.0 || 2.0"'],
      ["j", "no version specifier"],
    ]);
  });

  it("takes the line of a dependency written as its own table", () => {
    const deps = parse('[tool.poetry.dependencies]\npython = "^3.11"\n\n[tool.poetry.dependencies.requests]\nversion = "2.31.0"\nextras = ["socks"]\n').dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line])).toEqual([["requests", "2.31.0", 4]]);
  });

  it("reads a Poetry 1.x project with a dotted group name", () => {
    const deps = parse(
      ['[tool.poetry]', 'name = "app"', "", "[tool.poetry.dependencies]", 'Python = "^3.8"', 'six = "1.16.0"', "", '[tool.poetry.group."lint.tools".dependencies]', 'flake8 = "^6"', "", "[tool.poetry.group.main.dependencies]", 'attrs = "23.1.0"'].join("\n"),
    ).dependencies;
    expect(deps.map((d) => [d.name, d.line, d.dev])).toEqual([
      ["six", 6, false],
      ["flake8", 9, true],
      ["attrs", 12, false],
    ]);
  });

  it("has no dependencies when the file declares none", () => {
    expect(parse('[tool.black]\nline-length = 100\n\n[project]\nname = "x"\ndynamic = ["dependencies"]\n')).toEqual({ ecosystem: "PyPI", kind: "manifest", dependencies: [] });
  });

  it("throws DependencyParseError with the line for malformed files", () => {
    const toml = parseError('[project]\nname = "x"\ndependencies = [\n    "requests",\n    "flask"\n    "click",\n]\n');
    expect(toml.message).toMatch(/^invalid TOML at line 6/);
    expect(toml.line).toBe(6);
    const requirement = parseError('[project]\ndependencies = [\n    "requests",\n    "lodash$$",\n]\n');
    expect(requirement.line).toBe(4);
    expect(requirement.message).toMatch(/invalid requirement at line 4/);
    expect(parseError('[project]\ndependencies = "requests"\n').line).toBe(2);
    expect(parseError('[project]\ndependencies = ["ok", 3]\n').line).toBe(2);
    expect(parseError('[dependency-groups]\ndev = [{ other = "x" }]\n').line).toBe(2);
    expect(parseError('[project]\noptional-dependencies = "x"\n').line).toBe(2);
    expect(parseError('[tool.poetry.dependencies]\nrequests = 2\n').line).toBe(2);
    expect(parseError('[tool.poetry.dependencies]\nrequests = { version = 2 }\n').line).toBe(2);
    expect(parseError('[tool.poetry]\ndependencies = ["requests"]\n').line).toBe(2);
  });

  it("handles a BOM and CRLF", () => {
    const deps = parse('\uFEFF[project]\r\nname = "x"\r\ndependencies = [\r\n  "requests==2.31.0",\r\n]\r\n').dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line])).toEqual([["requests", "2.31.0", 4]]);
  });
});

describe("pyprojectTomlFormat on damaged input", () => {
  it("only ever throws DependencyParseError, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("pep621-pep735-poetry.toml"), fixture("real-style-hatch-root-uri.toml")], { numRuns: 500 });
  });
});
