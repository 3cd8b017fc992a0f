/**
 * Maven versions: the rules of `ComparableVersion` as released in Maven 3.9 (maven-artifact, branch
 * maven-3.9.x), which is what Maven resolves with and what the POM reference's "Version Order
 * Specification" describes.
 *
 * - A version is split into items on `.`, on `-` (which also opens a sub-list) and on every change
 *   between digits and letters (`1.0alpha1` is `1.0-alpha-1`).
 * - Numbers compare numerically (any length, leading zeros ignored). Qualifiers compare as
 *   `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp`, then unknown
 *   qualifiers in lexical order, case-insensitively. `a1`, `b1`, `m1` mean alpha/beta/milestone only
 *   when a digit follows.
 * - Trailing null items (`0`, `""`, `ga`, `final`, `release`) are dropped, so `1.0 == 1 == 1-0`.
 * - A number beats a qualifier at the same place (`1.1 > 1-sp`), and a qualifier after a dot is
 *   treated like one after a hyphen (MNG-7644: `2.0.a == 2-a`, `1.0.0.RC1 < 1.0.0-RC2`).
 *
 * Known limit: Maven 4 changes a corner (`ga`/`final`/`release` no longer vanish mid-version,
 * letter+digit runs become one item: MNG-7714); versions that only differ there are rare.
 *
 * Maven accepts any string; this ordering refuses blanks and characters that belong to range syntax
 * (`[`, `(`, `,`) or to nothing, so that `isValid` can reject garbage from a hostile record.
 */
import { compareDigits, defineOrdering } from "./ordering.js";

type Item =
  | { readonly kind: "number"; readonly digits: string }
  | { readonly kind: "qualifier"; readonly value: string }
  | { readonly kind: "list"; readonly items: Item[] };

const QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX = String(QUALIFIERS.indexOf(""));
const ALIASES: Readonly<Record<string, string>> = { ga: "", final: "", release: "", cr: "rc" };
const SHORT_QUALIFIERS: Readonly<Record<string, string>> = { a: "alpha", b: "beta", m: "milestone" };
const VALID_MAVEN_VERSION = /^[0-9A-Za-z][0-9A-Za-z._+-]*$/;

const ZERO: Item = { kind: "number", digits: "0" };

function qualifier(text: string, followedByDigit: boolean): Item {
  const expanded = followedByDigit ? (SHORT_QUALIFIERS[text] ?? text) : text;
  return { kind: "qualifier", value: ALIASES[expanded] ?? expanded };
}

function parseItem(isDigit: boolean, text: string): Item {
  return isDigit ? { kind: "number", digits: text.replace(/^0+(?=\d)/, "") } : qualifier(text, false);
}

/** Known qualifiers by rank, unknown ones after them by name: compared as strings, as Maven does. */
function comparableQualifier(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index === -1 ? `${QUALIFIERS.length}-${value}` : String(index);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case "number":
      return item.digits === "0";
    case "qualifier":
      return comparableQualifier(item.value) === RELEASE_INDEX;
    case "list":
      return item.items.length === 0;
  }
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i] as Item;
    if (isNull(last)) list.splice(i, 1);
    else if (last.kind !== "list") break;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareItems(item: Item, other: Item | undefined): number {
  switch (item.kind) {
    case "number":
      if (other === undefined) return item.digits === "0" ? 0 : 1;
      return other.kind === "number" ? compareDigits(item.digits, other.digits) : 1;
    case "qualifier":
      if (other === undefined) return compareStrings(comparableQualifier(item.value), RELEASE_INDEX);
      return other.kind === "qualifier" ? compareStrings(comparableQualifier(item.value), comparableQualifier(other.value)) : -1;
    case "list":
      if (other === undefined) {
        // The whole list against "nothing", not just its first item (MNG-6964).
        for (const inner of item.items) {
          const result = compareItems(inner, undefined);
          if (result !== 0) return result;
        }
        return 0;
      }
      if (other.kind === "number") return -1;
      if (other.kind === "qualifier") return 1;
      return compareLists(item.items, other.items);
  }
}

function compareLists(left: readonly Item[], right: readonly Item[]): number {
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i];
    const r = right[i];
    const result = l === undefined ? (r === undefined ? 0 : -compareItems(r, undefined)) : compareItems(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

function parseMavenVersion(version: string): Item[] | undefined {
  if (!VALID_MAVEN_VERSION.test(version)) return undefined;
  const text = version.toLowerCase();
  const root: Item[] = [];
  const stack: Item[][] = [root];
  let list = root;
  const openList = () => {
    const items: Item[] = [];
    list.push({ kind: "list", items });
    stack.push(items);
    list = items;
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "." || c === "-") {
      list.push(i === start ? ZERO : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === "-") openList();
    } else if (c >= "0" && c <= "9") {
      if (!isDigit && i > start) {
        // `.X1` is read as `-X1` (MNG-7644).
        if (list.length > 0) openList();
        list.push(qualifier(text.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, text.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    if (!isDigit && list.length > 0) openList();
    list.push(parseItem(isDigit, text.slice(start)));
  }
  for (let i = stack.length - 1; i >= 0; i--) normalize(stack[i] as Item[]);
  return root;
}

export const mavenOrdering = defineOrdering(parseMavenVersion, compareLists);
