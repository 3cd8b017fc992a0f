/**
 * Reading an added file's content for the file audits: whether it is binary, and its lines without
 * splitting a 50 MiB file into an array. Content is read only for files whose name already points at
 * a credential, or in a bounded prefix for the few rules that judge any file by content, so a change
 * of thousands of files costs one name test per file and audit.
 */
import type { FileDocument } from "../../domains/file.js";

/** What git reads to decide that a file is binary: a NUL byte in its first 8,000 bytes. */
const BINARY_SNIFF = 8000;

/** Content rules that read any file (not one named for a credential) stop after this many characters. */
export const CONTENT_SNIFF_LIMIT = 1024 * 1024;

/**
 * Binary as the sources decide it (`binary`, text withheld), or text that holds a NUL early: a
 * source that hands binary content over as text (tests, a future source) is judged the same way.
 */
export function isBinary(doc: FileDocument): boolean {
  if (doc.binary) return true;
  return doc.text !== null && doc.text.slice(0, BINARY_SNIFF).includes("\u0000");
}

/** The file's text when it is readable text, optionally only when it is at most `limit` characters. */
export function textOf(doc: FileDocument, limit = Number.POSITIVE_INFINITY): string | undefined {
  if (doc.text === null || isBinary(doc) || doc.text.length > limit) return undefined;
  return doc.text;
}

export interface FoundLine {
  /** 1-based. */
  readonly line: number;
  readonly text: string;
}

/**
 * The first line for which `test` returns true (or a value other than false/undefined), with its
 * number. Lines lose their `\r`; a UTF-8 BOM on line 1 is dropped.
 */
export function findLine(text: string, test: (line: string, number: number) => boolean | undefined): FoundLine | undefined {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let number = 1;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end);
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (test(line, number)) return { line: number, text: line };
    start = end + 1;
    number++;
  }
  return undefined;
}

/** Every line, in order; `visit` returns true to stop. */
export function eachLine(text: string, visit: (line: string, number: number) => boolean | void): void {
  findLine(text, (line, number) => visit(line, number) === true);
}
