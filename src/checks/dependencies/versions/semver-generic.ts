/**
 * OSV `SEMVER` ranges: SemVer 2.0 precedence (section 11), whatever the ecosystem. The schema says
 * "no leading v", but Go queries carry one (`v1.2.3`) and some databases write one, so one leading
 * `v` is stripped on both sides. Build metadata (`+incompatible`, `+build.5`) takes no part in
 * precedence.
 */
import { defineOrdering } from "./ordering.js";
import { parseBareSemver, stripOneV } from "./npm.js";

export const semverOrdering = defineOrdering((version) => parseBareSemver(stripOneV(version)), (a, b) => a.compare(b));
