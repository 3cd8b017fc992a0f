/**
 * Licence policy for a package version's `license` field (an SPDX expression), against the
 * repository's `licenses.allow` / `licenses.deny` lists (spdx-expression-parse, spdx-satisfies).
 *
 * - `allow`: the expression must be satisfiable with allowed licences only: `MIT OR GPL-3.0-only`
 *   passes `allow: [MIT]`, since the user may take it under MIT; `MIT AND GPL-3.0-only` does not.
 * - `deny`: reported only when a denied licence cannot be avoided, i.e. every choice the
 *   expression offers includes one (`MIT OR GPL-3.0-only` passes `deny: [GPL-3.0-only]`). Deny
 *   entries may be ranges (`GPL-2.0+` denies GPL-2.0 and every later GPL). A range in the
 *   expression (`GPL-2.0+`, `GPL-2.0-or-later`) counts as denied only when the deny list denies the
 *   whole range, because the user may pick any version in it: `deny: [GPL-2.0-only]` alone does not
 *   deny `GPL-2.0-or-later`. An exception changes the terms: `GPL-2.0 WITH Classpath-exception-2.0`
 *   is denied by that exact entry, not by `GPL-2.0`.
 * - No `license`, `UNLICENSED`, `SEE LICENSE IN <file>`, `NONE`, `NOASSERTION`: `missing` (the
 *   detail says which), since nothing can be checked against a policy.
 * - Not SPDX (`MIT License`, `BSD`, `mit`: ids are case-sensitive): `unparsable`. npm itself warns
 *   about these at publish time but publishes them, so they are common in old packages.
 * - No policy (neither list set): nothing is reported, not even a missing licence. Reporting every
 *   package without a licence by default would be noise for the many repositories that have no
 *   licence policy; a repository that has one sets a list, and then `missing` is reported.
 *
 * Expressions come from the registry (hostile input): longer than 1,000 characters is unparsable,
 * and everything quoted back in a detail is one line, bounded, and without backticks.
 */
import type parseSpdx from "spdx-expression-parse";
import type spdxSatisfies from "spdx-satisfies";
import { lazyRequire } from "../../core/lazy-require.js";

export interface LicensePolicy {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
}

export type LicenseVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: "missing" | "unparsable" | "denied" | "not-allowed"; readonly detail: string };

const MAX_EXPRESSION_LENGTH = 1000;
const MAX_QUOTED = 120;

type SpdxNode = parseSpdx.Info;
type SpdxLeaf = parseSpdx.LicenseInfo;

// Licences are judged from registry data only: an offline scan never loads the SPDX list.
const spdxParse = lazyRequire<typeof parseSpdx>("spdx-expression-parse");
const spdxSatisfiesLazy = lazyRequire<typeof spdxSatisfies>("spdx-satisfies");

/**
 * `detail` is written to follow "<package> is licensed " (`denied`, `not-allowed`, `unparsable`)
 * or "<package> declares no licence: " (`missing`).
 */
export function evaluateLicense(license: string | undefined, policy: LicensePolicy): LicenseVerdict {
  const allow = policy.allow ?? [];
  const deny = policy.deny ?? [];
  if (allow.length === 0 && deny.length === 0) return { ok: true };

  const expression = license?.trim() ?? "";
  const missing = missingDetail(expression);
  if (missing) return { ok: false, reason: "missing", detail: missing };

  const tree = parseExpression(expression);
  if (!tree) {
    return { ok: false, reason: "unparsable", detail: `${quote(expression)}, which is not an SPDX expression (https://spdx.org/licenses/), so the licence policy cannot be applied` };
  }
  if (deny.length > 0 && !isAvoidable(tree, deny)) {
    const required = [...requiredLeaves(tree)].filter(([, leaf]) => isDeniedLeaf(leaf, deny)).map(([text]) => text);
    const detail =
      required.length > 0
        ? `${quote(expression)}, which requires the denied ${required.map((text) => quote(text)).join(", ")}`
        : `${quote(expression)}, and every choice it offers includes a denied licence (${[...deniedLeaves(tree, deny)].join(", ")})`;
    return { ok: false, reason: "denied", detail };
  }
  if (allow.length > 0 && !satisfies(expression, allow)) {
    return { ok: false, reason: "not-allowed", detail: `${quote(expression)}, which the allowed licences (${allow.join(", ")}) do not cover` };
  }
  return { ok: true };
}

/** One licence for an allow or deny list: `MIT`, `GPL-2.0+`, `GPL-2.0-or-later`, `Apache-2.0 WITH LLVM-exception`, `LicenseRef-…`; no `AND`/`OR`. */
export function isValidSpdxId(id: string): boolean {
  if (id.trim() !== id || id.length === 0 || id.length > 100) return false;
  const tree = parseExpression(id);
  return tree !== undefined && !("conjunction" in tree) && !/^\(/.test(id);
}

function missingDetail(expression: string): string | undefined {
  if (expression === "") return "the `license` field is missing or empty";
  if (/^UNLICENSED$/i.test(expression)) return "`UNLICENSED` means no licence is granted to others";
  if (/^SEE LICEN[CS]E IN /i.test(expression)) return `${quote(expression)} points to a licence file in the package, not an SPDX expression`;
  if (/^(NONE|NOASSERTION)$/i.test(expression)) return `${quote(expression)} states no licence`;
  return undefined;
}

function parseExpression(expression: string): SpdxNode | undefined {
  if (expression.length > MAX_EXPRESSION_LENGTH) return undefined;
  try {
    return spdxParse()(expression);
  } catch {
    // A syntax error, or a stack overflow on absurd nesting: either way not an expression we can judge.
    return undefined;
  }
}

function satisfies(expression: string, licenses: readonly string[]): boolean {
  try {
    return spdxSatisfiesLazy()(expression, licenses);
  } catch {
    return false;
  }
}

/** Some choice of the expression's ORs includes no denied licence. */
function isAvoidable(node: SpdxNode, deny: readonly string[]): boolean {
  if (!("conjunction" in node)) return !isDeniedLeaf(node, deny);
  return node.conjunction === "or" ? isAvoidable(node.left, deny) || isAvoidable(node.right, deny) : isAvoidable(node.left, deny) && isAvoidable(node.right, deny);
}

/** The licences every choice includes (an AND takes both sides', an OR only what both sides share). */
function requiredLeaves(node: SpdxNode): Map<string, SpdxLeaf> {
  if (!("conjunction" in node)) return new Map([[leafText(node), node]]);
  const left = requiredLeaves(node.left);
  const right = requiredLeaves(node.right);
  if (node.conjunction === "and") return new Map([...left, ...right]);
  return new Map([...left].filter(([text]) => right.has(text)));
}

function deniedLeaves(node: SpdxNode, deny: readonly string[], found = new Set<string>()): Set<string> {
  if (!("conjunction" in node)) {
    if (isDeniedLeaf(node, deny)) found.add(leafText(node));
  } else {
    deniedLeaves(node.left, deny, found);
    deniedLeaves(node.right, deny, found);
  }
  return found;
}

function isDeniedLeaf(leaf: SpdxLeaf, deny: readonly string[]): boolean {
  const isRange = leaf.plus === true || leaf.license.endsWith("-or-later");
  if (!isRange) return satisfies(leafText(leaf), deny);
  // The range's lowest version is in a denied range: then so is every version the user could pick.
  const lowest = leafText({ ...leaf, plus: undefined, license: leaf.license.replace(/-or-later$/, "-only") });
  const deniedRanges = deny.filter((entry) => /\+|-or-later/.test(entry));
  return deniedRanges.length > 0 && satisfies(lowest, deniedRanges);
}

function leafText(leaf: SpdxLeaf): string {
  return `${leaf.license}${leaf.plus ? "+" : ""}${leaf.exception ? ` WITH ${leaf.exception}` : ""}`;
}

/** Registry text, quoted back into a comment: one line, bounded, no backticks to break out of the code span. */
function quote(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f\s]+/g, " ").replace(/`/g, "'");
  return `\`${line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED - 1)}…` : line}\``;
}
