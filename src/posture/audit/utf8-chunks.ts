/**
 * Text packed into UTF-8 chunks of about 1 MB, for streaming an export. Strings are encoded
 * straight into the chunk (`Buffer#write`), never joined first: joining a page of lines into one
 * string and letting the stream encode it copies every byte twice more and leaves large strings
 * for the collector, which cost the export more CPU than reading the rows did.
 *
 * `reserve` before each record keeps a record whole inside one chunk, so every chunk is valid
 * UTF-8 on its own (a sink that turns chunks back into text one by one gets the same text).
 */
const CHUNK_BYTES = 1 << 20;
/** A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4 bytes). */
const MAX_BYTES_PER_UNIT = 3;

export class Utf8Chunks {
  private chunk: Buffer;
  private used = 0;
  private readonly full: Buffer[] = [];

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /** Makes room for `units` UTF-16 code units of text in the current chunk, starting a new one if it has not. */
  reserve(units: number): void {
    const need = units * MAX_BYTES_PER_UNIT;
    if (this.chunk.length - this.used >= need) return;
    this.seal();
    this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, need));
  }

  /** Appends `text`; call `reserve` first with at least its length. */
  write(text: string): void {
    this.used += this.chunk.write(text, this.used);
  }

  /** The chunks written since the last call, the current one included; the next write starts a new chunk. */
  take(): Buffer[] {
    this.seal();
    return this.full.splice(0);
  }

  private seal(): void {
    if (this.used === 0) return;
    // The filled part only: the rest of an allocUnsafe buffer is whatever memory held before.
    this.full.push(this.chunk.subarray(0, this.used));
    this.chunk = this.chunk.subarray(this.used);
    this.used = 0;
  }
}
