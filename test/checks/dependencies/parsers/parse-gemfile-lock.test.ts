import { describe, expect, it } from "vitest";
import { gemfileLockFormat } from "../../../../src/checks/dependencies/parsers/parse-gemfile-lock.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("gemfile-lock");
const parse = (text: string) => gemfileLockFormat.parse(text, "Gemfile.lock");
const parseError = parseErrorFrom(parse);

describe("gemfileLockFormat", () => {
  it("matches Gemfile.lock and gems.locked", () => {
    expect(gemfileLockFormat.matches("Gemfile.lock")).toBe(true);
    expect(gemfileLockFormat.matches("apps/api/gems.locked")).toBe(true);
    expect(gemfileLockFormat.matches("Gemfile")).toBe(false);
    expect(gemfileLockFormat.matches("gemfile.lock")).toBe(false);
    expect(gemfileLockFormat).toMatchObject({ id: "gemfile-lock", ecosystem: "RubyGems", kind: "lockfile" });
  });

  it("reads every locked gem with its line; requirement lines are not dependencies", () => {
    const parsed = parse(fixture("rails-app.Gemfile.lock"));
    expect(parsed).toMatchObject({ ecosystem: "RubyGems", kind: "lockfile" });
    expect(parsed.warnings).toBeUndefined();
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.direct])).toEqual([
      ["devise", "4.9.3", 6, true],
      ["billing", "0.1.0", 13, true],
      ["bcrypt", "3.1.20", 19, false],
      ["nokogiri", "1.16.2", 20, true],
      ["pg", "1.5.6", 24, true],
      ["racc", "1.7.3", 25, false],
      ["rack", "3.0.9.1", 26, false],
      ["rails", "7.1.3.2", 27, true],
      ["railties", "7.1.3.2", 29, false],
      ["rspec-rails", "6.1.1", 32, true],
      ["thor", "1.3.1", 34, false],
    ]);
  });

  it("gives GIT gems a git source with the revision, PATH gems a file source, GEM gems none", () => {
    const deps = parse(fixture("rails-app.Gemfile.lock")).dependencies;
    expect(deps.find((d) => d.name === "devise")?.source).toEqual({
      kind: "git",
      spec: "https://github.com/heartcombo/devise.git#6d32d2447cc0f3739d9732246b5a5bde98d9e032",
    });
    expect(deps.find((d) => d.name === "billing")?.source).toEqual({ kind: "file", spec: "engines/billing" });
    expect(deps.find((d) => d.name === "rails")?.source).toBeUndefined();
  });

  it("keeps the Gemfile's requirement on direct gems and records no integrity without a CHECKSUMS section", () => {
    const deps = parse(fixture("rails-app.Gemfile.lock")).dependencies;
    expect(deps.find((d) => d.name === "rails")).toEqual({ ecosystem: "RubyGems", name: "rails", version: "7.1.3.2", line: 27, direct: true, requirement: "~> 7.1.3" });
    expect(deps.find((d) => d.name === "rspec-rails")?.requirement).toBeUndefined();
    expect(deps.every((d) => d.integrity === undefined)).toBe(true);
  });

  it("folds platform gems into one dependency and prefers the plain gem's checksum", () => {
    const deps = parse(fixture("with-checksums.Gemfile.lock")).dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.direct, d.integrity])).toEqual([
      ["mygem", "0.2.0", 4, true, undefined],
      ["ffi", "1.16.3", 10, true, "sha256=6d3242ff10c87271b0675c58d68d3f10148fabc2ad6da52a18123f06078871fb"],
      ["rake", "13.1.0", 13, true, "sha256=8c4d2fd9e7b0c1e4e0a5a0b3d3c6d8a8d1f4f0b6c2a7b5e9d3c1f8a6e4b2d0c9"],
      ["zeitwerk", "2.6.13", 14, false, ""],
    ]);
  });

  it.each([
    ["1.13.8-x86_64-linux"],
    ["1.13.8-arm64-darwin"],
    ["1.13.8-java"],
    ["1.13.8-x64-mingw32"],
    ["1.13.8-x64-mingw-ucrt"],
    ["1.13.8-aarch64-linux-gnu"],
    ["1.13.8-universal-darwin"],
  ])("drops the platform of %s", (written) => {
    const deps = parse(`GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (${written})\n\nDEPENDENCIES\n  nokogiri\n`).dependencies;
    expect(deps.map((d) => [d.name, d.version])).toEqual([["nokogiri", "1.13.8"]]);
  });

  it("keeps two versions of one gem as two dependencies", () => {
    const text = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.8)\n\nGEM\n  remote: https://gems.example.com/\n  specs:\n    rack (3.0.9)\n\nDEPENDENCIES\n  rack\n";
    expect(parse(text).dependencies.map((d) => [d.name, d.version, d.line])).toEqual([
      ["rack", "2.2.8", 4],
      ["rack", "3.0.9", 9],
    ]);
  });

  it("reads CRLF files and a UTF-8 BOM with the same lines", () => {
    expect(parse(fixture("crlf.Gemfile.lock")).dependencies.map((d) => [d.name, d.version, d.line, d.direct])).toEqual([
      ["rake", "13.1.0", 4, true],
      ["rack", "3.0.9", 5, false],
    ]);
    expect(parse(fixture("bom.Gemfile.lock")).dependencies.map((d) => [d.name, d.line])).toEqual([["rake", 4]]);
  });

  it("skips an unknown section with a warning", () => {
    const parsed = parse("GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.1.0)\n\nFUTURE THING\n  whatever (1)\n\nDEPENDENCIES\n  rake\n");
    expect(parsed.dependencies.map((d) => d.name)).toEqual(["rake"]);
    expect(parsed.warnings).toEqual(['unknown section "FUTURE THING" at line 6 skipped']);
  });


  it("only ever throws DependencyParseError on damaged input, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("rails-app.Gemfile.lock"), fixture("with-checksums.Gemfile.lock")]);
  });
  describe("malformed files", () => {
    it.each([
      ["a spec without parentheses", fixture("malformed-spec.Gemfile.lock"), 5],
      ["a requirement line before any gem", "GEM\n  remote: https://rubygems.org/\n  specs:\n      rack (>= 2)\n", 4],
      ["an odd indentation", "GEM\n  remote: https://rubygems.org/\n  specs:\n     rake (13.1.0)\n", 4],
      ["a tab", "GEM\n  remote: https://rubygems.org/\n  specs:\n\trake (13.1.0)\n", 4],
      ["a spec line before specs:", "GEM\n  remote: https://rubygems.org/\n    rake (13.1.0)\n", 3],
      ["a malformed DEPENDENCIES entry", "GEM\n  remote: https://rubygems.org/\n  specs:\n\nDEPENDENCIES\n  rake (~> 13\n", 6],
      ["a malformed CHECKSUMS entry", "GEM\n  remote: https://rubygems.org/\n  specs:\n\nCHECKSUMS\n  rake sha256=abc\n", 6],
      ["a merge conflict marker", "GEM\n  remote: https://rubygems.org/\n  specs:\n<<<<<<< HEAD\n    rake (13.1.0)\n", 4],
      ["indented text before any section", "  rake (13.1.0)\n", 1],
      ["a file with no sections", "\n\n", 1],
    ])("refuses %s, naming the line", (_what, text, line) => {
      const error = parseError(text);
      expect(error.line).toBe(line);
      if (line > 1) expect(error.message).toContain(`line ${line}`);
    });
  });
});
