/**
 * Go module versions (golang.org/x/mod/semver): SemVer 2.0 with a leading `v`. Facts that matter:
 * - Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.20191109021931-daa7c04131f5`)
 *   are ordinary prereleases, so they sort below the release they lead up to.
 * - `+incompatible` is build metadata: `v2.0.0+incompatible` orders as `v2.0.0`.
 * - Go accepts the shorthands `v1` and `v1.2` (meaning `v1.0.0`, `v1.2.0`).
 * - OSV's Go records spell range versions without the `v` (`1.2.3`) while go.mod has it, so both
 *   spellings are accepted and compare equal.
 */
import { defineOrdering } from "./ordering.js";
import { parseBareSemver, stripOneV } from "./npm.js";

function parseGoVersion(version: string) {
  const bare = stripOneV(version);
  const shorthand = /^(\d+)(?:\.(\d+))?$/.exec(bare);
  if (shorthand) return parseBareSemver(`${shorthand[1]}.${shorthand[2] ?? "0"}.0`);
  return parseBareSemver(bare);
}

export const goOrdering = defineOrdering(parseGoVersion, (a, b) => a.compare(b));
