/**
 * One version ordering per ecosystem. OSV `ECOSYSTEM` ranges are evaluated in these orders, OSV
 * `SEMVER` ranges in `semverOrdering` whatever the ecosystem. Every `compare` is total and never
 * throws: invalid versions sort first (see ./ordering.ts); callers that must not guess use `isValid`.
 */
import type { Ecosystem } from "../model.js";
import { cargoOrdering } from "./cargo.js";
import { goOrdering } from "./go.js";
import { mavenOrdering } from "./maven.js";
import { npmOrdering } from "./npm.js";
import { nugetOrdering } from "./nuget.js";
import type { VersionOrdering } from "./ordering.js";
import { packagistOrdering } from "./packagist.js";
import { pypiOrdering } from "./pypi.js";
import { rubygemsOrdering } from "./rubygems.js";

export type { VersionOrdering } from "./ordering.js";
export { semverOrdering } from "./semver-generic.js";

const ORDERINGS: Readonly<Record<Ecosystem, VersionOrdering>> = {
  npm: npmOrdering,
  PyPI: pypiOrdering,
  Go: goOrdering,
  "crates.io": cargoOrdering,
  RubyGems: rubygemsOrdering,
  Packagist: packagistOrdering,
  Maven: mavenOrdering,
  NuGet: nugetOrdering,
};

export function versionOrdering(ecosystem: Ecosystem): VersionOrdering {
  return ORDERINGS[ecosystem];
}
