import { describe, expect, it } from "vitest";
import { goModFormat } from "../../../../src/checks/dependencies/parsers/parse-go-mod.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("go-mod");
const parse = (text: string) => goModFormat.parse(text, "go.mod");
const parseError = parseErrorFrom(parse);

describe("goModFormat", () => {
  it("matches go.mod files only", () => {
    expect(goModFormat.matches("go.mod")).toBe(true);
    expect(goModFormat.matches("services/api/go.mod")).toBe(true);
    expect(goModFormat.matches("go.sum")).toBe(false);
    expect(goModFormat.matches("go.mod.bak")).toBe(false);
    expect(goModFormat).toMatchObject({ id: "go-mod", ecosystem: "Go", kind: "manifest" });
  });

  it("reads single requires and blocks, with lines, indirect markers and replacements", () => {
    const parsed = parse(fixture("service-with-replaces.go.mod"));
    expect(parsed).toMatchObject({ ecosystem: "Go", kind: "manifest" });
    expect(parsed.warnings).toBeUndefined();
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.direct])).toEqual([
      ["github.com/gin-gonic/gin", "v1.9.1", 9, true],
      ["github.com/google/uuid", "v1.6.0", 10, true],
      ["golang.org/x/crypto", "v0.21.0", 11, true],
      ["../internal-lib", undefined, 12, true],
      ["github.com/docker/docker", "v24.0.7+incompatible", 13, true],
      ["github.com/jackc/pgx/v5", "v5.5.4", 14, true],
      ["github.com/bytedance/sonic", "v1.11.2", 18, false],
      ["golang.org/x/net", "v0.23.0", 19, false],
      ["github.com/pkg/errors", "v0.9.1", 20, false],
      ["github.com/new/logger", "v1.2.0", 21, false],
      ["github.com/stretchr/testify", "v1.9.0", 24, true],
    ]);
  });

  it("makes a directory replacement a local source without a version", () => {
    const dep = parse(fixture("service-with-replaces.go.mod")).dependencies.find((d) => d.line === 12);
    expect(dep).toEqual({
      ecosystem: "Go",
      name: "../internal-lib",
      declaredName: "github.com/example/internal-lib",
      line: 12,
      direct: true,
      requirement: "v1.4.0",
      source: { kind: "file", spec: "../internal-lib" },
      unpinned: "replaced by a local directory",
    });
  });

  it("looks up the replacement module at its version, keeping what was required", () => {
    const deps = parse(fixture("service-with-replaces.go.mod")).dependencies;
    expect(deps.find((d) => d.line === 19)).toMatchObject({
      name: "golang.org/x/net",
      version: "v0.23.0",
      requirement: "v0.0.0-20240222234643-814bf88cf225",
    });
    expect(deps.find((d) => d.line === 21)).toMatchObject({ name: "github.com/new/logger", declaredName: "github.com/old/logger", version: "v1.2.0" });
  });

  it("applies a version-specific replace only to that version, and lets it win over a general one", () => {
    const text = [
      "module m",
      "require (",
      "\ta.example/x v1.0.0",
      "\tb.example/y v2.0.0",
      ")",
      "replace a.example/x v0.9.0 => c.example/x v0.9.1",
      "replace b.example/y => d.example/y v2.0.1",
      "replace b.example/y v2.0.0 => e.example/y v2.0.2",
    ].join("\n");
    expect(parse(text).dependencies.map((d) => [d.name, d.version])).toEqual([
      ["a.example/x", "v1.0.0"],
      ["e.example/y", "v2.0.2"],
    ]);
  });

  it("keeps pseudo-versions and +incompatible as written", () => {
    const deps = parse("module m\nrequire (\n\tgolang.org/x/sys v0.0.0-20210101000000-abcdef123456\n\tgithub.com/a/b v2.0.0+incompatible\n)\n").dependencies;
    expect(deps.map((d) => d.version)).toEqual(["v0.0.0-20210101000000-abcdef123456", "v2.0.0+incompatible"]);
  });

  it("does not take module, go, toolchain, exclude, retract, godebug or tool lines for dependencies", () => {
    const text = [
      'module "example.com/quoted" // Deprecated: use v2',
      "go 1.24",
      "toolchain go1.24.1",
      "godebug default=go1.21",
      "tool golang.org/x/tools/cmd/stringer",
      "exclude golang.org/x/net v0.1.0",
      "retract (",
      "\tv1.0.0",
      "\t[v1.1.0, v1.2.0]",
      ")",
      "require ()",
    ].join("\n");
    expect(parse(text).dependencies).toEqual([]);
  });

  it("reads quoted and raw-quoted module paths", () => {
    const deps = parse('module m\nrequire "example.com/a" v1.0.0\nrequire `example.com/b` "v1.1.0"\n').dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line])).toEqual([
      ["example.com/a", "v1.0.0", 2],
      ["example.com/b", "v1.1.0", 3],
    ]);
  });

  it("canonicalises short versions and reports branch names as unpinned, with a warning", () => {
    const parsed = parse("module m\nrequire example.com/a v1.2\nrequire example.com/b master\n");
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.unpinned])).toEqual([
      ["example.com/a", "v1.2.0", undefined],
      ["example.com/b", undefined, 'non-canonical version "master"'],
    ]);
    expect(parsed.warnings).toHaveLength(1);
  });

  it("reads CRLF files and a UTF-8 BOM with the same lines", () => {
    expect(parse(fixture("crlf.go.mod")).dependencies.map((d) => [d.name, d.version, d.line, d.direct])).toEqual([
      ["golang.org/x/text", "v0.14.0", 6, false],
      ["rsc.io/sampler", "v1.3.0", 7, true],
    ]);
    expect(parse(fixture("bom.go.mod")).dependencies.map((d) => [d.name, d.line])).toEqual([["rsc.io/quote", 5]]);
    expect(parse(fixture("minimal.go.mod")).dependencies.map((d) => [d.name, d.line])).toEqual([["rsc.io/quote", 5]]);
  });

  it("takes any Unicode space for a separator (a BOM or no-break space inside a line once looped forever)", () => {
    expect(parse("module m\nrequire\ufeffexample.com/a\u00a0v1.0.0\n").dependencies.map((d) => [d.name, d.version])).toEqual([["example.com/a", "v1.0.0"]]);
  });

  it("returns no dependencies for a module without requirements", () => {
    expect(parse("module example.com/empty\n\ngo 1.22\n").dependencies).toEqual([]);
  });

  it("refuses a file without a module directive, as go does", () => {
    expect(parseError("require rsc.io/quote v1.5.2\n").line).toBe(1);
    expect(parseError("").line).toBe(1);
  });


  it("only ever throws DependencyParseError on damaged input, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("service-with-replaces.go.mod"), fixture("crlf.go.mod")]);
  });
  describe("malformed files", () => {
    it.each([
      ["an unclosed block", fixture("unclosed-block.go.mod"), 5],
      ["an unknown directive", "module m\n\nrequires x v1.0.0\n", 3],
      ["a require without a version", "module m\nrequire (\n\tx.example/a\n)\n", 3],
      ["a require with extra words", "module m\nrequire x.example/a v1.0.0 v1.0.1\n", 2],
      ["a replace without an arrow", "module m\nreplace a b v1.0.0\n", 2],
      ["a module replacement without a version", "module m\nreplace a => b\n", 2],
      ["a directory replacement with a version", "module m\nreplace a => ../a v1.0.0\n", 2],
      ["an unterminated string", 'module m\nrequire "x.example/a v1.0.0\n', 2],
      ["a stray closing parenthesis", "module m\n)\n", 2],
      ["text after a closing parenthesis", "module m\nrequire (\n) x\n", 3],
      ["a module line without a path", "module\n", 1],
      ["a merge conflict marker", "module m\n<<<<<<< HEAD\nrequire a v1.0.0\n", 2],
    ])("refuses %s, naming the line", (_what, text, line) => {
      const error = parseError(text);
      expect(error.line).toBe(line);
      expect(error.message).toContain(`line ${line}`);
    });
  });
});
