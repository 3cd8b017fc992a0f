/**
 * npm versions: SemVer 2.0 as npm's own `semver` package reads it in strict mode (`loose: false`),
 * so `1.2` or `1.2.3-01` are invalid, prereleases sort before their release (`1.0.0-rc.1 < 1.0.0`)
 * and build metadata is ignored. `semver` tolerates one leading `v` (npm does too) and surrounding
 * blanks; a lockfile never pads a version, so blanks are refused here.
 */
import type SemverModule from "semver";
import type { SemVer } from "semver";
import { lazyRequire } from "../../../core/lazy-require.js";
import { defineOrdering } from "./ordering.js";

const semverLibrary = lazyRequire<typeof SemverModule>("semver");

/** Strict SemVer 2.0 without any prefix: no `v`, no `=`, no blanks. */
export function parseBareSemver(version: string): SemVer | undefined {
  if (!/^\d/.test(version) || version.trim() !== version) return undefined;
  return semverLibrary().parse(version, { loose: false }) ?? undefined;
}

export function stripOneV(version: string): string {
  return version.startsWith("v") ? version.slice(1) : version;
}

export const npmOrdering = defineOrdering((version) => parseBareSemver(stripOneV(version)), (a, b) => a.compare(b));
