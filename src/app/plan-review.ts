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
  const newInline = candidates.inline.filter(fresh);
  const inline = newInline.slice(0, review.max_inline_comments);
  const listed = [...newInline.slice(review.max_inline_comments), ...candidates.bodyOnly.filter(fresh)];
  if (inline.length === 0 && listed.length === 0) return undefined;

  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const comments = inline.map((f) => ({
    path: f.path,
    line: f.endLine,
    side: "RIGHT" as const,
    body: findingCommentBody(f, rules.get(f.ruleId)),
  }));
  return { event: review.event, body: reviewBody(result, inline.length, listed), comments };
}

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
    for (const item of listed.map(findingListItem)) {
      if (text.length + item.length + 1 + footer.length > MAX_COMMENT_CHARS - 200) {
        text += `\n- … and more (see the check run)`;
        break;
      }
      text += `\n${item}`;
    }
    return truncate(text + footer, MAX_COMMENT_CHARS);
  }
  return lines.join("\n");
}
