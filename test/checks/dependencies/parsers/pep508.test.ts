import { describe, expect, it } from "vitest";
import { DependencyParseError } from "../../../../src/checks/dependencies/model.js";
import { fieldsOfRequirement, parsePep508, pinnedVersion, sourceKindOfUrl } from "../../../../src/checks/dependencies/parsers/pep508.js";
import { parseErrorOf } from "./parser-properties.js";

const parseError = (text: string, line = 7) => parseErrorOf(() => parsePep508(text, line), `expected "${text}" to be rejected`);

describe("parsePep508", () => {
  it("reads name, extras, specifiers and marker", () => {
    expect(parsePep508('requests[security, socks] >= 2.31 , < 3 ; python_version >= "3.8"', 1)).toEqual({
      name: "requests",
      extras: ["security", "socks"],
      specifiers: [">=2.31", "<3"],
      marker: 'python_version >= "3.8"',
    });
    expect(parsePep508("Django", 1)).toEqual({ name: "Django", extras: [], specifiers: [] });
    expect(parsePep508("name (>=1.0, !=1.3.4)", 1).specifiers).toEqual([">=1.0", "!=1.3.4"]);
    expect(parsePep508("pkg[]==1", 1).extras).toEqual([]);
  });

  it("reads direct references, with or without space before @", () => {
    expect(parsePep508("pip @ https://github.com/pypa/pip/archive/22.0.2.zip", 1)).toEqual({
      name: "pip",
      extras: [],
      specifiers: [],
      url: "https://github.com/pypa/pip/archive/22.0.2.zip",
    });
    expect(parsePep508("pkg[x]@git+https://h/r.git@v1 ; os_name == 'nt'", 1)).toMatchObject({
      name: "pkg",
      extras: ["x"],
      url: "git+https://h/r.git@v1",
      marker: "os_name == 'nt'",
    });
  });

  it("accepts every comparison operator, arbitrary equality and wildcards", () => {
    for (const clause of ["==1.0", "===foo-bar", "!=1.0", "<=1", ">=1", "~=1.4.2", "<2", ">1", "==1.*", "==1.0+local.1", "==1!2.0"]) {
      expect(parsePep508(`pkg${clause}`, 1).specifiers).toEqual([clause]);
    }
  });

  it("rejects what is not a requirement, naming the line", () => {
    expect(parseError("lodash$$").line).toBe(7);
    expect(parseError("lodash$$").message).toMatch(/line 7/);
    expect(parseError("-e .").message).toMatch(/project name/);
    expect(parseError("pkg=1.0").message).toMatch(/version clause/);
    expect(parseError("pkg==").message).toMatch(/version clause|invalid version/);
    expect(parseError("pkg>=1,").message).toMatch(/version clause/);
    expect(parseError("pkg[extra").message).toMatch(/unclosed/);
    expect(parseError("pkg[bad extra]").message).toMatch(/extra/);
    expect(parseError("pkg ==1.0 ;").message).toMatch(/marker/);
    expect(parseError("pkg @").message).toMatch(/URL/);
    expect(parseError("pkg (>=1").message).toMatch(/unclosed/);
    expect(parseError("pkg==1.0 extra").message).toMatch(/version/);
    expect(parseError("-pkg").line).toBe(7);
  });

  it("stays fast on hostile input", () => {
    const start = performance.now();
    expect(() => parsePep508(`a${"-".repeat(200_000)}`, 1)).toThrow(DependencyParseError);
    expect(() => parsePep508(`a[${"x,".repeat(100_000)}`, 1)).toThrow(DependencyParseError);
    parsePep508(`a>=${"1.".repeat(100_000)}1`, 1);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe("fieldsOfRequirement", () => {
  const fields = (text: string) => fieldsOfRequirement(parsePep508(text, 1));

  it("pins only ==X without a wildcard and ===X", () => {
    expect(fields("Django==4.2.4")).toEqual({ name: "django", declaredName: "Django", version: "4.2.4", requirement: "==4.2.4" });
    expect(fields("foo===1.0-custom")).toEqual({ name: "foo", version: "1.0-custom", requirement: "===1.0-custom" });
    expect(fields("numpy==1.*")).toEqual({ name: "numpy", requirement: "==1.*", unpinned: 'unpinned range "==1.*"' });
    expect(fields("flask >= 2.3, < 3")).toEqual({ name: "flask", requirement: ">=2.3,<3", unpinned: 'unpinned range ">=2.3,<3"' });
    expect(fields("celery")).toEqual({ name: "celery", unpinned: "no version specifier" });
  });

  it("makes direct references sources without a version", () => {
    expect(fields("Auth_Client @ git+https://github.com/o/auth.git@abc")).toEqual({
      name: "auth-client",
      declaredName: "Auth_Client",
      source: { kind: "git", spec: "git+https://github.com/o/auth.git@abc" },
      unpinned: "git requirement",
    });
    expect(fields("x @ https://h/x-1.0.tar.gz").source).toEqual({ kind: "url", spec: "https://h/x-1.0.tar.gz" });
    expect(fields("x @ file:///opt/x").source?.kind).toBe("file");
  });
});

describe("pinnedVersion and sourceKindOfUrl", () => {
  it("needs exactly one == clause", () => {
    expect(pinnedVersion(["==1.0", ">=0.9"])).toBe("1.0");
    expect(pinnedVersion(["==1.0", "==2.0"])).toBeUndefined();
    expect(pinnedVersion(["==${VERSION}"])).toBeUndefined();
    expect(pinnedVersion([])).toBeUndefined();
  });

  it("classifies URLs", () => {
    expect(sourceKindOfUrl("git+ssh://git@github.com/o/r.git")).toBe("git");
    expect(sourceKindOfUrl("git://github.com/o/r.git")).toBe("git");
    expect(sourceKindOfUrl("hg+https://hg.example.com/r")).toBe("url");
    expect(sourceKindOfUrl("FILE:///tmp/x.whl")).toBe("file");
    expect(sourceKindOfUrl("https://h/x.whl")).toBe("url");
    // Hatch's context formatting of a local folder (as in real `dependencies = ["pkg @ {root:uri}/../pkg"]`).
    expect(sourceKindOfUrl("{root:uri}/../black_editable")).toBe("file");
    expect(sourceKindOfUrl("{root:parent:parent:uri}/libs/core")).toBe("file");
    expect(sourceKindOfUrl("{home:uri}/src/pkg")).toBe("file");
    expect(sourceKindOfUrl("{env:MIRROR}/pkg.whl")).toBe("url");
  });
});
