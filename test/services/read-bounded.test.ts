import { describe, expect, it } from "vitest";
import { readBounded } from "../../src/services/read-bounded.js";

function streamOf(chunks: number[], onCancel: () => void = () => {}) {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(new Uint8Array(chunks[i++]!).fill(97));
      else controller.close();
    },
    cancel: onCancel,
  });
}

describe("readBounded", () => {
  it("returns the whole body up to the cap", async () => {
    const body = await readBounded(streamOf([3, 4]), 7);
    expect(body?.toString()).toBe("aaaaaaa");
  });

  it("stops and cancels the stream past the cap, without reading the rest", async () => {
    let cancelled = false;
    const stream = streamOf([4, 4, 1000, 1000], () => {
      cancelled = true;
    });
    expect(await readBounded(stream, 7)).toBeUndefined();
    expect(cancelled).toBe(true);
  });
});
