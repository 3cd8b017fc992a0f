import { expect } from "vitest";
import type { VersionOrdering } from "../../../../src/checks/dependencies/versions/index.js";

/** Every earlier version sorts strictly before every later one, both ways round. */
export function expectAscending(ordering: VersionOrdering, versions: readonly string[]): void {
  for (const version of versions) expect(ordering.isValid(version), `${version} is valid`).toBe(true);
  for (let i = 0; i < versions.length; i++) {
    for (let j = i + 1; j < versions.length; j++) {
      const low = versions[i] as string;
      const high = versions[j] as string;
      expect(ordering.compare(low, high), `${low} < ${high}`).toBeLessThan(0);
      expect(ordering.compare(high, low), `${high} > ${low}`).toBeGreaterThan(0);
    }
  }
}

export function expectEqual(ordering: VersionOrdering, ...versions: string[]): void {
  for (const a of versions) {
    for (const b of versions) expect(ordering.compare(a, b), `${a} == ${b}`).toBe(0);
  }
}

/** Invalid versions: refused by `isValid`, sorted before valid ones, and `compare` does not throw. */
export function expectInvalid(ordering: VersionOrdering, invalid: readonly string[], aValidVersion: string): void {
  for (const version of invalid) {
    expect(ordering.isValid(version), `${JSON.stringify(version)} is invalid`).toBe(false);
    expect(ordering.compare(version, aValidVersion)).toBeLessThan(0);
    expect(ordering.compare(aValidVersion, version)).toBeGreaterThan(0);
    expect(ordering.compare(version, version)).toBe(0);
  }
}
