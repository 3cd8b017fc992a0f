/** GitHub's limits that bite bots in production (see docs/deployment.md and the platform notes). */
export const CHECK_RUN_NAME = "PR Sentinel";
/** `output.summary` and `output.text` of a check run. */
export const MAX_CHECK_OUTPUT_CHARS = 65_535;
/** Issue comments, review comments and review bodies. */
export const MAX_COMMENT_CHARS = 65_536;
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const MAX_ANNOTATION_MESSAGE_CHARS = 64 * 1024 - 1;
export const MAX_ANNOTATION_TITLE_CHARS = 255;

/** Cuts `text` to at most `max` characters, ending with `note` when it had to cut. */
export function truncate(text: string, max: number, note = "\n\n… (truncated to fit GitHub's limit)"): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - note.length);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}${note}`.slice(0, max);
}
