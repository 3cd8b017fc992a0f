import { describe, expect, it } from "vitest";
import type { Dependency } from "../../../../src/checks/dependencies/model.js";
import { packageLockFormat } from "../../../../src/checks/dependencies/parsers/parse-package-lock.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("package-lock");
const parse = (text: string) => packageLockFormat.parse(text, "package-lock.json");
const lock = (packages: Record<string, unknown>, lockfileVersion = 3) => JSON.stringify({ name: "x", lockfileVersion, requires: true, packages }, null, 2);
/** name@version -> dependency, for assertions that do not care about order. */
const index = (deps: readonly Dependency[]) => new Map(deps.map((d) => [`${d.name}@${d.version ?? d.source?.kind}`, d]));
const parseError = parseErrorFrom(parse);

const SHA = "sha512-PRWFHuSU3eDtQJPvnNY7Jcket1j0t5OuOsFzPPzsekD52Zl8qUfFIPEiswXqIvHWGVHOgX+7G/vCNNhehwxfkQ==";

describe("packageLockFormat.matches", () => {
  it("matches package-lock.json and npm-shrinkwrap.json outside node_modules", () => {
    expect(packageLockFormat.matches("package-lock.json")).toBe(true);
    expect(packageLockFormat.matches("apps/web/npm-shrinkwrap.json")).toBe(true);
    expect(packageLockFormat.matches("node_modules/x/npm-shrinkwrap.json")).toBe(false);
    expect(packageLockFormat.matches("package.json")).toBe(false);
    expect(packageLockFormat.matches("yarn.lock")).toBe(false);
  });
});

describe("packageLockFormat.parse, real npm lockfiles", () => {
  // The same project locked by npm 6 (v1), npm 8 (v2) and npm 11 (v3).
  const expected = [
    { name: "debug", version: "4.3.4", direct: true },
    { name: "ms", version: "2.1.2", direct: false, requiredBy: ["debug"] },
    { name: "is-number", version: "7.0.0", direct: true },
    { name: "is-odd", version: "3.0.1", direct: true },
    { name: "is-number", version: "6.0.0", direct: false, requiredBy: ["is-odd"] },
    { name: "ms", version: "2.0.0", direct: true, dev: true },
    { name: "lodash", version: "4.17.15", direct: true, declaredName: "x" },
  ];
  it.each([
    ["v1-alias-nested-dev-optional.json", [7, 15, 22, 27, 36, 44, 50]],
    ["v2-alias-nested-dev-optional.json", [25, 42, 48, 57, 70, 100, 120]],
    ["v3-alias-nested-dev-optional.json", [25, 42, 48, 57, 70, 100, 120]],
  ])("%s: names, versions, lines, dev, direct, requiredBy, alias, nested copies", (file, lines) => {
    const parsed = parse(fixture(file));
    expect(parsed).toMatchObject({ ecosystem: "npm", kind: "lockfile" });
    const deps = parsed.dependencies.filter((d) => !["react", "loose-envify", "js-tokens"].includes(d.name));
    expect(deps.map((d) => ({ name: d.name, version: d.version, direct: d.direct, dev: d.dev, declaredName: d.declaredName, requiredBy: d.requiredBy }))).toEqual(
      expected.map((e) => ({ dev: undefined, declaredName: undefined, requiredBy: undefined, ...e })),
    );
    expect(deps.map((d) => d.line)).toEqual(lines);
    for (const d of parsed.dependencies) {
      expect(d.ecosystem).toBe("npm");
      expect(d.integrity).toMatch(/^sha512-/);
      expect(d.resolved).toMatch(/^https:\/\/registry\.npmjs\.org\//);
      expect(d.source).toBeUndefined();
    }
  });

  it("keeps packages npm 7+ installs for the root's peerDependencies, as transitive with no requiredBy", () => {
    const deps = index(parse(fixture("v3-alias-nested-dev-optional.json")).dependencies);
    expect(deps.get("react@18.3.1")).toMatchObject({ direct: false, line: 107 });
    expect(deps.get("react@18.3.1")?.requiredBy).toBeUndefined();
  });

  it("reads npm-shrinkwrap.json (v2 with both layouts) from packages", () => {
    const deps = parse(fixture("shrinkwrap-v2.json")).dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.direct, d.requiredBy])).toEqual([
      ["debug", "4.4.3", 14, true, undefined],
      ["ms", "2.1.3", 31, false, ["debug"]],
    ]);
  });

  it.each(["v2-workspaces.json", "v3-workspaces.json"])("%s: skips workspace folders and links; hoisted and workspace-local entries", (file) => {
    const deps = parse(fixture(file)).dependencies;
    expect(deps.map((d) => d.name)).not.toContain("a");
    expect(deps.map((d) => d.name)).not.toContain("b");
    const byKey = index(deps);
    // Root devDependency.
    expect(byKey.get("debug@4.3.4")).toMatchObject({ direct: true, dev: true, line: 25 });
    expect(byKey.get("debug@4.3.4")?.scope).toBeUndefined();
    // Declared by workspace b, hoisted to the root's node_modules.
    expect(byKey.get("is-number@7.0.0")).toMatchObject({ direct: true, line: 43 });
    expect(byKey.get("is-number@7.0.0")?.scope).toBeUndefined();
    // Pulled in by debug.
    expect(byKey.get("ms@2.1.2")).toMatchObject({ direct: false, dev: true, requiredBy: ["debug"] });
    // Declared by workspace a, in its own node_modules.
    expect(byKey.get("ms@2.0.0")).toMatchObject({ direct: true, scope: "packages/a", line: 66 });
    expect(deps).toHaveLength(4);
  });

  it("reads install scripts, devOptional and file tarballs", () => {
    const byKey = index(parse(fixture("v3-install-script-dev-optional-file-tarball.json")).dependencies);
    expect(byKey.get("core-js@3.37.1")).toMatchObject({ hasInstallScript: true, direct: true, line: 21 });
    expect(byKey.get("is-odd@0.1.2")).toMatchObject({ dev: true, direct: true });
    expect(byKey.get("kind-of@3.2.2")).toMatchObject({ dev: true, direct: false, requiredBy: ["is-even", "is-odd"] });
    expect(byKey.get("is-even@1.0.0")?.hasInstallScript).toBeUndefined();
    const local = byKey.get("local-lib@file");
    expect(local).toMatchObject({ source: { kind: "file", spec: "file:vendor/local-lib-1.0.0.tgz" }, direct: true, line: 91 });
    expect(local?.version).toBeUndefined();
    expect(local?.integrity).toMatch(/^sha512-/);
  });

  it("reads bundled packages without integrity, URL and path sources, and skips file: folder links", () => {
    const deps = parse(fixture("v3-bundled-url-file-link.json")).dependencies;
    expect(deps.map((d) => d.name)).not.toContain("local-dir");
    const byKey = index(deps);
    const bundled = deps.find((d) => d.line === 76);
    expect(bundled).toMatchObject({ name: "is-number", version: "7.0.0", direct: false, requiredBy: ["with-bundled"] });
    expect(bundled).not.toHaveProperty("integrity");
    // Declared by the linked folder local-dir.
    expect(deps.find((d) => d.line === 46)).toMatchObject({ name: "is-number", version: "7.0.0", direct: true, integrity: expect.stringMatching(/^sha512-/) });
    expect(byKey.get("ms@url")).toMatchObject({ source: { kind: "url", spec: "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz" }, unpinned: "URL dependency", line: 59 });
    expect(byKey.get("with-bundled@file")).toMatchObject({ source: { kind: "file" }, direct: true, line: 65 });
  });

  it("reads git dependencies (v3 resolved, v1 version) without a version or integrity", () => {
    const v3 = index(parse(fixture("v3-git-hand-edited.json")).dependencies).get("left-pad@git");
    expect(v3).toMatchObject({
      source: { kind: "git", spec: expect.stringMatching(/^git\+ssh:\/\/git@github\.com\/stevemao\/left-pad\.git#/) },
      unpinned: "git dependency",
      direct: true,
      line: 56,
    });
    expect(v3).not.toHaveProperty("integrity");
    expect(v3).not.toHaveProperty("version");
    const v1 = index(parse(fixture("v1-git-hand-edited.json")).dependencies).get("left-pad@git");
    expect(v1).toMatchObject({ source: { kind: "git", spec: expect.stringMatching(/^github:stevemao\/left-pad#/) }, line: 44 });
    expect(v1).not.toHaveProperty("integrity");
  });

  it("reads npm 5.0's registry tarball URLs in v1 versions as the registry version they name, downloaded from that URL", () => {
    const deps = parse(fixture("real-style-v1-npm5-tarball-versions.json")).dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.source?.kind, d.resolved])).toEqual([
      ["@types/node", "7.0.5", 6, undefined, "https://registry.npmjs.org/@types/node/-/node-7.0.5.tgz"],
      ["acorn", "4.0.4", 11, undefined, "https://registry.npmjs.org/acorn/-/acorn-4.0.4.tgz"],
      ["acorn-jsx", "3.0.1", 16, undefined, "https://registry.npmjs.org/acorn-jsx/-/acorn-jsx-3.0.1.tgz"],
      ["acorn", "3.3.0", 24, undefined, "https://registry.npmjs.org/acorn/-/acorn-3.3.0.tgz"],
      // Another package's tarball, and a tarball of another shape, stay URL downloads.
      ["left-pad", undefined, 31, "url", undefined],
      ["ms", undefined, 35, "url", undefined],
    ]);
    expect(deps[1]).toMatchObject({ integrity: "sha1-F6jWp6bE71OLgU7Jq6wneSk78wo=", dev: true });
    expect(deps[4]?.source?.spec).toBe("https://registry.npmjs.org/lodash/-/lodash-4.17.4.tgz");
  });

  it("reads a v1 file: tarball and applies v1's direct rule (top-level and required by nothing)", () => {
    const byKey = index(parse(fixture("v1-file-tarball.json")).dependencies);
    expect(byKey.get("local-lib@file")).toMatchObject({ source: { kind: "file", spec: "file:vendor/local-lib-1.0.0.tgz" }, direct: true, line: 50 });
    expect(byKey.get("core-js@3.37.1")).toMatchObject({ direct: true });
    expect(byKey.get("is-number@3.0.0")).toMatchObject({ direct: false, requiredBy: ["is-even"] });
  });
});

describe("packageLockFormat.parse, packages layout", () => {
  it("names aliases by their name field and nested entries by their last node_modules segment", () => {
    const deps = parse(
      lock({
        "": { dependencies: { x: "npm:lodash@4.17.15", a: "1.0.0" } },
        "node_modules/x": { name: "lodash", version: "4.17.15", integrity: SHA },
        "node_modules/a": { version: "1.0.0", integrity: SHA, dependencies: { "@s/b": "^1" } },
        "node_modules/a/node_modules/@s/b": { version: "1.2.0", integrity: SHA },
      }),
    ).dependencies;
    expect(deps.map((d) => [d.name, d.declaredName, d.version, d.direct, d.requiredBy])).toEqual([
      ["lodash", "x", "4.17.15", true, undefined],
      ["a", undefined, "1.0.0", true, undefined],
      ["@s/b", undefined, "1.2.0", false, ["a"]],
    ]);
  });

  it("gives a registry entry without integrity an empty one", () => {
    const [dep] = parse(lock({ "": { dependencies: { a: "1.0.0" } }, "node_modules/a": { version: "1.0.0", resolved: "https://registry.npmjs.org/a/-/a-1.0.0.tgz" } })).dependencies;
    expect(dep).toMatchObject({ name: "a", integrity: "" });
  });

  it("resolves to the nearest copy, as Node does", () => {
    const deps = parse(
      lock({
        "": { dependencies: { a: "1", b: "1" } },
        "node_modules/a": { version: "1.0.0", dependencies: { c: "2" } },
        "node_modules/a/node_modules/c": { version: "2.0.0" },
        "node_modules/b": { version: "1.0.0", dependencies: { c: "1" } },
        "node_modules/c": { version: "1.0.0" },
      }),
    ).dependencies;
    expect(index(deps).get("c@2.0.0")?.requiredBy).toEqual(["a"]);
    expect(index(deps).get("c@1.0.0")?.requiredBy).toEqual(["b"]);
  });

  it("resolves among many copies of one name by walking up the folders", () => {
    const packages: Record<string, unknown> = { "": { dependencies: {} } };
    const root = packages[""] as { dependencies: Record<string, string> };
    for (let i = 0; i < 12; i++) {
      root.dependencies[`p${i}`] = "1";
      packages[`node_modules/p${i}`] = { version: "1.0.0", dependencies: { dup: "1", [`q${i}`]: "1" } };
      packages[`node_modules/p${i}/node_modules/dup`] = { version: `1.0.${i}` };
      packages[`node_modules/p${i}/node_modules/q${i}`] = { version: "1.0.0", dependencies: { dup: "1" } };
    }
    packages["node_modules/dup"] = { version: "9.0.0" };
    packages["node_modules/p3/node_modules/q3"] = { version: "1.0.0", dependencies: { dup: "1", other: "1" } };
    packages["node_modules/other"] = { version: "1.0.0" };
    const byKey = index(parse(lock(packages)).dependencies);
    expect(byKey.get("dup@1.0.3")?.requiredBy).toEqual(["p3"]);
    expect(byKey.get("dup@9.0.0")?.requiredBy).toBeUndefined();
    expect(byKey.get("other@1.0.0")?.requiredBy).toEqual(["p3"]);
  });

  it("lists at most five direct dependents and survives cycles", () => {
    const packages: Record<string, unknown> = { "": { dependencies: {} } };
    const root = packages[""] as { dependencies: Record<string, string> };
    for (const name of ["d1", "d2", "d3", "d4", "d5", "d6", "d7"]) {
      root.dependencies[name] = "1";
      packages[`node_modules/${name}`] = { version: "1.0.0", dependencies: { shared: "1" } };
    }
    packages["node_modules/shared"] = { version: "1.0.0", dependencies: { deep: "1" } };
    packages["node_modules/deep"] = { version: "1.0.0", dependencies: { shared: "1", d1: "1" } };
    const byKey = index(parse(lock(packages)).dependencies);
    expect(byKey.get("shared@1.0.0")?.requiredBy).toEqual(["d1", "d2", "d3", "d4", "d5"]);
    expect(byKey.get("deep@1.0.0")?.requiredBy).toEqual(["d1", "d2", "d3", "d4", "d5"]);
    expect(byKey.get("d1@1.0.0")).toMatchObject({ direct: true });
    expect(byKey.get("d1@1.0.0")).not.toHaveProperty("requiredBy");
  });

  it("takes a URL dependency of a dependency from its declared spec when the download is not a registry tarball", () => {
    const byKey = index(
      parse(
        lock({
          "": { dependencies: { a: "1" } },
          "node_modules/a": { version: "1.0.0", dependencies: { b: "https://example.com/b.tgz" } },
          "node_modules/b": { version: "1.0.0", resolved: "https://example.com/b.tgz", integrity: SHA },
        }),
      ).dependencies,
    );
    expect(byKey.get("b@url")).toMatchObject({ source: { kind: "url", spec: "https://example.com/b.tgz" }, requiredBy: ["a"] });
  });

  it("handles a BOM, CRLF and duplicate keys (the last wins, as in JSON.parse)", () => {
    const text = `\uFEFF${lock({ "": {}, "node_modules/a": { version: "1.0.0", integrity: SHA } })}`.replace(/\n/g, "\r\n");
    expect(parse(text).dependencies.map((d) => [d.name, d.line])).toEqual([["a", 7]]);
    const duplicated = '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": { "version": "1.0.0" },\n    "node_modules/a": { "version": "2.0.0" }\n  }\n}';
    expect(parse(duplicated).dependencies.map((d) => [d.name, d.version, d.line])).toEqual([["a", "2.0.0", 5]]);
  });

  it("gives no dependencies for a project without any", () => {
    expect(parse(lock({ "": { name: "x", version: "1.0.0" } })).dependencies).toEqual([]);
    expect(parse('{ "name": "x", "version": "1.0.0", "lockfileVersion": 1, "requires": true }').dependencies).toEqual([]);
  });
});

describe("packageLockFormat.parse, lockfileVersion 1", () => {
  const v1 = [
    "{",
    '  "lockfileVersion": 1,',
    '  "dependencies": {',
    '    "a": {',
    '      "version": "1.0.0",',
    '      "requires": { "b": "^2.0.0" },',
    '      "dependencies": {',
    '        "b": {',
    '          "version": "2.0.0",',
    '          "bundled": true,',
    '          "requires": { "c": "3" },',
    '          "dependencies": {',
    '            "c": { "version": "3.0.0", "dev": true }',
    "          }",
    "        }",
    "      }",
    "    },",
    '    "b": { "version": "1.0.0", "integrity": "sha1-x" }',
    "  }",
    "}",
  ].join("\n");

  it("finds entries nested three deep, with their lines, in file order", () => {
    const deps = parse(v1).dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.direct, d.requiredBy, d.integrity])).toEqual([
      ["a", "1.0.0", 4, true, undefined, ""],
      ["b", "2.0.0", 8, false, ["a"], undefined],
      ["c", "3.0.0", 13, false, ["a"], ""],
      ["b", "1.0.0", 18, true, undefined, "sha1-x"],
    ]);
    expect(deps[2]).toMatchObject({ dev: true });
  });

  it("rejects trees nested deeper than any real install", () => {
    let tree = '{ "version": "1.0.0" }';
    for (let i = 0; i < 80; i++) tree = `{ "version": "1.0.0", "dependencies": { "p${i}": ${tree} } }`;
    const error = parseError(`{\n  "lockfileVersion": 1,\n  "dependencies": { "top": ${tree} }\n}`);
    expect(error.message).toMatch(/nested more than/);
    expect(error.line).toBe(3);
  });
});

describe("packageLockFormat.parse, malformed input", () => {
  it("names the line of a JSON syntax error", () => {
    expect(parseError('{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": { "version": "1.0.0" },\n  }\n}').line).toBe(5);
    expect(parseError("").line).toBe(1);
  });

  it("rejects unknown lockfile versions, naming them", () => {
    const error = parseError('{\n  "name": "x",\n  "lockfileVersion": 4,\n  "packages": {}\n}');
    expect(error.message).toContain("lockfileVersion 4");
    expect(error.line).toBe(3);
    expect(parseError('{ "lockfileVersion": "3", "packages": {} }').message).toContain('lockfileVersion "3"');
    expect(parseError('{ "packages": {} }').message).toContain("lockfileVersion none");
  });

  it("rejects a registry entry without a version, at its line", () => {
    const error = parseError(lock({ "": {}, "node_modules/a": { version: "1.0.0" }, "node_modules/b": { resolved: "https://registry.npmjs.org/b/-/b-1.0.0.tgz" } }));
    expect(error.line).toBe(10);
    expect(error.message).toContain("node_modules/b");
    const v1 = parseError('{\n  "lockfileVersion": 1,\n  "dependencies": {\n    "a": { "integrity": "sha1-x" }\n  }\n}');
    expect(v1.line).toBe(4);
  });

  it.each([
    ["packages is an array", '{\n  "lockfileVersion": 3,\n  "packages": []\n}', 3],
    ["an entry is a string", '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": "1.0.0"\n  }\n}', 4],
    ["a version is a number", '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": { "version": 1 }\n  }\n}', 4],
    ["a version is a range", '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": { "version": "^1.0.0" }\n  }\n}', 4],
    ["resolved is an object", '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": { "version": "1.0.0", "resolved": {} }\n  }\n}', 4],
    ["an entry's dependencies is an array", '{\n  "lockfileVersion": 2,\n  "packages": {\n    "node_modules/a": { "version": "1.0.0", "dependencies": ["b"] }\n  }\n}', 4],
    ["the root's dependencies is a string", '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": "a" }\n  }\n}', 4],
    ["a key has no package name", '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/": { "version": "1.0.0" }\n  }\n}', 4],
    ["a v1 entry is null", '{\n  "lockfileVersion": 1,\n  "dependencies": {\n    "a": null\n  }\n}', 4],
    ["v1 requires is an array", '{\n  "lockfileVersion": 1,\n  "dependencies": {\n    "a": { "version": "1.0.0", "requires": ["b"] }\n  }\n}', 4],
    ["v1 dependencies is a string", '{\n  "lockfileVersion": 1,\n  "dependencies": "a"\n}', 3],
    ["the file is an array", "[]", 1],
  ])("throws DependencyParseError when %s", (_what, text, line) => {
    expect(parseError(text).line).toBe(line);
  });
});

describe("packageLockFormat on damaged input", () => {
  it("only ever throws DependencyParseError, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("v3-workspaces.json"), fixture("v2-alias-nested-dev-optional.json"), fixture("v1-git-hand-edited.json"), fixture("v3-bundled-url-file-link.json")], { numRuns: 500 });
  });
});
