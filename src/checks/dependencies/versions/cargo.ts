/**
 * crates.io versions: Cargo requires SemVer 2.0 (the `semver` crate), with the same precedence as
 * npm's strict SemVer. Cargo refuses a leading `v`, so this ordering does too.
 */
import { defineOrdering } from "./ordering.js";
import { parseBareSemver } from "./npm.js";

export const cargoOrdering = defineOrdering(parseBareSemver, (a, b) => a.compare(b));
