/**
 * Bounded access to a file's added lines for the context extractors: lines longer than
 * MAX_CONTEXT_LINE_LENGTH are not looked at (minified JSON, base64 blobs: a line that long is data,
 * and the extractors must stay linear), neighbours are only those in the same run of consecutive
 * added lines, and no extractor looks further than MAX_CONTEXT_DISTANCE lines away.
 *
 * Finding candidate lines is the only whole-file work. Over a packed file it is one regex pass over
 * the packed text, so a 40 MB change makes no string per line for the files nothing triggers in.
 */
import { PackedAddedLines } from "../../../core/diff/packed-added-lines.js";
import type { AddedLineView } from "../../../core/types.js";
import { lineFields, type FieldSyntax, type FieldToken } from "./fields.js";

export const MAX_CONTEXT_LINE_LENGTH = 4096;
/** How far a name may sit from its value, in lines. */
export const MAX_CONTEXT_DISTANCE = 8;

/** Tokenized lines kept: a window of 2 × MAX_CONTEXT_DISTANCE + 1 lines moves forward through the file. */
const FIELD_CACHE_SIZE = 32;

export class ContextView {
  /** Ring cache of tokenized lines, so a line read as several candidates' neighbour is tokenized once. */
  private readonly cachedIndex = new Int32Array(FIELD_CACHE_SIZE).fill(-1);
  private readonly cachedSyntax: (FieldSyntax | undefined)[] = new Array<FieldSyntax | undefined>(FIELD_CACHE_SIZE);
  private readonly cachedFields: FieldToken[][] = new Array<FieldToken[]>(FIELD_CACHE_SIZE);

  constructor(private readonly lines: AddedLineView) {}

  get count(): number {
    return this.lines.count;
  }

  lineNumber(index: number): number {
    return this.lines.lineNumber(index);
  }

  /** The text of line `index`, or `undefined` when it is too long to look at. */
  text(index: number): string | undefined {
    const text = this.lines.lineText(index);
    return text.length > MAX_CONTEXT_LINE_LENGTH ? undefined : text;
  }

  /** The fields of line `index` (lineFields), or `undefined` when the line is too long to look at. */
  fields(index: number, syntax: FieldSyntax): FieldToken[] | undefined {
    const slot = index % FIELD_CACHE_SIZE;
    if (this.cachedIndex[slot] === index && this.cachedSyntax[slot] === syntax) return this.cachedFields[slot];
    const text = this.text(index);
    if (text === undefined) return undefined;
    const fields = lineFields(text, syntax);
    this.cachedIndex[slot] = index;
    this.cachedSyntax[slot] = syntax;
    this.cachedFields[slot] = fields;
    return fields;
  }

  /** True when the lines from `from` to `to` (either order) are consecutive in the new file. */
  adjacent(from: number, to: number): boolean {
    if (to < 0 || to >= this.lines.count) return false;
    return Math.abs(this.lines.lineNumber(to) - this.lines.lineNumber(from)) === Math.abs(to - from);
  }

  /**
   * Indices of the lines (in order, each once) where `trigger` matches. `trigger` must not match
   * across a line break; it is used with the `g` flag added.
   */
  candidates(trigger: RegExp): number[] {
    const found: number[] = [];
    const flags = trigger.flags.includes("g") ? trigger.flags : `${trigger.flags}g`;
    const pattern = new RegExp(trigger.source, flags);
    if (this.lines instanceof PackedAddedLines) {
      const packed = this.lines;
      for (let match = pattern.exec(packed.text); match; match = pattern.exec(packed.text)) {
        const index = packed.lineIndexAt(match.index);
        const next = packed.lineStart(index + 1);
        // `lineStart(i + 1) - 1` is the line's "\n": the text's length without it.
        if (next - 1 - packed.lineStart(index) <= MAX_CONTEXT_LINE_LENGTH) found.push(index);
        pattern.lastIndex = next;
      }
      return found;
    }
    for (let i = 0; i < this.lines.count; i++) {
      const text = this.text(i);
      pattern.lastIndex = 0;
      if (text !== undefined && pattern.test(text)) found.push(i);
    }
    return found;
  }
}
