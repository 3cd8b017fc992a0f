/**
 * Typosquats: a package a pull request adds whose name is one slip away from a popular package's
 * (`crossenv` for `cross-env`, `electorn` for `electron`, `@typescript_eslint/parser`). The attacker's
 * package works like the real one and steals tokens from the install script.
 *
 * How (SpellBound/TypoGard, typomania; shared/notes/dependencies.md §7): apply the transformations
 * typists and attackers make to the candidate name and look the results up in npm's high-impact
 * list (`npm-high-impact`: ≥ 1M weekly downloads or ≥ 500 dependents, ~17k names). No plain edit
 * distance against everything: that flags every `react-foo` near `react-dom` and is what made other
 * tools remove their check. Looking up is Set/Map probes per name (tens of microseconds): dropped
 * letters are found by inserting each letter the popular names use at each place in the candidate
 * and probing the popular Set. The candidates are few and the popular list is large, so this costs
 * less than indexing every popular name with each character deleted (the symmetric-deletion map,
 * ~170k entries, took a quarter of a second per CLI run that had packages).
 *
 * Transformations kept: swapped adjacent letters (`lodahs`), a doubled letter (`expresss`), a
 *   dropped letter (`mongose`; not a digit, not a word's first letter, not a plural's `s`, names of
 *   5+), a confusable letter (`1`/`l`, `1`/`i`, `0`/`o`, `rn`/`m`), a horizontal keyboard neighbour
 *   (names of 5+), separator confusion (`-`/`_`/`.`/none: `crossenv`), swapped words around
 *   separators (`json-circular`), and `@types/x` flattened (`types-node`, `typesnode`).
 * Measured over 165,360 real non-popular npm names with ≥ 1,000 downloads a month (a list of the
 *   registry on the development machine): 0.45 % flagged (also 0.45 % of a 2,000-name sample), and
 *   that includes real squats (`wepback`, `mognoose`, `loadsh`); separator confusion and swapped
 *   words make two thirds of it (`urljoin`/`url-join`, `assign-deep`/`deep-assign` are both real).
 * Left out (rates measured the same way): adding `js`/`node`/`-cli` (0.07–0.08 % each, nearly all real wrappers:
 *   `bcrypt-cli`, `args-js`, `airtable-node`), a popular name under another scope (2.8 %: `@acme/x` is
 *   how companies name forks), other scopes flattened (0.18 %: `babel-plugin-…`, `cspell-dict-…` are
 *   the same owners' older names), `l`/`i` (nearly all `uri`/`url`), digits (`bip38`/`bip39` are
 *   versions), and diagonal keyboard neighbours (not measured: short names already drown in them).
 *
 * Suppressed: the candidate itself is popular; the candidate is under a scope that popular packages
 *   use (a scope has one owner, so `@babel/corre` cannot be an outsider's squat of `@babel/core`);
 *   either name is shorter than 4 characters (the scope not counted).
 * Known limits: the check does not know who published either package (a shared publisher is not a
 *   squat): the caller may ask the registry. Names are compared in lower case.
 */
import { npmHighImpact } from "npm-high-impact";

export type TyposquatHow =
  | "swapped letters"
  | "doubled letter"
  | "dropped letter"
  | "confusable letter"
  | "keyboard typo"
  | "separator"
  | "swapped words"
  | "scope";

export interface TyposquatMatch {
  /** The popular package the name imitates. */
  readonly target: string;
  readonly how: TyposquatHow;
}

const MIN_NAME_LENGTH = 4;
const MAX_NAME_LENGTH = 214;
const TYPES_SCOPE = "@types/";
const SEPARATORS = /[-_.]/g;
const HAS_SEPARATOR = /[-_.]/;
/** Words compared as a set only in names of 2–4 words; longer names that share words are just related. */
const MAX_WORDS = 4;

/**
 * Single-character look-alikes; `rn`/`m` is handled apart. Not `l`/`i`: in lower case they do not
 * look alike, and `uri`/`url` made that pair nearly all noise (`parse-uri`, `normalize-uri`, …).
 */
const CONFUSABLE: Readonly<Record<string, string>> = { "1": "li", l: "1", i: "1", "0": "o", o: "0" };

/**
 * Horizontal QWERTY neighbours of letters. Not digits: `bip38`/`bip39`, `pdf3json`/`pdf2json` are
 * versions, not slips. Not diagonals: short names already meet too many real words horizontally.
 */
const KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const KEYBOARD_NEIGHBOURS: Readonly<Record<string, string>> = Object.fromEntries(
  KEYBOARD_ROWS.flatMap((row) => [...row].map((ch, i) => [ch, (row[i - 1] ?? "") + (row[i + 1] ?? "")])),
);

export interface TyposquatIndex {
  find(name: string): TyposquatMatch | undefined;
}

/** Popular names, most popular first (the order decides which target wins when several match). */
export function createTyposquatIndex(popularNames: readonly string[]): TyposquatIndex {
  const rank = new Map<string, number>();
  const original = new Map<string, string>();
  const scopes = new Set<string>();
  popularNames.forEach((raw, i) => {
    const name = raw.toLowerCase();
    if (rank.has(name)) return;
    rank.set(name, i);
    if (raw !== name) original.set(name, raw);
    const scope = scopeOf(name);
    if (scope) scopes.add(scope);
  });

  // Only names long enough to be targets go into the derived maps.
  const targets = [...rank.keys()].filter((name) => bareLength(name) >= MIN_NAME_LENGTH);
  // What a dropped letter can have been: the droppable characters the targets use (where dropping
  // one counts is decided when probing).
  const usedCodes = new Uint8Array(0x10000);
  let longestTarget = 0;
  const bySeparatorless = new Map<string, string>();
  const byWords = new Map<string, string>();
  const byFlattenedTypes = new Map<string, string>();
  const firstWins = (map: Map<string, string>, key: string, name: string) => {
    if (!map.has(key)) map.set(key, name);
  };
  for (const name of targets) {
    for (let i = 0; i < name.length; i++) usedCodes[name.charCodeAt(i)] = 1;
    if (name.length > longestTarget) longestTarget = name.length;
    // Most names have no separator: they are their own separatorless key and have one word.
    if (!HAS_SEPARATOR.test(name)) {
      firstWins(bySeparatorless, name, name);
    } else {
      firstWins(bySeparatorless, withoutSeparators(name), name);
      const words = wordsOf(name);
      if (words) firstWins(byWords, [...words].sort().join("\u0000"), name);
    }
    if (name.startsWith(TYPES_SCOPE)) firstWins(byFlattenedTypes, flattened(name), name);
  }

  const droppable: string[] = [];
  usedCodes.forEach((used, code) => {
    if (used && isDroppable(String.fromCharCode(code))) droppable.push(String.fromCharCode(code));
  });

  const find = (raw: string): TyposquatMatch | undefined => {
    // Longer than npm allows cannot be installed from npm; and it keeps hostile input linear.
    if (raw.length > MAX_NAME_LENGTH) return undefined;
    const name = raw.toLowerCase();
    const length = bareLength(name);
    if (rank.has(name) || length < MIN_NAME_LENGTH) return undefined;
    const scope = scopeOf(name);
    if (scope && scopes.has(scope)) return undefined;

    let best: { target: string; how: TyposquatHow; rank: number } | undefined;
    const consider = (target: string | undefined, how: TyposquatHow) => {
      if (target === undefined || target === name) return;
      const r = rank.get(target);
      if (r === undefined || bareLength(target) < MIN_NAME_LENGTH) return;
      if (!best || r < best.rank) best = { target, how, rank: r };
    };
    const probe = (variant: string, how: TyposquatHow) => {
      if (rank.has(variant)) consider(variant, how);
    };

    for (let i = 0; i < name.length; i++) {
      const ch = name[i]!;
      if (!isEditable(ch)) continue;
      const next = name[i + 1];
      if (next !== undefined && next !== ch && isEditable(next) && !isSeparator(ch) && !isSeparator(next)) {
        probe(name.slice(0, i) + next + ch + name.slice(i + 2), "swapped letters");
      }
      if (next === ch && !isSeparator(ch)) probe(name.slice(0, i) + name.slice(i + 1), "doubled letter");
      for (const alt of CONFUSABLE[ch] ?? "") probe(name.slice(0, i) + alt + name.slice(i + 1), "confusable letter");
      if (ch === "m") probe(`${name.slice(0, i)}rn${name.slice(i + 1)}`, "confusable letter");
      if (ch === "r" && next === "n") probe(`${name.slice(0, i)}m${name.slice(i + 2)}`, "confusable letter");
      if (length > MIN_NAME_LENGTH) {
        for (const alt of KEYBOARD_NEIGHBOURS[ch] ?? "") probe(name.slice(0, i) + alt + name.slice(i + 1), "keyboard typo");
      }
    }
    // Four-letter names are a letter away from too many real words (`bath`/`batch`, `fake`/`faker`;
    // for keyboard slips `cord`/`cors`, `glow`/`flow`): dropped letters and keyboard slips need five.
    if (length > MIN_NAME_LENGTH && name.length < longestTarget) {
      // Put back a letter at i; a word's first letter does not count (`hooks` for `ahooks`, `east`
      // for `yeast` are other words), so neither the name's start nor the place after a separator.
      for (let i = 1; i <= name.length; i++) {
        const before = name[i - 1]!;
        if (!isEditable(before) || isSeparator(before)) continue;
        for (const ch of droppable) {
          const target = name.slice(0, i) + ch + name.slice(i);
          // `request` → `reques` is a dropped letter; `requests` → `request` is a plural, not a slip.
          if (rank.has(target) && !isPluralOf(target, name)) consider(target, "dropped letter");
        }
      }
    }
    consider(bySeparatorless.get(withoutSeparators(name)), "separator");
    const words = wordsOf(name);
    if (words) {
      const target = byWords.get([...words].sort().join("\u0000"));
      if (target && withoutSeparators(target) !== withoutSeparators(name)) consider(target, "swapped words");
    }
    // `types-node`, `typesnode`, `@types-node/x`: DefinitelyTyped publishes only under `@types/`.
    if (!name.startsWith(TYPES_SCOPE)) consider(byFlattenedTypes.get(flattened(name)), "scope");

    return best ? { target: original.get(best.target) ?? best.target, how: best.how } : undefined;
  };
  return { find };
}

let defaultIndex: TyposquatIndex | undefined;

/** Against npm's high-impact list, indexed on first use (~50 ms, once per process). */
export function findTyposquatTarget(name: string): TyposquatMatch | undefined {
  defaultIndex ??= createTyposquatIndex(npmHighImpact);
  return defaultIndex.find(name);
}

function scopeOf(name: string): string | undefined {
  if (!name.startsWith("@")) return undefined;
  const slash = name.indexOf("/");
  return slash > 0 ? name.slice(0, slash) : undefined;
}

function bareOf(name: string): string {
  return scopeOf(name) ? name.slice(name.indexOf("/") + 1) : name;
}

function bareLength(name: string): number {
  return bareOf(name).length;
}

function isSeparator(ch: string): boolean {
  return ch === "-" || ch === "_" || ch === ".";
}

/** `@` and `/` are structure, not letters to swap or drop. */
function isEditable(ch: string): boolean {
  return ch !== "@" && ch !== "/";
}

/** `requests` is the plural of `request`; `express` is not the plural of `expres`. */
function isPluralOf(plural: string, singular: string): boolean {
  return plural === `${singular}s` && !singular.endsWith("s");
}

/**
 * Dropping a digit is a version (`aws-sign2`/`aws-sign`, `backo2`); dropping a separator is separator
 * confusion, judged apart.
 */
function isDroppable(ch: string): boolean {
  return isEditable(ch) && !isSeparator(ch) && !isDigit(ch);
}

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

/** `@types/node`, `types-node`, `@types-node/x`… all become `typesnode…`. */
function flattened(name: string): string {
  return name.replace(/^@/, "").replace(/[-_./]/g, "");
}

function withoutSeparators(name: string): string {
  return name.replace(SEPARATORS, "");
}

/** The words of an unscoped or scoped name's bare part, when there are 2–4 of them. */
function wordsOf(name: string): string[] | undefined {
  const scope = scopeOf(name);
  const words = bareOf(name).split(SEPARATORS).filter((w) => w !== "");
  if (words.length < 2 || words.length > MAX_WORDS) return undefined;
  return scope ? [scope, ...words] : words;
}
