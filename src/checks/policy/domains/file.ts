/**
 * The `file` domain: every file a change adds, judged by its name and, where the name misleads,
 * its content (a `.pem` holding only a certificate is fine; one holding a private key is not).
 * Binary files have no text; files over the whole-file cap cannot be read and have no text either.
 */
import type { PolicyDomain } from "../audit.js";

export interface FileDocument {
  readonly path: string;
  /** `null` for binary files and files too large to read. */
  readonly text: string | null;
  /** Size in bytes when known. */
  readonly bytes?: number;
  readonly binary: boolean;
  /** The file could not be read because it is larger than the whole-file cap. */
  readonly tooLarge?: boolean;
}

export const fileDomain: PolicyDomain<FileDocument> = {
  id: "file",
  files: "every added file",
  matches: () => true,
  parse: (text, path) => ({ path, text, bytes: Buffer.byteLength(text), binary: false }),
};
