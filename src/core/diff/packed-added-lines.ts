/**
 * One file's added lines packed into one string (texts joined by "\n"), their start offsets and
 * their line numbers: three objects per file instead of one object and one string slice per line
 * (~80 bytes a line on Node 20, ~230 MB for a 100 MB change). It also lets the diff's streamed
 * pieces be collected, since no line keeps a slice of them.
 */
import { lastIndexAtMost } from "../sorted-search.js";
import type { AddedLine, AddedLineView } from "../types.js";

/** What both storages share: line numbers, line start offsets, and the lines as objects on demand. */
abstract class PackedLinesBase implements AddedLineView {
  private array: AddedLine[] | undefined;

  constructor(
    /** `starts[i]` is where line i begins (in characters or bytes); `starts[count]` is the end. */
    protected readonly starts: Int32Array,
    private readonly numbers: Int32Array,
  ) {}

  abstract get textLength(): number;
  abstract lineText(index: number): string;

  get count(): number {
    return this.numbers.length;
  }

  lineNumber(index: number): number {
    return this.numbers[index]!;
  }

  /** The lines as objects, made once on first use (only files with findings usually need them). */
  toArray(): AddedLine[] {
    this.array ??= Array.from({ length: this.count }, (_, i) => ({ line: this.numbers[i]!, text: this.lineText(i) }));
    return this.array;
  }
}

export class PackedAddedLines extends PackedLinesBase {
  static readonly EMPTY = new PackedAddedLines("", new Int32Array(1), new Int32Array(0));

  constructor(
    /** Every line's text followed by "\n". */
    readonly text: string,
    starts: Int32Array,
    numbers: Int32Array,
  ) {
    super(starts, numbers);
  }

  get textLength(): number {
    return this.text.length;
  }

  lineText(index: number): string {
    return this.text.slice(this.starts[index]!, this.starts[index + 1]! - 1);
  }

  /** Every line joined by "\n" (no trailing one): the whole file when it was added. */
  joinedText(): string {
    return this.text.slice(0, -1);
  }

  /** Where line `index` begins in `text`; `lineStart(count)` is `text.length`. */
  lineStart(index: number): number {
    return this.starts[index]!;
  }

  /** The index of the line that holds `offset` of `text`. */
  lineIndexAt(offset: number): number {
    return lastIndexAtMost(this.starts, offset, this.count);
  }
}

/**
 * Lines are joined in small batches as they come: a batch's slices die young, in the scavenger,
 * instead of surviving in one long array until the file ends and being promoted (copied) with it.
 * Measured (CPU profile of parsing the 40 MB bench diff): garbage collection 319 -> 244 ms, the
 * whole parse 1.18 -> 0.99 s. Batches are flat strings, so they keep nothing of the diff's pieces
 * alive either.
 */
const BATCH_LINES = 64;

export class PackedAddedLinesBuilder {
  private batch: string[] = [];
  private joined: string[] = [];
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
    this.batch.push(text);
    this.offset += text.length + 1;
    this.count++;
    this.starts[this.count] = this.offset;
    if (this.batch.length === BATCH_LINES) this.flush();
  }

  build(): PackedLines {
    if (this.count === 0) return PackedAddedLines.EMPTY;
    this.flush();
    const numbers = this.numbers.slice(0, this.count);
    const text = this.joined.length === 1 ? this.joined[0]! : this.joined.join("");
    this.joined = [];
    if (Buffer.byteLength(text, "utf8") === text.length) {
      return new PackedAddedLines(text, this.starts.slice(0, this.count + 1), numbers);
    }
    // One character beyond Latin-1 makes V8 hold the whole string at two bytes a character;
    // such files (a tenth of the bench's text) are held as UTF-8 bytes instead.
    const bytes = Buffer.from(text, "utf8");
    const byteStarts = new Int32Array(this.count + 1);
    let at = 0;
    for (let i = 0; i < this.count; i++) {
      at = bytes.indexOf(10, at) + 1;
      byteStarts[i + 1] = at;
    }
    return new Utf8PackedAddedLines(bytes, byteStarts, numbers);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.batch.push("");
    const text = this.batch.join("\n");
    this.batch = [];
    this.joined.push(text);
  }
}

/** Added lines held as UTF-8 bytes, for files whose text is not Latin-1 (see `build`). */
export class Utf8PackedAddedLines extends PackedLinesBase {
  constructor(
    private readonly bytes: Buffer,
    starts: Int32Array,
    numbers: Int32Array,
  ) {
    super(starts, numbers);
  }

  get textLength(): number {
    return this.bytes.length;
  }

  lineText(index: number): string {
    return this.bytes.toString("utf8", this.starts[index]!, this.starts[index + 1]! - 1);
  }

  /** Every line joined by "\n" (no trailing one), decoded at once: the whole file when it was added. */
  joinedText(): string {
    return this.count === 0 ? "" : this.bytes.toString("utf8", 0, this.bytes.length - 1);
  }
}

export type PackedLines = PackedAddedLines | Utf8PackedAddedLines;
