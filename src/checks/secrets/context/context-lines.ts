/**
 * Credentials whose name sits elsewhere than their value: derived "name: value" lines that the
 * scanner runs its rules over, reported at the value's line. (Built in issue 13.)
 */
import type { AddedLine, AddedLineView } from "../../../core/types.js";

/** Synthetic `NAME: value` lines for values whose key name is on another line or in another attribute. */
export function contextLines(_path: string, _lines: AddedLineView): AddedLine[] {
  return [];
}
