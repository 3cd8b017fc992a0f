/**
 * Test-only helpers for the end-to-end tests: the checks they run, a slow check that lets a newer
 * push supersede a scan deterministically, and well-formed fake AWS key ids.
 */
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { z } from "zod";
import { builtinChecks } from "../../../src/checks/index.js";
import { defineCheck, type Check } from "../../../src/core/types.js";

/** Emits `started` when the slow check begins, so a test can push again while a scan is in flight. */
export const slowCheckEvents = new EventEmitter();

/**
 * Takes its time on files named `slow*` (until the scan is aborted, a "release" event, or 5 s), to make a scan that a
 * newer push can supersede deterministically.
 */
export const slowCheck = defineCheck({
  meta: { id: "slow", title: "Slow (test)", description: "Waits on files named slow*.", defaultSeverity: "low", tags: ["test"], rules: [] },
  optionsSchema: z.object({}),
  async run({ files, signal }) {
    if (!files.some((f) => f.path.startsWith("slow"))) return [];
    slowCheckEvents.emit("started");
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        slowCheckEvents.off("release", done);
        resolve();
      };
      const timer = setTimeout(done, 5000);
      signal.addEventListener("abort", done);
      // A test can let it finish at once.
      slowCheckEvents.on("release", done);
    });
    return [];
  },
});

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A well-formed, random-looking AWS access key id, the same for the same seed (never a real key). */
export function fakeAwsKeyId(seed: string): string {
  const digest = createHash("sha256").update(`pr-sentinel test key ${seed}`).digest();
  let body = "";
  for (let i = 0; i < 16; i++) body += BASE32[digest[i]! % 32];
  return `AKIA${body}`;
}

/** The checks the end-to-end tests run: the real registry, plus the slow check for superseded scans. */
export function checksUnderTest(): Check[] {
  return [...builtinChecks, slowCheck as unknown as Check];
}
