/**
 * The one syntax every derived line is written in: `NAME: "value"`. It is the most ordinary
 * assignment there is, so both kinds of rules read it as they read a line of YAML or .env: the
 * vendor rules built with keyed.ts (key phrase, `:`, optional quote, value) and the generic
 * assignment rules (identifier containing a key word, `:`, value ending at a quote).
 */
import type { AddedLine } from "../../../core/types.js";

const MAX_NAME_LENGTH = 128;
const MAX_VALUE_LENGTH = 2048;

/**
 * `name: "value"` at the value's line number, or `undefined` when there is nothing to judge. The
 * name's spaces become `_` (`Datadog API Key` reads as `Datadog_API_Key`, which key phrases match);
 * the value is quoted with a quote it does not contain, so the rules see where it ends.
 */
export function syntheticLine(name: string, value: string, line: number): AddedLine | undefined {
  const key = name.trim().replace(/\s+/g, "_");
  if (key.length === 0 || key.length > MAX_NAME_LENGTH || !/[A-Za-z]/.test(key)) return undefined;
  if (value.length === 0 || value.length > MAX_VALUE_LENGTH || /[\r\n]/.test(value)) return undefined;
  const quote = ['"', "'", "`"].find((q) => !value.includes(q)) ?? "";
  return { line, text: `${key}: ${quote}${value}${quote}` };
}
