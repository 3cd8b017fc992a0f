import { describe, expect, it } from "vitest";
import { DEFAULT_PINS, PinPolicyTable, pinPolicyFor, wildcardMatch } from "../../../../src/checks/policy/workflow/pin-policy.js";

const decide = (target: string, pins: Record<string, "hash" | "ref" | "any"> = {}) => {
  const [owner = "", repo = "", ...path] = target.split("/");
  return pinPolicyFor({ owner, repo, path: path.join("/") }, pins);
};

describe("pin policy defaults", () => {
  it("trusts GitHub's own owners with a ref and asks everyone else for a hash", () => {
    expect(decide("actions/checkout")).toEqual({ policy: "ref", pattern: "actions/*" });
    expect(decide("github/codeql-action/init")).toEqual({ policy: "ref", pattern: "github/*" });
    expect(decide("docker/login-action")).toEqual({ policy: "hash", pattern: "*" });
    expect(DEFAULT_PINS["*"]).toBe("hash");
  });

  it("matches owners and repositories case-insensitively, as GitHub does", () => {
    expect(decide("Actions/Checkout").policy).toBe("ref");
    expect(decide("MyOrg/tool", { "myorg/*": "ref" }).policy).toBe("ref");
  });

  it("does not treat a look-alike owner as GitHub's", () => {
    expect(decide("actions-contrib/checkout").policy).toBe("hash");
    expect(decide("githubx/foo").policy).toBe("hash");
  });
});

describe("the most specific pattern wins", () => {
  const pins = { "*": "ref", "acme/*": "any", "acme/deploy": "hash" } as const;

  it("exact owner/repo beats owner/* beats *", () => {
    expect(decide("acme/deploy", pins)).toEqual({ policy: "hash", pattern: "acme/deploy" });
    expect(decide("acme/lint", pins)).toEqual({ policy: "any", pattern: "acme/*" });
    expect(decide("other/thing", pins)).toEqual({ policy: "ref", pattern: "*" });
  });

  it("does not depend on the order the patterns are written in", () => {
    const reversed = { "acme/deploy": "hash", "acme/*": "any", "*": "ref" } as const;
    for (const target of ["acme/deploy", "acme/lint", "other/thing"]) expect(decide(target, reversed)).toEqual(decide(target, pins));
  });

  it("a configured pattern replaces the default of the same text", () => {
    expect(decide("actions/checkout", { "actions/*": "hash" })).toEqual({ policy: "hash", pattern: "actions/*" });
  });

  it("a configured * does not override the more specific defaults", () => {
    expect(decide("actions/checkout", { "*": "any" }).policy).toBe("ref");
    expect(decide("someone/else", { "*": "any" }).policy).toBe("any");
  });

  it("reads a bare owner as owner/*", () => {
    expect(decide("acme/tool", { acme: "ref" })).toEqual({ policy: "ref", pattern: "acme/*" });
  });

  it("an owner wildcard inside a segment is less specific than a literal owner", () => {
    const table = new PinPolicyTable({ "acme-*/*": "ref", "acme-tools/*": "any" });
    expect(table.decide({ owner: "acme-tools", repo: "x" }).policy).toBe("any");
    expect(table.decide({ owner: "acme-labs", repo: "x" }).policy).toBe("ref");
    expect(table.decide({ owner: "acme", repo: "x" }).policy).toBe("hash");
  });

  it("the owner counts before the repository: actions/* beats */checkout", () => {
    expect(decide("actions/checkout", { "*/checkout": "hash" }).pattern).toBe("actions/*");
    expect(decide("someone/checkout", { "*/checkout": "any" }).policy).toBe("any");
  });

  it("a sub-path pattern is more specific than its repository", () => {
    const pins2 = { "github/codeql-action/*": "hash", "github/codeql-action/upload-sarif": "any" } as const;
    expect(decide("github/codeql-action/init", pins2).policy).toBe("hash");
    expect(decide("github/codeql-action/upload-sarif", pins2).policy).toBe("any");
    // `owner/repo/*` is everything in the repository, its root action included.
    expect(decide("github/codeql-action", pins2).policy).toBe("hash");
    expect(decide("github/other", pins2).policy).toBe("ref");
  });

  it("a repository wildcard with a literal prefix beats a plain owner/*", () => {
    expect(decide("acme/deploy-prod", { "acme/*": "ref", "acme/deploy-*": "hash" }).pattern).toBe("acme/deploy-*");
  });

  it("ignores malformed patterns instead of matching everything", () => {
    expect(decide("acme/tool", { "acme//": "any", "/": "any" }).policy).toBe("hash");
  });
});

describe("wildcardMatch", () => {
  it("matches runs of characters and nothing else", () => {
    expect(wildcardMatch("*", "")).toBe(true);
    expect(wildcardMatch("a*c", "abbbc")).toBe(true);
    expect(wildcardMatch("a*c", "abbbd")).toBe(false);
    expect(wildcardMatch("*-action", "login-action")).toBe(true);
    expect(wildcardMatch("**", "x")).toBe(true);
    expect(wildcardMatch("abc", "abcd")).toBe(false);
  });

  it("stays fast on a hostile pattern", () => {
    const started = performance.now();
    expect(wildcardMatch("*a*a*a*a*a*a*a*a*b", "a".repeat(200))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
