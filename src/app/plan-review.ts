/**
 * Decides what a review says, without talking to GitHub: which findings get an inline comment
 * (commentable line, enough confidence, not commented before, within the cap) and which are listed
 * in the review body instead. Returns `undefined` when there is nothing new to say.
 */
import type { PrSentinelConfig } from "../core/config/schema.js";
import type { Confidence, Finding, ScanResult } from "../core/types.js";
import { codeSpan } from "../reporters/markdown-escape.js";
import { findingCommentBody, findingListItem } from "./finding-comment.js";
import { MAX_COMMENT_CHARS, truncate } from "./github-limits.js";
import { findingMarker } from "./markers.js";

const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

export interface InlineComment {
  readonly path: string;
  readonly line: number;
  readonly side: "RIGHT";
  readonly body: string;
}

export interface ReviewPlan {
  readonly event: "COMMENT" | "REQUEST_CHANGES";
  readonly body: string;
  readonly comments: readonly InlineComment[];
}

export interface ReviewCandidates {
  /** Findings that may get an inline comment, in priority order (worst first). */
  readonly inline: readonly Finding[];
  /** Findings that can only be listed in the body (outside the diff, or too uncertain). */
  readonly bodyOnly: readonly Finding[];
}

export function splitCandidates(findings: readonly Finding[], review: PrSentinelConfig["review"]): ReviewCandidates {
  const minimum = CONFIDENCE_RANK[review.min_inline_confidence];
  const inline: Finding[] = [];
  const bodyOnly: Finding[] = [];
  for (const f of findings) {
    if (f.commentable && CONFIDENCE_RANK[f.confidence] >= minimum) inline.push(f);
    else bodyOnly.push(f);
  }
  return { inline, bodyOnly };
}

export interface PlanInput {
  readonly result: ScanResult;
  readonly review: PrSentinelConfig["review"];
  readonly candidates: ReviewCandidates;
  /** Fingerprints the app already reported on this pull request (inline or in a review body). */
  readonly alreadyReported: ReadonlySet<string>;
}

export function planReview({ result, review, candidates, alreadyReported }: PlanInput): ReviewPlan | undefined {
  const fresh = (f: Finding) => !alreadyReported.has(f.fingerprint);
  // Findings on the same line share one comment (a key file that both the secrets and the policy
  // check flag is one thing to fix); the cap counts comments, worst first.
  const byLine = new Map<string, Finding[]>();
  for (const f of candidates.inline.filter(fresh)) {
    const key = `${f.path}\u0000${f.endLine}`;
    byLine.set(key, [...(byLine.get(key) ?? []), f]);
  }
  const groups = [...byLine.values()];
  const inline = groups.slice(0, review.max_inline_comments);
  const listed = [...groups.slice(review.max_inline_comments).flat(), ...candidates.bodyOnly.filter(fresh)];
  if (inline.length === 0 && listed.length === 0) return undefined;

  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const comments = inline.map((group) => ({
    path: group[0]!.path,
    line: group[0]!.endLine,
    side: "RIGHT" as const,
    body: truncate(group.map((f) => findingCommentBody(f, rules.get(f.ruleId))).join("\n\n---\n\n"), MAX_COMMENT_CHARS),
  }));
  return { event: review.event, body: reviewBody(result, inline.flat().length, listed), comments };
}

/** The review body names a few of the findings that could not go inline; the check run has them all. */
const MAX_LISTED_IN_REVIEW = 10;

function reviewBody(result: ScanResult, inlineCount: number, listed: readonly Finding[]): string {
  const lines = [`**PR Sentinel:** ${result.verdict.title}.`];
  if (inlineCount > 0) lines.push("", `${inlineCount} new finding${inlineCount === 1 ? " is" : "s are"} commented inline.`);
  if (listed.length > 0) {
    lines.push(
      "",
      `${listed.length} more new finding${listed.length === 1 ? "" : "s"} cannot be commented inline ` +
        "(outside the diff, lower confidence, or over the comment limit):",
      "",
    );
    const footer = `\n\nEvery finding is in the ${codeSpan("PR Sentinel")} check run.`;
    let text = lines.join("\n");
    for (const item of listed.slice(0, MAX_LISTED_IN_REVIEW).map(findingListItem)) {
      if (text.length + item.length + 1 + footer.length > MAX_COMMENT_CHARS - 200) break;
      text += `\n${item}`;
    }
    // Findings beyond the list still carry their marker, so a later push does not report them as new.
    const rest = listed.slice(MAX_LISTED_IN_REVIEW);
    if (rest.length > 0) text += `\n- … and ${rest.length} more in the check run ${rest.map((f) => findingMarker(f.fingerprint)).join("")}`;
    return truncate(text + footer, MAX_COMMENT_CHARS);
  }
  return lines.join("\n");
}
