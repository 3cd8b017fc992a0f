import { describe, expect, it } from "vitest";
import { newAtHead } from "../../src/core/new-at-head.js";

const key = (d: { name: string; version: string }) => `${d.name}@${d.version}`;
const dep = (name: string, version: string, line = 1) => ({ name, version, line });

describe("newAtHead", () => {
  it("keeps what head adds and ignores what only moved or was removed", () => {
    const base = [dep("a", "1", 3), dep("b", "1", 4), dep("gone", "1", 5)];
    const head = [dep("b", "1", 10), dep("a", "1", 11), dep("c", "2", 12)];
    expect(newAtHead(base, head, key)).toEqual([dep("c", "2", 12)]);
  });

  it("counts copies: a second copy of the same thing is new, in head order", () => {
    const base = [dep("a", "1")];
    const head = [dep("a", "1", 1), dep("a", "1", 2), dep("a", "1", 3)];
    expect(newAtHead(base, head, key).map((d) => d.line)).toEqual([2, 3]);
  });

  it("treats a changed key (an upgrade) as new, and an empty base as all new", () => {
    expect(newAtHead([dep("a", "1")], [dep("a", "2")], key)).toEqual([dep("a", "2")]);
    expect(newAtHead([], [dep("a", "1"), dep("b", "1")], key)).toHaveLength(2);
    expect(newAtHead([dep("a", "1")], [], key)).toEqual([]);
  });
});
