/**
 * Hidden HTML comments that let the app find its own words again on a later push: one per finding
 * (its fingerprint) and one on the sticky summary comment. Only hex fingerprints and fixed words are
 * ever written into them, so pull-request text cannot forge or break a marker of ours.
 */
const FINDING_MARKER = /<!-- pr-sentinel:fp=([0-9a-f]{12,64}) -->/g;
export const SUMMARY_MARKER = "<!-- pr-sentinel:summary -->";
const SUMMARY_STATE = /<!-- pr-sentinel:state=(findings|clean) -->/;

export type SummaryState = "findings" | "clean";

export function findingMarker(fingerprint: string): string {
  if (!/^[0-9a-f]{12,64}$/.test(fingerprint)) throw new Error("a fingerprint is 12 to 64 lowercase hex characters");
  return `<!-- pr-sentinel:fp=${fingerprint} -->`;
}

export function fingerprintsIn(body: string | null | undefined): string[] {
  if (!body) return [];
  return [...body.matchAll(FINDING_MARKER)].map((m) => m[1]!);
}

/** How much of each fingerprint the summary remembers, and how many: enough to tell new from resolved. */
const SEEN_PREFIX = 12;
const MAX_SEEN = 1_000;
const SEEN = /<!-- pr-sentinel:seen=([0-9a-f,]*) -->/;

/** The findings a summary reported, hidden in it, so the next push can say what is new and what is resolved. */
export function seenMarker(fingerprints: readonly string[]): string {
  const prefixes = [...new Set(fingerprints.map((fp) => fp.slice(0, SEEN_PREFIX)))].filter((p) => /^[0-9a-f]{12}$/.test(p)).slice(0, MAX_SEEN);
  return `<!-- pr-sentinel:seen=${prefixes.join(",")} -->`;
}

/** The fingerprint prefixes an earlier summary reported; undefined when it carries none (older versions). */
export function seenIn(body: string): Set<string> | undefined {
  const m = SEEN.exec(body);
  return m ? new Set(m[1]!.split(",").filter((p) => p.length === SEEN_PREFIX)) : undefined;
}

export function seenKey(fingerprint: string): string {
  return fingerprint.slice(0, SEEN_PREFIX);
}

export function summaryStateMarker(state: SummaryState): string {
  return `<!-- pr-sentinel:state=${state} -->`;
}

export function isSummaryComment(body: string | null | undefined): boolean {
  return !!body && body.includes(SUMMARY_MARKER);
}

export function summaryStateOf(body: string): SummaryState | undefined {
  return SUMMARY_STATE.exec(body)?.[1] as SummaryState | undefined;
}
