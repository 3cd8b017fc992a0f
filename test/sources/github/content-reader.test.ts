import { describe, expect, it } from "vitest";
import { ContentError } from "../../../src/core/types.js";
import { createContentReader } from "../../../src/sources/github/content-reader.js";
import { fakeClient } from "./fake-client.js";

describe("createContentReader", () => {
  it("reads blobs by SHA and files at a commit, null when GitHub says 404", async () => {
    const { client } = fakeClient({ files: { "blob:abc": "head text", "a.txt@base1": "base text" } });
    const reader = createContentReader({ octokit: client, owner: "o", repo: "r" });
    expect(await reader.blob("abc", "a.txt")).toBe("head text");
    expect(await reader.fileAt("a.txt", "base1")).toBe("base text");
    expect(await reader.fileAt("gone.txt", "base1")).toBeNull();
  });

  it("refuses files over the size cap and binary files, naming the file", async () => {
    const { client } = fakeClient({ files: { "blob:big": "x".repeat(2000), "blob:bin": "a\u0000b" } });
    const reader = createContentReader({ octokit: client, owner: "o", repo: "r", maxBytes: 1000 });
    await expect(reader.blob("big", "big.txt")).rejects.toMatchObject({ reason: "too-large", message: expect.stringContaining("big.txt") });
    await expect(reader.blob("bin", "img.png")).rejects.toMatchObject({ reason: "binary" });
  });

  it("turns GitHub errors into ContentError", async () => {
    const { client } = fakeClient({ files: { "blob:e": 500, "blob:f": 403 } });
    const reader = createContentReader({ octokit: client, owner: "o", repo: "r" });
    await expect(reader.blob("e", "e.txt")).rejects.toBeInstanceOf(ContentError);
    await expect(reader.blob("f", "f.txt")).rejects.toMatchObject({ reason: "too-large" });
  });

  it("keeps at most `concurrency` reads in flight", async () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`blob:s${i}`, `c${i}`]));
    const fake = fakeClient({ files, delayMs: 5 });
    const reader = createContentReader({ octokit: fake.client, owner: "o", repo: "r", concurrency: 3 });
    const texts = await Promise.all(Array.from({ length: 20 }, (_, i) => reader.blob(`s${i}`, `f${i}`)));
    expect(texts[19]).toBe("c19");
    expect(fake.maxInFlight()).toBe(3);
  });

  it("reads a streamed body only up to the cap and cancels the rest", async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
        },
        cancel() {
          cancelled = true;
        },
      });
    const small = () => new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode("héllo")), c.close()) });
    const client = {
      request: async (route: string) => ({ data: route.includes("/git/blobs/") ? endless() : small(), status: 200, headers: {} }),
    } as unknown as Parameters<typeof createContentReader>[0]["octokit"];
    const reader = createContentReader({ octokit: client, owner: "o", repo: "r", maxBytes: 1024 * 1024 });
    await expect(reader.blob("big", "big.bin")).rejects.toMatchObject({ reason: "too-large" });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(40);
    expect(await reader.fileAt("a.txt", "base1")).toBe("héllo");
  });
});
