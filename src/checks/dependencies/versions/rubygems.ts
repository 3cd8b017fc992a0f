/**
 * RubyGems versions: `Gem::Version` rules through `@renovatebot/ruby-semver`. Segments are split on
 * `.` and letter/digit changes; any letter segment makes a prerelease, so `1.0.0.pre < 1.0.0` and
 * `1.0.0.rc1 > 1.0.0.beta`; a `-` means `.pre.` (`1.0.0-rc1 == 1.0.0.pre.rc1`); trailing zeros do not
 * count (`1.0 == 1.0.0`). `Gem::Version` reads an empty or blank string as `0`: refused here.
 * Platform suffixes (`-x86_64-linux`) are the parsers' business (they strip them).
 */
import type { Version } from "@renovatebot/ruby-semver/dist/ruby/version.js";
import type * as RubyVersion from "@renovatebot/ruby-semver/dist/ruby/version.js";
import { lazyRequire } from "../../../core/lazy-require.js";
import { defineOrdering } from "./ordering.js";

const rubyVersion = lazyRequire<typeof RubyVersion>("@renovatebot/ruby-semver/dist/ruby/version.js");

function parseGemVersion(version: string): Version | undefined {
  if (version.trim() !== version || version.length === 0) return undefined;
  return rubyVersion().create(version) ?? undefined;
}

export const rubygemsOrdering = defineOrdering(parseGemVersion, (a, b) => a.compare(b));
