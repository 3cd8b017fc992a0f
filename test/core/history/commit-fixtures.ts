/** Commits built from added files, for the history tests: no git needed to exercise the scan itself. */
import { createHash } from "node:crypto";
import { base62Crc32Checksum } from "../../../src/checks/secrets/validators/index.js";
import type { CommitChange } from "../../../src/core/history/types.js";
import type { ChangedFile } from "../../../src/core/types.js";
import { BASE62, randomFrom } from "../../checks/secrets/harness.js";

export function commit(name: string, files: readonly ChangedFile[], authorDate = "2026-01-01T00:00:00Z", notes?: string[]): CommitChange {
  return { sha: createHash("sha1").update(name).digest("hex"), authorDate, files, ...(notes ? { notes } : {}) };
}

/** An async iterable that records how many commits were pulled from it and whether it was closed. */
export function commitStream(commits: readonly CommitChange[]): AsyncIterable<CommitChange> & { pulled: number; closed: boolean } {
  const stream = {
    pulled: 0,
    closed: false,
    async *[Symbol.asyncIterator]() {
      try {
        for (const c of commits) {
          stream.pulled++;
          yield c;
        }
      } finally {
        stream.closed = true;
      }
    },
  };
  return stream;
}

/** A GitHub classic token with a valid checksum, made at test time (random body: never a real one). */
export function liveLookingGithubToken(): string {
  const body = randomFrom(BASE62, 30);
  return `ghp_${body}${base62Crc32Checksum(body)}`;
}
