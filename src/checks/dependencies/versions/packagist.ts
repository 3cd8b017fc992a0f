/**
 * Packagist (Composer) versions, normalised as Composer's `VersionParser::normalize` does before it
 * compares: an optional `v` prefix, one to four numeric parts padded to four (`1.0 == 1.0.0.0`), an
 * optional stability suffix and an optional `-dev` suffix, build metadata (`+…`) ignored.
 * Stabilities order `dev < alpha (a) < beta (b) < RC < stable < patch (pl, p)`, case-insensitively,
 * then by their number (`beta < beta1 < beta2 < beta2.1`), and a trailing `-dev` sorts before the
 * same version without it (`1.0.0-beta1-dev < 1.0.0-beta1`).
 *
 * Branch names (`dev-main`, `1.x-dev`) are not versions and are invalid here.
 */
import { compareDigits, defineOrdering } from "./ordering.js";

interface ComposerVersion {
  readonly numbers: readonly string[];
  /** 0 dev … 4 stable … 5 patch. */
  readonly stability: number;
  readonly stabilityNumbers: readonly string[];
  /** A `-dev` suffix after an explicit stability (`1.0.0-beta1-dev`). */
  readonly devSuffix: boolean;
}

const COMPOSER_VERSION =
  /^v?(\d+(?:\.\d+){0,3})(?:[._-]?(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\d+)*))?(?:[.-]?(dev))?(?:\+[0-9A-Za-z.-]+)?$/i;

const STABILITY_RANK: Readonly<Record<string, number>> = {
  alpha: 1,
  a: 1,
  beta: 2,
  b: 2,
  rc: 3,
  stable: 4,
  patch: 5,
  pl: 5,
  p: 5,
};

function parseComposerVersion(version: string): ComposerVersion | undefined {
  const match = COMPOSER_VERSION.exec(version);
  if (!match) return undefined;
  const numbers = (match[1] as string).split(".");
  while (numbers.length < 4) numbers.push("0");
  const modifier = match[2]?.toLowerCase();
  const dev = match[4] !== undefined;
  return {
    numbers,
    stability: modifier === undefined ? (dev ? 0 : 4) : (STABILITY_RANK[modifier] ?? 4),
    stabilityNumbers: match[3] ? (match[3].match(/\d+/g) ?? []) : [],
    devSuffix: modifier !== undefined && dev,
  };
}

function compareComposer(a: ComposerVersion, b: ComposerVersion): number {
  for (let i = 0; i < 4; i++) {
    const result = compareDigits(a.numbers[i] as string, b.numbers[i] as string);
    if (result !== 0) return result;
  }
  if (a.stability !== b.stability) return a.stability - b.stability;
  for (let i = 0; i < Math.max(a.stabilityNumbers.length, b.stabilityNumbers.length); i++) {
    const left = a.stabilityNumbers[i];
    const right = b.stabilityNumbers[i];
    if (left === undefined || right === undefined) return left === undefined ? -1 : 1;
    const result = compareDigits(left, right);
    if (result !== 0) return result;
  }
  if (a.devSuffix !== b.devSuffix) return a.devSuffix ? -1 : 1;
  return 0;
}

export const packagistOrdering = defineOrdering(parseComposerVersion, compareComposer);
