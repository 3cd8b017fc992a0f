import { describe, expect, it } from "vitest";
import { isVersionComment, parseUses } from "../../../../src/checks/policy/workflow/uses-ref.js";

const SHA = "b4ffde65f46336ab88eb53be808477a3936bae11";

describe("parseUses", () => {
  it("reads owner, repo, sub-path and ref", () => {
    expect(parseUses("actions/checkout@v4")).toEqual({ kind: "repository", owner: "actions", repo: "checkout", path: "", ref: "v4", pinnedToCommit: false, reusableWorkflow: false });
    expect(parseUses(`github/codeql-action/init@${SHA}`)).toMatchObject({ owner: "github", repo: "codeql-action", path: "init", ref: SHA, pinnedToCommit: true });
  });

  it("tells reusable workflows from actions", () => {
    expect(parseUses("octo-org/shared/.github/workflows/release.yml@main")).toMatchObject({ kind: "repository", reusableWorkflow: true, ref: "main" });
    expect(parseUses("octo-org/shared/.github/actions/setup@main")).toMatchObject({ reusableWorkflow: false });
  });

  it("a short SHA or a tag that looks like hex is not a commit pin", () => {
    expect(parseUses("acme/tool@b4ffde6")).toMatchObject({ pinnedToCommit: false });
    expect(parseUses(`acme/tool@${SHA.slice(0, 39)}`)).toMatchObject({ pinnedToCommit: false });
    expect(parseUses(`acme/tool@${SHA}0`)).toMatchObject({ pinnedToCommit: false });
    expect(parseUses(`acme/tool@${SHA.toUpperCase()}`)).toMatchObject({ pinnedToCommit: true });
  });

  it("a value without @ has no ref", () => {
    const ref = parseUses("acme/tool");
    expect(ref).toMatchObject({ kind: "repository", pinnedToCommit: false });
    expect(ref).not.toHaveProperty("ref");
  });

  it("local actions and workflows", () => {
    expect(parseUses("./.github/actions/setup")).toEqual({ kind: "local", path: ".github/actions/setup" });
    expect(parseUses("./.github/workflows/build.yml")).toEqual({ kind: "local", path: ".github/workflows/build.yml" });
  });

  it("docker images with tags, digests and registry ports", () => {
    expect(parseUses("docker://alpine:3.19")).toEqual({ kind: "docker", image: "alpine", tag: "3.19" });
    expect(parseUses("docker://ghcr.io/acme/tool")).toEqual({ kind: "docker", image: "ghcr.io/acme/tool" });
    expect(parseUses("docker://registry.local:5000/tool:1.2")).toEqual({ kind: "docker", image: "registry.local:5000/tool", tag: "1.2" });
    const digest = `sha256:${"a".repeat(64)}`;
    expect(parseUses(`docker://alpine@${digest}`)).toEqual({ kind: "docker", image: "alpine", digest });
    expect(parseUses("docker://alpine@sha256:abc")).toEqual({ kind: "docker", image: "alpine" });
  });

  it("values it cannot read are unknown, never a guess", () => {
    expect(parseUses("${{ matrix.action }}")).toMatchObject({ kind: "unknown" });
    expect(parseUses("")).toMatchObject({ kind: "unknown" });
    expect(parseUses("checkout@v4")).toMatchObject({ kind: "unknown" });
    expect(parseUses("acme/tool@")).toMatchObject({ kind: "unknown" });
    expect(parseUses("docker://")).toMatchObject({ kind: "unknown" });
  });
});

describe("isVersionComment", () => {
  it("accepts the comments Dependabot, Renovate and people write", () => {
    for (const c of [" v4.1.1", "v4", "4.1.1", " tag=v4.1.1", "ratchet:actions/checkout@v4", "v2.0.0-beta.1", "main", "release/v2"]) expect(isVersionComment(c), c).toBe(true);
  });

  it("rejects empty and unrelated comments", () => {
    for (const c of [undefined, "", "  ", "pinned", "do not bump", "see issue"]) expect(isVersionComment(c), String(c)).toBe(false);
  });
});
