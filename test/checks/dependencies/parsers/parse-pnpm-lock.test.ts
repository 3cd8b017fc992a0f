import { describe, expect, it } from "vitest";
import type { Dependency } from "../../../../src/checks/dependencies/model.js";
import { pnpmLockFormat } from "../../../../src/checks/dependencies/parsers/parse-pnpm-lock.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

// Fixtures: real lockfiles written by pnpm 8.15 (lockfileVersion 6.0) and pnpm 9.15 (9.0) for a
// workspace of three importers (alias x -> lodash@4.17.15, devDependencies, a peer-dependent
// package, a workspace: link), and for a project with tarball, file: and git dependencies (served
// locally, then rewritten to example hosts).
const fixture = fixturesIn("pnpm-lock");
const parse = (text: string) => pnpmLockFormat.parse(text, "pnpm-lock.yaml");
const byName = (deps: readonly Dependency[], name: string) => deps.find((d) => d.name === name);
const parseError = parseErrorFrom(parse);

const INTEGRITY = "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==";

/** name, version, line, direct, dev, scope: what the fixtures' two layouts must agree on (lines aside). */
const WORKSPACE_PACKAGES = [
  ["debug", "4.4.3", true, false, undefined],
  ["es-errors", "1.3.0", false, true, undefined],
  ["function-bind", "1.1.2", false, true, undefined],
  ["hasown", "2.0.4", false, true, undefined],
  ["is-core-module", "2.18.0", false, true, undefined],
  // A devDependency of the root and a dependency of lib-b: not dev-only.
  ["is-number", "7.0.0", true, false, undefined],
  ["js-tokens", "4.0.0", false, false, undefined],
  ["lodash", "4.17.15", true, false, undefined],
  ["loose-envify", "1.4.0", false, false, undefined],
  ["ms", "2.1.3", true, false, "packages/lib-a"],
  ["path-parse", "1.0.7", false, true, undefined],
  ["react", "18.2.0", true, false, "packages/lib-a"],
  ["resolve", "1.22.14", true, true, undefined],
  ["supports-preserve-symlinks-flag", "1.0.0", false, true, undefined],
  ["use-sync-external-store", "1.2.0", true, false, "packages/lib-a"],
];
const placement = (deps: readonly Dependency[]) => deps.map((d) => [d.name, d.version, d.direct, d.dev ?? false, d.scope]);

describe("pnpmLockFormat", () => {
  it("matches pnpm-lock.yaml by its base name", () => {
    expect(pnpmLockFormat).toMatchObject({ id: "pnpm-lock", files: "pnpm-lock.yaml", ecosystem: "npm", kind: "lockfile" });
    expect(pnpmLockFormat.matches("pnpm-lock.yaml")).toBe(true);
    expect(pnpmLockFormat.matches("apps/web/pnpm-lock.yaml")).toBe(true);
    expect(pnpmLockFormat.matches("pnpm-workspace.yaml")).toBe(false);
    expect(pnpmLockFormat.matches("pnpm-lock.yml")).toBe(false);
  });
});

describe("lockfileVersion 9.0", () => {
  const deps = () => parse(fixture("v9-workspace.pnpm-lock.yaml")).dependencies;

  it("reads one dependency per package, on its key line in packages", () => {
    expect(deps().map((d) => [d.name, d.version, d.line])).toEqual([
      ["debug", "4.4.3", 51],
      ["es-errors", "1.3.0", 60],
      ["function-bind", "1.1.2", 64],
      ["hasown", "2.0.4", 67],
      ["is-core-module", "2.18.0", 71],
      ["is-number", "7.0.0", 75],
      ["js-tokens", "4.0.0", 79],
      ["lodash", "4.17.15", 82],
      ["loose-envify", "1.4.0", 85],
      ["ms", "2.1.3", 89],
      ["path-parse", "1.0.7", 92],
      ["react", "18.2.0", 95],
      ["resolve", "1.22.14", 99],
      ["supports-preserve-symlinks-flag", "1.0.0", 104],
      ["use-sync-external-store", "1.2.0", 108],
    ]);
  });

  it("marks what importers declare as direct, dev-only packages as dev, and workspace folders as nothing", () => {
    expect(placement(deps())).toEqual(WORKSPACE_PACKAGES);
    expect(byName(deps(), "lib-b")).toBeUndefined();
  });

  it("keeps an alias's written name, the importer's specifier and the registry integrity", () => {
    expect(byName(deps(), "lodash")).toEqual({
      ecosystem: "npm",
      name: "lodash",
      version: "4.17.15",
      line: 82,
      direct: true,
      declaredName: "x",
      requirement: "npm:lodash@4.17.15",
      integrity: "sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A==",
    });
  });

  it("names the direct dependencies that pull in a transitive one", () => {
    expect(byName(deps(), "hasown")?.requiredBy).toEqual(["resolve"]);
    // react is also a dependency of use-sync-external-store in the snapshots.
    expect(byName(deps(), "loose-envify")?.requiredBy).toEqual(["react", "use-sync-external-store"]);
    expect(byName(deps(), "resolve")?.requiredBy).toBeUndefined();
  });

  it("gives git, directory and tarball resolutions a source and no integrity expectation", () => {
    const sources = parse(fixture("v9-sources.pnpm-lock.yaml")).dependencies;
    expect(sources.map((d) => [d.name, d.version, d.line, d.source, d.integrity])).toEqual([
      ["git-pkg", "3.0.0", 26, { kind: "git", spec: "https://gitlab.example.com/example/git-pkg.git#4ea24c7418c41a20a0a43b10b899d8b0288a0cc8" }, undefined],
      ["is-number", "7.0.0", 30, undefined, "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng=="],
      ["local-pkg", undefined, 34, { kind: "file", spec: "vendor/local-pkg" }, undefined],
      ["ms", "2.1.2", 37, { kind: "url", spec: "https://cdn.example.com/ms-2.1.2.tgz" }, undefined],
    ]);
    expect(byName(sources, "local-pkg")?.unpinned).toBe("local path dependency");
    expect(byName(sources, "ms")?.resolved).toBe("https://cdn.example.com/ms-2.1.2.tgz");
    expect(sources.every((d) => d.direct)).toBe(true);
  });

  it("reads GitHub codeload tarballs as git, peer variants as one package, and a registry entry without integrity as empty", () => {
    const text = [
      "lockfileVersion: '9.0'",
      "importers:",
      "  .:",
      "    dependencies:",
      "      gh-pkg:",
      "        specifier: github:example/gh-pkg#abc123",
      "        version: https://codeload.github.com/example/gh-pkg/tar.gz/abc123",
      "      plugin:",
      "        specifier: ^1.0.0",
      "        version: 1.0.0(react@18.2.0)",
      "      other:",
      "        specifier: ^2.0.0",
      "        version: 2.0.0",
      "packages:",
      "  gh-pkg@https://codeload.github.com/example/gh-pkg/tar.gz/abc123:",
      "    resolution: {tarball: https://codeload.github.com/example/gh-pkg/tar.gz/abc123}",
      "    version: 1.2.0",
      "  plugin@1.0.0:",
      `    resolution: {integrity: ${INTEGRITY}}`,
      "  other@2.0.0:",
      "    resolution: {}",
      "    requiresBuild: true",
      "snapshots:",
      "  gh-pkg@https://codeload.github.com/example/gh-pkg/tar.gz/abc123: {}",
      "  plugin@1.0.0(react@18.2.0): {}",
      "  plugin@1.0.0(react@17.0.2): {}",
      "  other@2.0.0:",
      "    dependencies:",
      "      plugin: 1.0.0(react@17.0.2)",
    ].join("\n");
    const parsed = parse(text).dependencies;
    expect(parsed.map((d) => [d.name, d.version, d.line])).toEqual([
      ["gh-pkg", "1.2.0", 15],
      ["plugin", "1.0.0", 18],
      ["other", "2.0.0", 20],
    ]);
    expect(byName(parsed, "gh-pkg")).toMatchObject({ source: { kind: "git", spec: "https://codeload.github.com/example/gh-pkg/tar.gz/abc123" } });
    expect(byName(parsed, "gh-pkg")?.integrity).toBeUndefined();
    expect(byName(parsed, "other")).toMatchObject({ integrity: "", hasInstallScript: true });
  });

  it("lists at most five direct dependencies in requiredBy", () => {
    const names = ["a", "b", "c", "d", "e", "f", "g"];
    const text = [
      "lockfileVersion: '9.0'",
      "importers:",
      "  .:",
      "    dependencies:",
      ...names.flatMap((n) => [`      ${n}:`, "        specifier: 1.0.0", "        version: 1.0.0"]),
      "packages:",
      ...[...names, "shared"].flatMap((n) => [`  ${n}@1.0.0:`, `    resolution: {integrity: ${INTEGRITY}}`]),
      "snapshots:",
      ...names.flatMap((n) => [`  ${n}@1.0.0:`, "    dependencies:", "      shared: 1.0.0"]),
      "  shared@1.0.0: {}",
    ].join("\n");
    const shared = byName(parse(text).dependencies, "shared");
    expect(shared?.requiredBy).toHaveLength(5);
    expect(names).toEqual(expect.arrayContaining([...shared!.requiredBy!]));
  });

  it("reads the last document when pnpm writes a config-dependencies document first", () => {
    const text = `---\nlockfileVersion: '9.0'\n\nimporters:\n  .:\n    configDependencies: {}\n\n---\n${fixture("v9-workspace.pnpm-lock.yaml")}`;
    const parsed = parse(text).dependencies;
    expect(parsed).toHaveLength(15);
    expect(byName(parsed, "debug")?.line).toBe(51 + 8);
  });

  it("reads a runtime (node@runtime:, one binary per platform) as a url download with every variant's integrity, not a registry entry without one", () => {
    const text = fixture("real-style-v9-runtime.pnpm-lock.yaml");
    const node = byName(parse(text).dependencies, "node");
    expect(node).toEqual({
      ecosystem: "npm",
      name: "node",
      version: "22.11.0",
      line: 23,
      direct: true,
      dev: true,
      requirement: "runtime:22.11.0",
      source: { kind: "url", spec: "https://nodejs.org/download/release/v22.11.0/node-v22.11.0-darwin-arm64.tar.gz" },
      integrity: `sha256-${"A".repeat(43)}= sha256-${"B".repeat(43)}= sha256-${"C".repeat(43)}=`,
    });
    // A variant on another host is the one named; a variant without integrity empties it.
    const injected = text.replace("https://nodejs.org/download/release/v22.11.0/node-v22.11.0-linux-x64.tar.gz", "https://evil.example/node.tgz");
    expect(byName(parse(injected).dependencies, "node")?.source).toEqual({ kind: "url", spec: "https://evil.example/node.tgz" });
    const unhashed = text.replace(`            integrity: sha256-${"C".repeat(43)}=\n`, "");
    expect(byName(parse(unhashed).dependencies, "node")?.integrity).toBe("");
    const noUrl = text.replace(/ {12}url: .*\n/g, "");
    expect(() => parse(noUrl)).toThrow(/node@runtime:22.11.0.* at line 23 has variations without a url/);
  });
});

describe("lockfileVersion 6.0", () => {
  const deps = () => parse(fixture("v6-workspace.pnpm-lock.yaml")).dependencies;

  it("reads the same packages as v9, on their v6 key lines", () => {
    expect(deps().map((d) => [d.name, d.line])).toEqual([
      ["debug", 51],
      ["es-errors", 63],
      ["function-bind", 68],
      ["hasown", 72],
      ["is-core-module", 79],
      ["is-number", 86],
      ["js-tokens", 90],
      ["lodash", 94],
      ["loose-envify", 98],
      ["ms", 105],
      ["path-parse", 109],
      ["react", 113],
      ["resolve", 120],
      ["supports-preserve-symlinks-flag", 131],
      // `/use-sync-external-store@1.2.0(react@18.2.0)`: the peer suffix is not part of the version.
      ["use-sync-external-store", 136],
    ]);
    expect(placement(deps())).toEqual(WORKSPACE_PACKAGES);
    expect(byName(deps(), "lodash")).toMatchObject({ declaredName: "x", direct: true });
    expect(byName(deps(), "hasown")?.requiredBy).toEqual(["resolve"]);
  });

  it("reads a single-project file (dependencies at the top level) with tarball and directory sources", () => {
    const sources = parse(fixture("v6-sources.pnpm-lock.yaml")).dependencies;
    expect(sources.map((d) => [d.name, d.version, d.line, d.direct, d.source])).toEqual([
      ["is-number", "7.0.0", 20, true, undefined],
      ["ms", "2.1.2", 25, true, { kind: "url", spec: "https://cdn.example.com/ms-2.1.2.tgz" }],
      ["local-pkg", undefined, 31, true, { kind: "file", spec: "vendor/local-pkg" }],
    ]);
  });

  it("reads GitHub and git entries, peer variants as one package, and requiresBuild", () => {
    const text = [
      "lockfileVersion: '6.0'",
      "dependencies:",
      "  gh-pkg:",
      "    specifier: github:example/gh-pkg#abc123",
      "    version: github.com/example/gh-pkg/abc123",
      "  plugin:",
      "    specifier: ^1.0.0",
      "    version: 1.0.0(react@18.2.0)",
      "  '@scope/native':",
      "    specifier: ^3.0.0",
      "    version: 3.0.0",
      "  self-hosted:",
      "    specifier: git+ssh://git@git.example.com/team/self-hosted.git#def456",
      "    version: git.example.com/team/self-hosted/def456",
      "packages:",
      "  github.com/example/gh-pkg/abc123:",
      "    resolution: {tarball: https://codeload.github.com/example/gh-pkg/tar.gz/abc123}",
      "    name: gh-pkg",
      "    version: 1.2.0",
      "    dev: false",
      "  /plugin@1.0.0(react@18.2.0):",
      `    resolution: {integrity: ${INTEGRITY}}`,
      "    dev: false",
      "  /plugin@1.0.0(react@17.0.2):",
      `    resolution: {integrity: ${INTEGRITY}}`,
      "    dev: false",
      "  /@scope/native@3.0.0:",
      `    resolution: {integrity: ${INTEGRITY}}`,
      "    requiresBuild: true",
      "    dependencies:",
      "      plugin: 1.0.0(react@17.0.2)",
      "    dev: false",
      "  git.example.com/team/self-hosted/def456:",
      "    resolution: {commit: def456, repo: git@git.example.com:team/self-hosted.git, type: git}",
      "    name: self-hosted",
      "    version: 0.9.0",
      "    dev: false",
    ].join("\n");
    const parsed = parse(text).dependencies;
    expect(parsed.map((d) => [d.name, d.version, d.line, d.direct])).toEqual([
      ["gh-pkg", "1.2.0", 16, true],
      ["plugin", "1.0.0", 21, true],
      ["@scope/native", "3.0.0", 27, true],
      ["self-hosted", "0.9.0", 33, true],
    ]);
    expect(byName(parsed, "gh-pkg")?.source).toEqual({ kind: "git", spec: "https://codeload.github.com/example/gh-pkg/tar.gz/abc123" });
    expect(byName(parsed, "self-hosted")?.source).toEqual({ kind: "git", spec: "git@git.example.com:team/self-hosted.git#def456" });
    expect(byName(parsed, "@scope/native")).toMatchObject({ hasInstallScript: true, integrity: INTEGRITY });
  });
});

describe("text encodings", () => {
  it("reads a BOM and CRLF line ends with the same lines", () => {
    for (const name of ["v6-workspace.pnpm-lock.yaml", "v9-workspace.pnpm-lock.yaml"]) {
      const text = fixture(name);
      expect(parse(`\uFEFF${text.replaceAll("\n", "\r\n")}`).dependencies).toEqual(parse(text).dependencies);
    }
  });

  it("says an empty file is empty rather than returning nothing silently", () => {
    expect(parse("")).toEqual({ ecosystem: "npm", kind: "lockfile", dependencies: [], warnings: ["pnpm-lock.yaml is empty"] });
    expect(parse("lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n").dependencies).toEqual([]);
  });
});

describe("malformed", () => {
  const v9 = fixture("v9-workspace.pnpm-lock.yaml");

  it("rejects invalid YAML with its line", () => {
    const broken = v9.replace("  debug@4.4.3:\n    resolution: {integrity:", "  debug@4.4.3:\n    resolution: {integrity: [");
    const error = parseError(broken);
    expect(error.line).toBeGreaterThanOrEqual(52);
    expect(error.message).toMatch(/^invalid YAML at line \d+/);
  });

  it("rejects a duplicate key with the line of the second one", () => {
    const duplicated = v9.replace("  ms@2.1.3:\n    resolution:", "  ms@2.1.3:\n    resolution: {}\n  ms@2.1.3:\n    resolution:");
    expect(parseError(duplicated)).toMatchObject({ line: 91, message: expect.stringContaining("duplicate key") });
  });

  it("rejects a YAML alias bomb", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [i, name] of ["b", "c", "d", "e", "f", "g", "h"].entries()) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`);
    }
    expect(parseError(`lockfileVersion: '9.0'\n${levels.join("\n")}\n`).message).toMatch(/alias/i);
  });

  it("rejects merge-conflict markers with the line of the first one", () => {
    const conflicted = v9.replace("  ms@2.1.3:\n", "<<<<<<< HEAD\n  ms@2.1.3:\n=======\n  ms@2.1.2:\n>>>>>>> feature\n");
    expect(parseError(conflicted)).toMatchObject({ line: 89, message: expect.stringContaining("merge-conflict") });
  });

  it("rejects unknown and unsupported lockfile versions on their line, and a file without one", () => {
    expect(parseError(v9.replace("lockfileVersion: '9.0'", "lockfileVersion: '10.0'"))).toMatchObject({ line: 1, message: expect.stringContaining("unknown lockfileVersion") });
    expect(parseError("# pnpm\nlockfileVersion: 5.4\n")).toMatchObject({ line: 2, message: expect.stringContaining("not supported") });
    expect(parseError("importers: {}\npackages: {}\n")).toMatchObject({ message: expect.stringContaining("no lockfileVersion") });
    expect(parseError("- a\n- b\n")).toMatchObject({ line: 1, message: expect.stringContaining("not a mapping") });
  });

  it("rejects package keys and entries it cannot read, with their line", () => {
    expect(parseError("lockfileVersion: '9.0'\npackages:\n  just-a-name:\n    resolution: {}\n")).toMatchObject({ line: 3, message: expect.stringContaining("not name@version") });
    expect(parseError("lockfileVersion: '6.0'\npackages:\n  /ms/2.1.3:\n    resolution: {}\n").line).toBe(3);
    expect(parseError("lockfileVersion: '9.0'\npackages:\n  ms@2.1.3: nope\n").line).toBe(3);
    expect(parseError("lockfileVersion: '9.0'\npackages:\n  ms@2.1.3:\n    engines: {}\n")).toMatchObject({ line: 3, message: expect.stringContaining("no resolution") });
    expect(parseError("lockfileVersion: '9.0'\npackages: [ms]\n").line).toBe(2);
  });

  it("rejects an importer entry that points at no package, with the importer's line", () => {
    const dangling = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      ms:\n        specifier: ^2.1.3\n        version: 2.1.3\npackages: {}\n";
    expect(parseError(dangling)).toMatchObject({ line: 5, message: expect.stringContaining("not in packages") });
    expect(parseError("lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      ms:\n        specifier: ^2.1.3\n").line).toBe(5);
  });
});

describe("pnpmLockFormat on damaged input", () => {
  it("only ever throws DependencyParseError, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("v9-workspace.pnpm-lock.yaml"), fixture("v6-workspace.pnpm-lock.yaml"), fixture("v9-sources.pnpm-lock.yaml")], { numRuns: 300 });
  });
});
