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

export function summaryStateMarker(state: SummaryState): string {
  return `<!-- pr-sentinel:state=${state} -->`;
}

export function isSummaryComment(body: string | null | undefined): boolean {
  return !!body && body.includes(SUMMARY_MARKER);
}

export function summaryStateOf(body: string): SummaryState | undefined {
  return SUMMARY_STATE.exec(body)?.[1] as SummaryState | undefined;
}
