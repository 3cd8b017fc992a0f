/**
 * A stand-in secrets check for the end-to-end tests while the real one is not registered yet: it
 * flags AWS access key ids on added lines. The app does not care which check finds what.
 */
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { z } from "zod";
import { keyedHash } from "../../../src/core/fingerprint.js";
import { redactSecret } from "../../../src/core/redact.js";
import { builtinChecks } from "../../../src/checks/index.js";
import { defineCheck, type Check, type FindingDraft } from "../../../src/core/types.js";

const AWS_KEY_ID = /\b(AKIA[A-Z2-7]{16})\b/g;

export const stubSecretsCheck = defineCheck({
  meta: {
    id: "secrets",
    title: "Secrets (test stand-in)",
    description: "Flags AWS access key ids on added lines.",
    defaultSeverity: "high",
    tags: ["test"],
    rules: [{ id: "aws-access-key-id", title: "AWS access key id", description: "A leaked key lets anyone act as its owner.", severity: "high" }],
  },
  optionsSchema: z.object({}),
  async run({ files }) {
    const drafts: FindingDraft[] = [];
    for (const file of files) {
      for (const line of file.addedLines) {
        for (const match of line.text.matchAll(AWS_KEY_ID)) {
          const secret = match[1]!;
          drafts.push({
            ruleId: "aws-access-key-id",
            path: file.path,
            startLine: line.line,
            message: "An AWS access key id was added.",
            remediation: "Revoke the key in AWS IAM and load it from a secret store.",
            evidence: redactSecret(secret, "AKIA"),
            fingerprintKey: keyedHash(secret),
            identity: keyedHash(secret),
          });
        }
      }
    }
    return drafts;
  },
});

/** Emits `started` when the slow check begins, so a test can push again while a scan is in flight. */
export const slowCheckEvents = new EventEmitter();

/**
 * Takes its time on files named `slow*` (until the scan is aborted, or 5 s), to make a scan that a
 * newer push can supersede deterministically.
 */
export const slowCheck = defineCheck({
  meta: { id: "slow", title: "Slow (test)", description: "Waits on files named slow*.", defaultSeverity: "low", tags: ["test"], rules: [] },
  optionsSchema: z.object({}),
  async run({ files, signal }) {
    if (!files.some((f) => f.path.startsWith("slow"))) return [];
    slowCheckEvents.emit("started");
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
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

/**
 * The checks the end-to-end tests run: the registry's, with the stand-in only while the real
 * secrets check is not registered, plus the slow check for superseded scans.
 */
export function checksUnderTest(): Check[] {
  const hasSecrets = builtinChecks.some((c) => c.meta.id === "secrets");
  return [...builtinChecks, ...(hasSecrets ? [] : [stubSecretsCheck as unknown as Check]), slowCheck as unknown as Check];
}
