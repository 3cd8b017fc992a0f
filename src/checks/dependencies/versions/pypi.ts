/**
 * PyPI versions: PEP 440 through `@renovatebot/pep440` (a port of `packaging.version`), so
 * `1.0.dev1 < 1.0a1 < 1.0b1 < 1.0rc1 < 1.0 < 1.0.post1`, `1.0 == 1.0.0`, epochs (`1!0.5 > 2.0`) and
 * local versions (`1.0+ubuntu1 > 1.0`) follow the spec. Legacy non-PEP 440 versions (`2004d`,
 * `1.0-SNAPSHOT`-style junk) are invalid, as pip >= 24 treats them.
 */
import type * as Pep440 from "@renovatebot/pep440";
import { lazyRequire } from "../../../core/lazy-require.js";
import { defineOrdering } from "./ordering.js";

const pep440 = lazyRequire<typeof Pep440>("@renovatebot/pep440");

export const pypiOrdering = defineOrdering(
  (version) => (version.trim() === version && pep440().valid(version) !== null ? version : undefined),
  (a, b) => pep440().compare(a, b),
);
