import { describe, expect, it } from "vitest";
import { DependencyParseError } from "../../../../src/checks/dependencies/model.js";
import { isTomlTable, parseTomlWithLines } from "../../../../src/checks/dependencies/parsers/toml-lines.js";
import { parseErrorFrom } from "./parser-properties.js";

const parseError = parseErrorFrom(parseTomlWithLines);

describe("parseTomlWithLines", () => {
  it("finds [[package]] headers by index, and the sub-tables of the latest entry", () => {
    const toml = parseTomlWithLines(
      ['[[package]]', 'name = "a"', "", "[package.source]", 'type = "git"', "", "  [[ package ]]  # second", 'name = "b"', "[metadata]", 'x = 1'].join("\n"),
    );
    expect(toml.lineOf(["package", 0])).toBe(1);
    expect(toml.lineOf(["package", 0, "name"])).toBe(2);
    expect(toml.lineOf(["package", 0, "source"])).toBe(4);
    expect(toml.lineOf(["package", 0, "source", "type"])).toBe(5);
    expect(toml.lineOf(["package", 1])).toBe(7);
    expect(toml.lineOf(["package", 1, "name"])).toBe(8);
    expect(toml.lineOf(["package", 2])).toBeUndefined();
    expect(toml.lineOf(["metadata", "x"])).toBe(10);
    expect(toml.value).toMatchObject({ package: [{ name: "a", source: { type: "git" } }, { name: "b" }], metadata: { x: 1 } });
  });

  it("addresses nested arrays of tables per parent entry", () => {
    const toml = parseTomlWithLines(["[[a]]", "[[a.b]]", "[[a.b]]", "[[a]]", "[[a.b]]", "[a.b.c]", "k = 1"].join("\n"));
    expect(toml.lineOf(["a", 0, "b", 0])).toBe(2);
    expect(toml.lineOf(["a", 0, "b", 1])).toBe(3);
    expect(toml.lineOf(["a", 1])).toBe(4);
    expect(toml.lineOf(["a", 1, "b", 0])).toBe(5);
    expect(toml.lineOf(["a", 1, "b", 0, "c", "k"])).toBe(7);
  });

  it("records array elements on request: one per line or several on a line", () => {
    const text = ["[project]", "dependencies = [", '  "a==1",  # comment with "quotes" and ]', "", '  "b", "c",', "  [1, 2], { x = [3] },", '  "d"]', "other = 1"].join("\n");
    const toml = parseTomlWithLines(text, { arrayElements: true });
    expect([0, 1, 2, 3, 4, 5].map((i) => toml.lineOf(["project", "dependencies", i]))).toEqual([3, 5, 5, 6, 6, 7]);
    expect(toml.lineOf(["project", "other"])).toBe(8);
    expect(parseTomlWithLines(text).lineOf(["project", "dependencies", 0])).toBeUndefined();
  });

  it("never takes text inside strings for headers or keys", () => {
    const text = [
      'a = """',
      "[[package]]",
      'name = "fake"',
      '\\""" still inside',
      'ends here""""',
      "b = '''",
      "[x]",
      "'''",
      'c = "[[package]] # not a comment"',
      "d = 'literal [y]'",
      "[[package]]",
      'name = "real"',
    ].join("\n");
    const toml = parseTomlWithLines(text);
    expect(toml.lineOf(["package", 0])).toBe(11);
    expect(toml.lineOf(["package", 1])).toBeUndefined();
    expect(toml.lineOf(["b"])).toBe(6);
    expect(toml.lineOf(["c"])).toBe(9);
    expect(toml.lineOf(["x"])).toBeUndefined();
    expect(toml.value.package).toEqual([{ name: "real" }]);
  });

  it("skips keys inside inline tables and multi-line arrays", () => {
    const toml = parseTomlWithLines(['dep = { version = "1", git = "x" }', "files = [", '  { file = "a", hash = "h" },', "]", "after = 2"].join("\n"));
    expect(toml.lineOf(["dep"])).toBe(1);
    expect(toml.lineOf(["dep", "version"])).toBeUndefined();
    expect(toml.lineOf(["files"])).toBe(2);
    expect(toml.lineOf(["file"])).toBeUndefined();
    expect(toml.lineOf(["after"])).toBe(5);
  });

  it("reads quoted and dotted keys", () => {
    const toml = parseTomlWithLines(['[tool.poetry.group."my.group".dependencies]', '"ruamel.yaml" = "0.17"', "'lit' = 1", 'a . b = 2', '"\\u0041" = 3'].join("\n"));
    expect(toml.lineOf(["tool", "poetry", "group", "my.group", "dependencies"])).toBe(1);
    expect(toml.lineOf(["tool", "poetry", "group", "my.group", "dependencies", "ruamel.yaml"])).toBe(2);
    expect(toml.lineOf(["tool", "poetry", "group", "my.group", "dependencies", "lit"])).toBe(3);
    expect(toml.lineOf(["tool", "poetry", "group", "my.group", "dependencies", "a", "b"])).toBe(4);
    expect(toml.lineOf(["tool", "poetry", "group", "my.group", "dependencies", "A"])).toBe(5);
  });

  it("records headers only when keys are not wanted", () => {
    const toml = parseTomlWithLines('[[package]]\nname = "a"\n[[package]]\nname = "b"\n', { keys: false });
    expect(toml.lineOf(["package", 1])).toBe(3);
    expect(toml.lineOf(["package", 1, "name"])).toBeUndefined();
  });

  it("handles a BOM, CRLF and dates with spaces", () => {
    const toml = parseTomlWithLines('\uFEFF[a]\r\nwhen = 1979-05-27 07:32:00Z\r\nlist = [\r\n  "x",\r\n]\r\n[b]\r\n', { arrayElements: true });
    expect(toml.lineOf(["a", "when"])).toBe(2);
    expect(toml.lineOf(["a", "list", 0])).toBe(4);
    expect(toml.lineOf(["b"])).toBe(6);
  });

  it("turns TOML errors into DependencyParseError with the line", () => {
    const error = parseError('[project]\nname = "x"\ndependencies = [\n  "a",\n  "b\n]\n');
    expect(error.line).toBe(5);
    expect(error.message).toMatch(/^invalid TOML at line 5, column \d+: /);
    expect(error.message).not.toContain("\n");
    expect(parseError("[a]\nk = 1\n[a]\n").line).toBe(3);
    expect(parseError("k = \n").line).toBe(1);
    expect(parseError(`${"a = ".repeat(1)}${"[".repeat(500)}${"]".repeat(500)}`)).toBeInstanceOf(DependencyParseError);
  });

  it("is linear on a large file", () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `[[package]]\nname = "p${i}"\nversion = "1.0"\nfiles = [\n  {file = "p-${i}.whl", hash = "sha256:${i}"},\n]\n`).join("\n");
    const start = performance.now();
    const toml = parseTomlWithLines(text, { keys: false });
    expect(toml.lineOf(["package", 19_999])).toBe(19_999 * 7 + 1);
    expect(performance.now() - start).toBeLessThan(3000);
  });
});

describe("isTomlTable", () => {
  it("is true for tables only", () => {
    const { value } = parseTomlWithLines('t = { a = 1 }\nl = [1]\nd = 1979-05-27\ns = "x"\n');
    expect([value.t, value.l, value.d, value.s, null, undefined].map(isTomlTable)).toEqual([true, false, false, false, false, false]);
  });
});
