import { describe, expect, it } from "vitest";
import { createActionRefResolver } from "../../../src/sources/github/action-ref-resolver.js";

const SHA = "a".repeat(40);
const signal = new AbortController().signal;

function client(tags: Record<string, string>, calls: string[] = []) {
  return {
    request: (async (route: string, params: { ref?: string }) => {
      calls.push(`${route} ${params.ref ?? ""}`.trim());
      if (route.includes("/commits/")) {
        const sha = tags[params.ref!];
        if (!sha) throw Object.assign(new Error("Not Found"), { status: 404 });
        return { data: { sha } };
      }
      return { data: Object.entries(tags).map(([name, sha]) => ({ name, commit: { sha } })) };
    }) as never,
  };
}

describe("createActionRefResolver", () => {
  it("gives the commit and the most specific version tag on it, asking once per action", async () => {
    const calls: string[] = [];
    const resolver = createActionRefResolver(client({ v4: SHA, "v4.2": SHA, "v4.2.2": SHA, "v4.1.0": "b".repeat(40), main: SHA }, calls));
    expect(await resolver.resolve("actions", "checkout", "v4", signal)).toEqual({ sha: SHA, version: "v4.2.2" });
    await resolver.resolve("actions", "checkout", "v4", signal);
    expect(calls.filter((c) => c.includes("/commits/"))).toHaveLength(1);
  });

  it("is null for a ref that does not exist, and keeps the ref as version when no tag names one", async () => {
    expect(await createActionRefResolver(client({})).resolve("o", "r", "v9", signal)).toBeNull();
    expect(await createActionRefResolver(client({ main: SHA })).resolve("o", "r", "main", signal)).toEqual({ sha: SHA });
  });
});
