/**
 * A stand-in secrets check for the end-to-end tests while the real one is not registered yet: it
 * flags AWS access key ids on added lines. The app does not care which check finds what.
 */
import { EventEmitter } from "node:events";
import { z } from "zod";
import { keyedHash } from "../../../src/core/fingerprint.js";
import { redactSecret } from "../../../src/core/redact.js";
import { defineCheck, type FindingDraft } from "../../../src/core/types.js";

const AWS_KEY_ID = /\b(AKIA[0-9A-Z]{16})\b/g;

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
