/**
 * Documentation that hands out a credential in prose: a key name in a code span, a short
 * connector, the value in a code span on the same line (Markdown single backticks, reStructuredText
 * double ones):
 *   Set `TWILIO_AUTH_TOKEN` to `…`.   export ``API_KEY`` = ``…``   use `AWS_SECRET_ACCESS_KEY`: `…`
 * Connectors: `to`, `=`, `:`, `as`, `with (the) value (of)`; a bare `with` is left out, since "call
 * `getToken` with `clientId`" is how docs speak of code. A value with whitespace in it is
 * a sentence, not a credential, and is left alone; one pair of quotes around the value is dropped.
 * Known limit: a name and value in separate table cells or on separate lines are not paired.
 */
import type { AddedLine } from "../../../core/types.js";
import type { ContextView } from "./context-view.js";
import { syntheticLine } from "./synthetic-line.js";

const TRIGGER = /`/;
/**
 * Name span, connector, value span. Every repetition is bounded and the classes on either side
 * of each one exclude each other, so a line costs linear time.
 */
const SPAN_PAIR =
  /(`{1,2})\$?([A-Za-z_][A-Za-z0-9_.-]{0,99})\1[ \t]{0,4}(?:=|:|\bto\b|\bas\b|\bwith(?:[ \t]{1,4}the)?[ \t]{1,4}value(?:[ \t]{1,4}of)?\b)[ \t]{0,4}(`{1,2})([^`]{1,200})\3(?!`)/g;

export function proseLines(view: ContextView): AddedLine[] {
  const derived: AddedLine[] = [];
  for (const index of view.candidates(TRIGGER)) {
    for (const match of view.text(index)!.matchAll(SPAN_PAIR)) {
      const value = unquoted(match[4]!.trim());
      if (/\s/.test(value)) continue;
      const line = syntheticLine(match[2]!, value, view.lineNumber(index));
      if (line) derived.push(line);
    }
  }
  return derived;
}

function unquoted(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
  return value;
}
