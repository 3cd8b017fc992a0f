/**
 * One file's added lines packed into one string (texts joined by "\n"), their start offsets and
 * their line numbers: three objects per file instead of one object and one string slice per line
 * (~80 bytes a line on Node 20, ~230 MB for a 100 MB change). It also lets the diff's streamed
 * pieces be collected, since no line keeps a slice of them.
 */
import type { AddedLine, AddedLineView } from "../types.js";

export class PackedAddedLines implements AddedLineView {
  static readonly EMPTY = new PackedAddedLines("", new Int32Array(1), new Int32Array(0));
  private array: AddedLine[] | undefined;

  constructor(
    /** Every line's text followed by "\n". */
    private readonly text: string,
    /** `starts[i]` is where line i begins in `text`; `starts[count]` is `text.length`. */
    private readonly starts: Int32Array,
    private readonly numbers: Int32Array,
  ) {}

  get count(): number {
    return this.numbers.length;
  }

  lineNumber(index: number): number {
    return this.numbers[index]!;
  }

  lineText(index: number): string {
    return this.text.slice(this.starts[index]!, this.starts[index + 1]! - 1);
  }

  /** The lines as objects, made once on first use (only files with findings usually need them). */
  toArray(): AddedLine[] {
    if (!this.array) {
      const array: AddedLine[] = new Array(this.count);
      for (let i = 0; i < this.count; i++) array[i] = { line: this.numbers[i]!, text: this.lineText(i) };
      this.array = array;
    }
    return this.array;
  }
}

export class PackedAddedLinesBuilder {
  private parts: string[] = [];
  private numbers = new Int32Array(64);
  private starts = new Int32Array(65);
  private count = 0;
  private offset = 0;

  add(line: number, text: string): void {
    if (this.count === this.numbers.length) {
      const numbers = new Int32Array(this.numbers.length * 2);
      numbers.set(this.numbers);
      this.numbers = numbers;
      const starts = new Int32Array(this.starts.length * 2);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.numbers[this.count] = line;
    this.parts.push(text);
    this.offset += text.length + 1;
    this.count++;
    this.starts[this.count] = this.offset;
  }

  build(): PackedAddedLines {
    if (this.count === 0) return PackedAddedLines.EMPTY;
    this.parts.push("");
    // join makes one flat string, so the pieces the texts were sliced from can be collected.
    const packed = new PackedAddedLines(
      this.parts.join("\n"),
      this.starts.slice(0, this.count + 1),
      this.numbers.slice(0, this.count),
    );
    this.parts = [];
    return packed;
  }
}
