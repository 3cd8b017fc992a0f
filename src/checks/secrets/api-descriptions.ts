import type { AddedLineView } from "../../core/types.js";

/**
 * OpenAPI and Swagger documents describe APIs with example values by design (GitHub's own
 * description carries dozens of example tokens and passwords), so generic "key name plus value"
 * rules do not run on them; vendor-prefixed rules still do, since a real `ghp_` token pasted into
 * an example is still a leak. Recognised by the version key near the top of a JSON or YAML file.
 */
const VERSION_KEY = /^\s*(?:"(?:openapi|swagger)"\s*:\s*"[23]\.|(?:openapi|swagger)\s*:\s*["']?[23]\.)/;
const HEAD_LINES = 40;

export function isApiDescription(path: string, lines: AddedLineView): boolean {
  if (!/\.(?:json|ya?ml)$/i.test(path)) return false;
  for (let i = 0; i < lines.count; i++) {
    if (lines.lineNumber(i) > HEAD_LINES) return false;
    if (VERSION_KEY.test(lines.lineText(i))) return true;
  }
  return false;
}
