import { describe, expect, it } from "vitest";
import { ContextView, MAX_CONTEXT_LINE_LENGTH } from "../../../../src/checks/secrets/context/context-view.js";
import type { AddedLine } from "../../../../src/core/types.js";
import { arrayView, packedView } from "./fixtures.js";

const lines: AddedLine[] = [
  { line: 3, text: "name: a" },
  { line: 4, text: "value: b" },
  { line: 5, text: `value: ${"x".repeat(MAX_CONTEXT_LINE_LENGTH)}` },
  { line: 9, text: "Value: é" },
  { line: 10, text: "" },
  { line: 11, text: "value value value" },
];

describe("ContextView", () => {
  it("finds trigger lines once each, skipping over-long ones, the same in packed and array views", () => {
    const latin1 = lines.map((l) => ({ ...l, text: l.text.replace("é", "e") }));
    for (const input of [lines, latin1]) {
      for (const view of [arrayView(input), packedView(input)]) {
        expect(new ContextView(view).candidates(/value/i)).toEqual([1, 3, 5]);
      }
    }
  });

  it("knows which lines are consecutive in the new file", () => {
    const view = new ContextView(arrayView(lines));
    expect(view.adjacent(0, 2)).toBe(true);
    expect(view.adjacent(2, 0)).toBe(true);
    expect(view.adjacent(2, 3)).toBe(false);
    expect(view.adjacent(3, 5)).toBe(true);
    expect(view.adjacent(5, 6)).toBe(false);
    expect(view.text(2)).toBeUndefined();
    expect(view.fields(2, "yaml")).toBeUndefined();
    expect(view.fields(1, "yaml")).toEqual([{ type: "field", key: "value", value: "b", at: 0 }]);
  });
});
