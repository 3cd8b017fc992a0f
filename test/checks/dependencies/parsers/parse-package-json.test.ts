import { describe, expect, it } from "vitest";
import { packageJsonFormat } from "../../../../src/checks/dependencies/parsers/parse-package-json.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("package-json");
const parse = (text: string) => packageJsonFormat.parse(text, "package.json");
const byName = (text: string) => new Map(parse(text).dependencies.map((d) => [d.declaredName ?? d.name, d]));
const parseError = parseErrorFrom(parse);

describe("packageJsonFormat", () => {
  it("matches package.json files outside node_modules", () => {
    expect(packageJsonFormat.matches("package.json")).toBe(true);
    expect(packageJsonFormat.matches("apps/web/package.json")).toBe(true);
    expect(packageJsonFormat.matches("node_modules/lodash/package.json")).toBe(false);
    expect(packageJsonFormat.matches("apps/web/node_modules/@s/x/package.json")).toBe(false);
    expect(packageJsonFormat.matches("package.json.bak")).toBe(false);
    expect(packageJsonFormat.matches("my-package.json")).toBe(false);
  });

  it("reads dependencies, devDependencies and optionalDependencies with their lines, not peers", () => {
    const parsed = parse(fixture("alias-peer-optional.json"));
    expect(parsed).toMatchObject({ ecosystem: "npm", kind: "manifest" });
    expect(parsed.dependencies).toEqual([
      { ecosystem: "npm", name: "debug", version: "4.3.4", line: 6, direct: true, requirement: "4.3.4" },
      { ecosystem: "npm", name: "lodash", version: "4.17.15", line: 7, direct: true, declaredName: "x", requirement: "npm:lodash@4.17.15" },
      { ecosystem: "npm", name: "is-number", unpinned: "range ^7.0.0", line: 8, direct: true, requirement: "^7.0.0" },
      { ecosystem: "npm", name: "ms", version: "2.0.0", line: 11, direct: true, dev: true, requirement: "2.0.0" },
      { ecosystem: "npm", name: "is-odd", version: "3.0.1", line: 14, direct: true, requirement: "3.0.1" },
    ]);
    expect(parsed.dependencies.map((d) => d.name)).not.toContain("react");
  });

  it("marks git, URL and path specs with their source and no version", () => {
    const deps = byName(fixture("url-file-sources.json"));
    expect(deps.get("with-bundled")).toMatchObject({
      source: { kind: "file", spec: "file:vendor/with-bundled-1.0.0.tgz" },
      unpinned: "local path dependency",
      line: 6,
    });
    expect(deps.get("ms")).toMatchObject({ source: { kind: "url", spec: "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz" }, unpinned: "URL dependency" });
    expect(deps.get("ms")?.version).toBeUndefined();
    expect(deps.get("local-dir")).toMatchObject({ source: { kind: "file" } });
    expect(deps.get("debug")).toMatchObject({ version: "4.3.4" });

    const git = byName('{"dependencies": {"a": "github:user/a", "b": "git+ssh://git@github.com/user/b.git#v1", "c": "user/c"}}');
    for (const name of ["a", "b", "c"]) expect(git.get(name)).toMatchObject({ source: { kind: "git" }, unpinned: "git dependency" });
  });

  it("describes ranges, tags and aliases to ranges as unpinned", () => {
    const deps = byName('{"dependencies": {"a": "~1.2", "b": "latest", "c": "npm:@s/c@^2", "d": "*", "e": "", "f": "v1.2.3", "g": "=1.2.3"}}');
    expect(deps.get("a")).toMatchObject({ unpinned: "range ~1.2", requirement: "~1.2" });
    expect(deps.get("b")).toMatchObject({ unpinned: "tag latest" });
    expect(deps.get("c")).toMatchObject({ name: "@s/c", declaredName: "c", unpinned: "range ^2" });
    expect(deps.get("d")).toMatchObject({ unpinned: "range *" });
    expect(deps.get("e")).toMatchObject({ unpinned: "range *" });
    expect(deps.get("f")).toMatchObject({ version: "1.2.3", requirement: "v1.2.3" });
    expect(deps.get("g")).toMatchObject({ version: "1.2.3" });
  });

  it("skips workspace: references and never reads peer or bundle dependencies", () => {
    const text = JSON.stringify(
      {
        workspaces: ["packages/*"],
        dependencies: { sibling: "workspace:*", ms: "2.1.3" },
        peerDependencies: { react: "^18" },
        bundleDependencies: ["ms"],
        bundledDependencies: ["ms"],
      },
      null,
      2,
    );
    expect(parse(text).dependencies.map((d) => d.name)).toEqual(["ms"]);
    expect(parse(fixture("workspaces-root.json")).dependencies).toEqual([
      { ecosystem: "npm", name: "debug", version: "4.3.4", line: 7, direct: true, dev: true, requirement: "4.3.4" },
    ]);
  });

  it("reports a name listed in several sections once, as npm installs it", () => {
    const text = ['{', '  "devDependencies": { "a": "1.0.0", "b": "2.0.0" },', '  "dependencies": { "a": "^1", "b": "2.0.0" },', '  "optionalDependencies": { "b": "2.1.0" }', '}'].join("\n");
    expect(parse(text).dependencies).toEqual([
      { ecosystem: "npm", name: "a", unpinned: "range ^1", line: 3, direct: true, requirement: "^1" },
      { ecosystem: "npm", name: "b", version: "2.1.0", line: 4, direct: true, requirement: "2.1.0" },
    ]);
  });

  it("handles a BOM, CRLF line ends and duplicate keys", () => {
    const text = '\uFEFF{\r\n  "dependencies": {\r\n    "a": "1.0.0",\r\n    "a": "2.0.0",\r\n    "b": "3.0.0"\r\n  }\r\n}\r\n';
    expect(parse(text).dependencies.map((d) => [d.name, d.version, d.line])).toEqual([
      ["a", "2.0.0", 4],
      ["b", "3.0.0", 5],
    ]);
  });

  it("gives an empty list for a manifest without dependencies", () => {
    expect(parse('{ "name": "x", "version": "1.0.0" }').dependencies).toEqual([]);
  });

  it("throws DependencyParseError with the line for malformed JSON", () => {
    const error = parseError('{\n  "dependencies": {\n    "a": "1.0.0",\n  }\n}');
    expect(error.line).toBe(4);
    expect(parseError("").line).toBe(1);
  });

  it("throws DependencyParseError with the line for wrong shapes", () => {
    expect(parseError("[1, 2]").line).toBe(1);
    expect(parseError('"just a string"').line).toBe(1);
    expect(parseError('{\n  "name": "x",\n  "dependencies": ["a"]\n}').line).toBe(3);
    expect(parseError('{\n  "devDependencies": null\n}').line).toBe(2);
    const error = parseError('{\n  "dependencies": {\n    "a": "1.0.0",\n    "b": 2\n  }\n}');
    expect(error.line).toBe(4);
    expect(error.message).toContain("dependencies.b");
    expect(parseError('{\n  "optionalDependencies": {\n    "a": { "version": "1" }\n  }\n}').line).toBe(3);
  });
});

describe("packageJsonFormat on damaged input", () => {
  it("only ever throws DependencyParseError, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("alias-peer-optional.json"), fixture("url-file-sources.json"), fixture("workspaces-root.json")], { numRuns: 500 });
  });
});
