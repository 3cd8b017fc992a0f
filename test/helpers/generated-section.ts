/**
 * A docs page's generated section, between two marker comments, must equal what the code generates
 * now. With `UPDATE_DOCS=1` in the environment a stale section is rewritten instead of failing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

export function expectGeneratedSection(
  page: URL,
  markers: { readonly start: string; readonly end: string },
  expected: string,
  refreshCommand: string,
): void {
  const text = readFileSync(page, "utf8");
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end);
  expect(start, `the page needs the markers ${markers.start} and ${markers.end}`).toBeGreaterThanOrEqual(0);
  const current = text.slice(start + markers.start.length, end).trim();
  if (process.env.UPDATE_DOCS === "1" && current !== expected) {
    writeFileSync(page, `${text.slice(0, start + markers.start.length)}\n${expected}\n${text.slice(end)}`);
    return;
  }
  expect(current, `run ${refreshCommand}`).toBe(expected);
}
