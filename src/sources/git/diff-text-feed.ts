/**
 * Turns `git diff`'s stdout chunks into text pieces for the streaming diff parser, decoded as
 * UTF-8 exactly as decoding the whole output at once would.
 *
 * Added lines are slices of these pieces, so the pieces live as long as the scan; two choices keep
 * them cheap:
 * - Pieces of about 256 KiB instead of the pipe's 64 KiB chunks: V8 allocates them as large objects,
 *   which its garbage collector never copies (64 KiB strings are copied on every promotion and
 *   compaction; measured: a third more GC time on a 100 MB diff).
 * - V8 stores a string with any non-Latin-1 character at two bytes per character. One `é` would
 *   double a whole piece, so stretches of lines that are pure ASCII are decoded on their own.
 */
import { isAscii } from "node:buffer";

export const PIECE_BYTES = 256 * 1024;

/** How finely a piece with non-ASCII bytes is split (at line ends) to find its ASCII stretches. */
const BLOCK_BYTES = 8 * 1024;

const LF = 10;

export class DiffTextFeed {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly push: (piece: string) => void,
    private readonly pieceBytes = PIECE_BYTES,
  ) {}

  write(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.pieceBytes) return;
    // Pieces end at a line end: an LF byte is never inside a UTF-8 sequence, so what is decoded up
    // to it is exactly what decoding everything would give there. Earlier chunks had no LF (or the
    // piece would have been handed over), so only this one needs searching.
    const newline = chunk.lastIndexOf(LF);
    if (newline === -1) return;
    const rest = chunk.subarray(newline + 1);
    this.pending[this.pending.length - 1] = chunk.subarray(0, newline + 1);
    this.pendingBytes -= rest.length;
    this.decode(this.take());
    if (rest.length > 0) {
      this.pending.push(rest);
      this.pendingBytes = rest.length;
    }
  }

  /** Hands over the rest, which may end inside a line or inside a UTF-8 sequence (U+FFFD). */
  end(): void {
    if (this.pendingBytes > 0) this.decode(this.take());
  }

  private take(): Buffer {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return bytes;
  }

  /** `bytes` ends at a line end, or is the end of the output. */
  private decode(bytes: Buffer): void {
    if (isAscii(bytes)) {
      this.push(bytes.toString("latin1"));
      return;
    }
    // Runs of blocks (each ending at a line end) that are all ASCII, or not, decoded separately.
    let runStart = 0;
    let runAscii: boolean | undefined;
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(LF, Math.min(start + BLOCK_BYTES, bytes.length) - 1);
      const end = newline === -1 ? bytes.length : newline + 1;
      const ascii = isAscii(bytes.subarray(start, end));
      if (runAscii !== undefined && ascii !== runAscii) {
        this.emit(bytes, runStart, start, runAscii);
        runStart = start;
      }
      runAscii = ascii;
      start = end;
    }
    this.emit(bytes, runStart, bytes.length, runAscii ?? true);
  }

  private emit(bytes: Buffer, start: number, end: number, ascii: boolean): void {
    if (end > start) this.push(bytes.toString(ascii ? "latin1" : "utf8", start, end));
  }
}
