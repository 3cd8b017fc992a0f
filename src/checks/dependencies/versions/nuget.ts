/**
 * NuGet versions (NuGet.Versioning): SemVer 2.0 widened to `Major[.Minor[.Patch[.Revision]]]`.
 * Missing parts are zero (`1.0 == 1.0.0 == 1.0.0.0`), number parts compare numerically (legacy
 * leading zeros allowed, as NuGet reads `1.01` as `1.1`), prerelease labels compare part by part
 * with numeric parts numerically and below text, and text case-insensitively
 * (`1.0.0-alpha < 1.0.0-Beta < 1.0.0`, `1.0.0-RC1 == 1.0.0-rc1`). Build metadata after `+` is
 * ignored. NuGet does not accept a leading `v`, nor does this ordering.
 */
import { compareDigits, defineOrdering } from "./ordering.js";

interface NuGetVersion {
  readonly numbers: readonly string[];
  readonly prerelease: readonly string[];
}

const NUGET_VERSION =
  /^(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function parseNuGetVersion(version: string): NuGetVersion | undefined {
  const match = NUGET_VERSION.exec(version);
  if (!match) return undefined;
  const numbers = (match[1] as string).split(".");
  while (numbers.length < 4) numbers.push("0");
  return { numbers, prerelease: match[2] === undefined ? [] : match[2].split(".") };
}

function compareLabel(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return compareDigits(a, b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

function compareNuGet(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    const result = compareDigits(a.numbers[i] as string, b.numbers[i] as string);
    if (result !== 0) return result;
  }
  // A release sorts after all of its prereleases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const result = compareLabel(a.prerelease[i] as string, b.prerelease[i] as string);
    if (result !== 0) return result;
  }
  return a.prerelease.length - b.prerelease.length;
}

export const nugetOrdering = defineOrdering(parseNuGetVersion, compareNuGet);
