/** Diffs and credentials for the scan API tests, built at test time (no real secret is committed). */
import { z } from "zod";
import { base62Crc32Checksum } from "../../../src/checks/secrets/validators/github-token.js";
import { defineCheck, type Check } from "../../../src/core/types.js";
import { BASE62, randomFrom } from "../../checks/secrets/harness.js";

/** A well-formed GitHub classic token (valid checksum) that was never issued. */
export function plantedGithubToken(): string {
  const body = randomFrom(BASE62, 30);
  return `ghp_${body}${base62Crc32Checksum(body)}`;
}

/** `git diff` of a new file holding these lines. */
export function newFileDiff(path: string, lines: readonly string[]): string {
  return [`diff --git a/${path} b/${path}`, "new file mode 100644", "index 0000000..1111111", "--- /dev/null", `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`), ""].join("\n");
}

/** A check that holds every scan until `release()`: makes the scan queue fill deterministically. */
export function holdingCheck(): { check: Check; release: () => void; started: () => number } {
  let release!: () => void;
  let gate = new Promise<void>((resolve) => (release = resolve));
  let count = 0;
  const check = defineCheck({
    meta: { id: "hold", title: "Hold (test)", description: "Waits until released.", defaultSeverity: "low", tags: ["test"], rules: [] },
    optionsSchema: z.object({}),
    async run() {
      count++;
      await gate;
      return [];
    },
  }) as unknown as Check;
  return {
    check,
    release: () => {
      release();
      gate = Promise.resolve();
    },
    started: () => count,
  };
}
