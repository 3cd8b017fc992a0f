import { describe, expect, it } from "vitest";
import { classifyNpmSpec, pinnedVersion, unpinnedReason } from "../../../../src/checks/dependencies/parsers/npm-spec.js";

describe("classifyNpmSpec", () => {
  it.each([
    ["4.17.15", "4.17.15"],
    ["=4.17.15", "4.17.15"],
    ["v4.17.15", "4.17.15"],
    [" 4.17.15 ", "4.17.15"],
    ["1.0.0-rc.1", "1.0.0-rc.1"],
  ])("%s is the exact version %s", (spec, version) => {
    expect(classifyNpmSpec(spec)).toEqual({ kind: "version", version });
  });

  it.each(["^1.2.3", "~1", ">=1 <2", "*", "1.x", "1", "1.2.3 - 2", "^1 || ^2", "x"])("%s is a range", (spec) => {
    expect(classifyNpmSpec(spec)).toEqual({ kind: "range", range: spec });
  });

  it("treats an empty spec as any version", () => {
    expect(classifyNpmSpec("")).toEqual({ kind: "range", range: "*" });
  });

  it.each(["latest", "next", "beta-2"])("%s is a dist-tag", (spec) => {
    expect(classifyNpmSpec(spec)).toEqual({ kind: "tag", tag: spec });
  });

  it("reads an npm: alias to an exact version, naming the aliased package", () => {
    expect(classifyNpmSpec("npm:lodash@4.17.15")).toEqual({ kind: "alias", name: "lodash", target: { kind: "version", version: "4.17.15" } });
  });

  it("reads a scoped alias to a range and a bare alias", () => {
    expect(classifyNpmSpec("npm:@scope/pkg@^1")).toEqual({ kind: "alias", name: "@scope/pkg", target: { kind: "range", range: "^1" } });
    expect(classifyNpmSpec("npm:@scope/pkg")).toEqual({ kind: "alias", name: "@scope/pkg", target: { kind: "range", range: "*" } });
  });

  it.each(["npm:", "npm:@scope", "npm:lodash@github:a/b", "npm:lodash@not a range"])("%s is an invalid alias", (spec) => {
    expect(classifyNpmSpec(spec).kind).toBe("invalid");
  });

  it.each([
    "git+https://github.com/user/repo.git",
    "git+https://user:token@github.com/user/repo.git#v1.0.0",
    "git+ssh://git@github.com/user/repo.git#semver:^1",
    "git://github.com/user/repo.git",
    "git@github.com:user/repo.git",
    "github:user/repo",
    "gitlab:user/repo#main",
    "bitbucket:user/repo",
    "gist:11081aaa281",
    "user/repo",
    "user/repo#feature/x",
    "https://github.com/user/repo.git",
    "https://github.com/user/repo",
  ])("%s is git", (spec) => {
    expect(classifyNpmSpec(spec)).toEqual({ kind: "git" });
  });

  it.each(["https://example.com/pkg-1.0.0.tgz", "http://example.com/pkg.tgz", "https://github.com/user/repo/archive/v1.tar.gz"])("%s is a URL", (spec) => {
    expect(classifyNpmSpec(spec)).toEqual({ kind: "url" });
  });

  it.each(["file:../lib", "file:vendor/x-1.0.0.tgz", "link:../lib", "portal:../lib", "./lib", "../lib", "/abs/lib", "~/lib", "x.tgz", "vendor/lib/x.tgz", "C:\\lib"])(
    "%s is a local path",
    (spec) => {
      expect(classifyNpmSpec(spec)).toEqual({ kind: "file" });
    },
  );

  it.each(["workspace:*", "workspace:^1.0.0", "workspace:../b"])("%s is a workspace reference", (spec) => {
    expect(classifyNpmSpec(spec)).toEqual({ kind: "workspace" });
  });

  it.each(["patch:lodash@npm%3A4.17.15#./p.patch", "exec:./gen.js", "foo bar baz", "tag with spaces?"])("%s is not something npm installs", (spec) => {
    expect(classifyNpmSpec(spec).kind).toBe("invalid");
  });
});

describe("pinnedVersion and unpinnedReason", () => {
  it("pins exact versions, directly or through an alias", () => {
    expect(pinnedVersion(classifyNpmSpec("4.17.15"))).toBe("4.17.15");
    expect(pinnedVersion(classifyNpmSpec("npm:lodash@4.17.15"))).toBe("4.17.15");
    expect(pinnedVersion(classifyNpmSpec("npm:lodash@^4"))).toBeUndefined();
    expect(pinnedVersion(classifyNpmSpec("github:user/repo"))).toBeUndefined();
  });

  it("says why nothing is pinned, without quoting URLs", () => {
    expect(unpinnedReason(classifyNpmSpec("^4.17.15"))).toBe("range ^4.17.15");
    expect(unpinnedReason(classifyNpmSpec("latest"))).toBe("tag latest");
    expect(unpinnedReason(classifyNpmSpec("npm:lodash@~4.17"))).toBe("range ~4.17");
    expect(unpinnedReason(classifyNpmSpec("git+https://user:token@github.com/u/r.git"))).toBe("git dependency");
    expect(unpinnedReason(classifyNpmSpec("https://user:token@example.com/x.tgz"))).toBe("URL dependency");
    expect(unpinnedReason(classifyNpmSpec("4.17.15"))).toBeUndefined();
  });
});
