import { describe, expect, it } from "vitest";
import { dependencyDelta } from "../../../src/checks/dependencies/delta.js";
import type { Dependency } from "../../../src/checks/dependencies/model.js";

const dep = (name: string, version: string | undefined, extra: Partial<Dependency> = {}): Dependency => ({ ecosystem: "npm", name, version, line: 1, direct: false, ...extra });
const kinds = (base: Dependency[], head: Dependency[]) => dependencyDelta(base, head).map((c) => [c.dependency.name, c.kind, c.from]);

describe("dependencyDelta", () => {
  it("tells added, upgraded and downgraded versions apart, with the version replaced", () => {
    expect(kinds([dep("a", "1.0.0"), dep("b", "2.0.0")], [dep("a", "1.1.0"), dep("b", "1.9.0"), dep("c", "1.0.0")])).toEqual([
      ["a", "upgraded", "1.0.0"],
      ["b", "downgraded", "2.0.0"],
      ["c", "added", undefined],
    ]);
  });

  it("calls an entry whose version is unchanged but whose download or hash changed `changed`", () => {
    const base = [dep("a", "1.0.0", { resolved: "https://registry.npmjs.org/a/-/a-1.0.0.tgz", integrity: "sha512-x" })];
    const head = [dep("a", "1.0.0", { resolved: "https://evil.example/a-1.0.0.tgz", integrity: "sha512-y" })];
    expect(kinds(base, head)).toEqual([["a", "changed", undefined]]);
  });

  it("ignores moves, removals and workspace renames", () => {
    const base = [dep("a", "1.0.0", { line: 3, scope: "packages/old" }), dep("b", "1.0.0", { line: 9 })];
    expect(dependencyDelta(base, [dep("a", "1.0.0", { line: 40, scope: "packages/new" })])).toEqual([]);
  });

  it("compares names and versions as the ecosystem does", () => {
    const nuget = (name: string, version: string) => dep(name, version, { ecosystem: "NuGet" });
    expect(dependencyDelta([nuget("Newtonsoft.Json", "13.0.1-Beta")], [nuget("newtonsoft.json", "13.0.1-beta")])).toEqual([]);
    const pypi = (name: string, version: string) => dep(name, version, { ecosystem: "PyPI" });
    expect(kinds([pypi("requests", "2.2")], [pypi("requests", "2.2.0")])).toEqual([["requests", "changed", undefined]]);
  });
});
