/**
 * Shared pieces of the secrets tests: changed files built from lines, a scan through the real
 * engine, and credentials generated at test time (no realistic secret is committed, so the
 * repository itself never trips a secret scanner).
 */
import { randomBytes, randomInt } from "node:crypto";
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import { configFromObject } from "../../../src/core/config/load-config.js";
import { runScan } from "../../../src/core/engine.js";
import type { AddedLine, ChangedFile, Check, FindingDraft, ScanResult, Services } from "../../../src/core/types.js";
import { secretsCheck } from "../../../src/checks/secrets/index.js";
import type { SecretRule } from "../../../src/checks/secrets/rule.js";

export const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const BASE64 = `${BASE62}+/`;

/** Random text that is not a placeholder (no long runs; retried in the rare case it looks like one). */
export function randomFrom(alphabet: string, length: number): string {
  for (;;) {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
    if (!/(.)\1{3}/.test(out) && !/test|fake|mock|demo|foo|bar|null|none|todo/i.test(out)) return out;
  }
}

export function addedFile(path: string, lines: readonly string[] | readonly AddedLine[], status: ChangedFile["status"] = "added"): ChangedFile {
  const added: AddedLine[] = lines.map((l, i) => (typeof l === "string" ? { line: i + 1, text: l } : l));
  const head = added.map((l) => l.text).join("\n");
  return {
    path,
    status,
    binary: false,
    patchMissing: false,
    addedLines: added,
    commentableLines: new Set(added.map((l) => l.line)),
    readHead: async () => head,
    readBase: async () => null,
  };
}

/** The built-in secrets check's drafts for these files, with default options, offline, no engine around it. */
export async function secretsCheckDrafts(files: readonly ChangedFile[]): Promise<FindingDraft[]> {
  const result = await secretsCheck.run({
    files,
    options: secretsCheck.optionsSchema.parse({}),
    logger: pino({ level: "silent" }),
    signal: new AbortController().signal,
    services: {},
    offline: true,
    readFileAtHead: async () => null,
  });
  return [...(Array.isArray(result) ? result : (result as { findings: readonly FindingDraft[] }).findings)];
}

export interface CapturedLogger {
  readonly logger: Logger;
  text(): string;
}

export function captureLogger(): CapturedLogger {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: pino({ level: "trace" }, sink), text: () => chunks.join("") };
}

export async function scan(
  check: Check,
  files: readonly ChangedFile[],
  options: Record<string, unknown> = {},
  extra: { services?: Services; logger?: Logger } = {},
): Promise<ScanResult> {
  const config = configFromObject({ fail_on: "high", checks: { secrets: options } }, "test config", [check]);
  return runScan({
    files,
    config,
    checks: [check],
    logger: extra.logger ?? pino({ level: "silent" }),
    services: extra.services,
    today: "2026-01-01",
  });
}

/** A few rules of this project's own, in the shape of the rule table, for tests independent of it. */
export const testRules: readonly SecretRule[] = [
  {
    id: "test-github-pat",
    provider: "GitHub",
    title: "GitHub classic personal access token",
    risk: "A test rule's risk sentence.",
    pattern: /\bghp_[A-Za-z0-9]{36}\b/,
    keywords: ["ghp_"],
    severity: "high",
    redactPrefix: "ghp_",
    remediation: "Revoke it at https://github.com/settings/tokens.",
    verifier: "github",
    samples: { positives: [], negatives: [] },
  },
  {
    id: "test-aws-access-key-id",
    provider: "AWS",
    title: "AWS access key ID",
    risk: "A test rule's risk sentence.",
    pattern: /\b(?:AKIA|ASIA)[A-Z2-7]{16}\b/,
    keywords: ["akia", "asia"],
    severity: "high",
    redactPrefix: "AKIA",
    allow: ["AKIAIOSFODNN7EXAMPLE"],
    remediation: "Deactivate the key in IAM.",
    samples: { positives: [], negatives: [] },
  },
  {
    id: "test-aws-secret-access-key",
    provider: "AWS",
    title: "AWS secret access key",
    risk: "A test rule's risk sentence.",
    pattern: /aws_?secret_?access_?key\s*[=:]\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/i,
    keywords: ["secret_access_key", "secretaccesskey"],
    minEntropy: 4,
    severity: "critical",
    verifier: "aws",
    remediation: "Deactivate the key in IAM.",
    samples: { positives: [], negatives: [] },
  },
  {
    id: "test-private-key",
    provider: "PEM",
    title: "Private key",
    risk: "A test rule's risk sentence.",
    pattern: /-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----\n(?:[A-Za-z0-9+/=]{16,}\n){2,}-----END (?:RSA |EC |OPENSSH )?PRIVATE KEY-----/,
    keywords: ["private key-----"],
    multiline: true,
    severity: "critical",
    remediation: "Replace the key pair.",
    samples: { positives: [], negatives: [] },
  },
  {
    id: "test-slack-bot-token",
    provider: "Slack",
    title: "Slack bot token",
    risk: "A test rule's risk sentence.",
    pattern: /\bxoxb-\d{10,13}-\d{10,13}-[A-Za-z0-9]{24}\b/,
    keywords: ["xoxb-"],
    severity: "high",
    redactPrefix: "xoxb-",
    verifier: "slack",
    remediation: "Revoke it in the Slack app settings.",
    samples: { positives: [], negatives: [] },
  },
  {
    id: "test-jwt",
    provider: "JSON Web Token",
    title: "JSON Web Token",
    risk: "A test rule's risk sentence.",
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}/,
    keywords: ["eyj"],
    severity: "medium",
    remediation: "Revoke the session or rotate the signing key.",
    samples: { positives: [], negatives: [] },
  },
  {
    id: "test-generic-password",
    provider: "Generic",
    title: "Password in an assignment",
    risk: "A test rule's risk sentence.",
    pattern: /\b(?:password|passwd|pwd)["']?\s*[:=]\s*["'](?<secret>[^"'\s]{8,64})["']/i,
    keywords: ["password", "passwd", "pwd"],
    minEntropy: 3,
    confidence: "medium",
    severity: "high",
    remediation: "Rotate the password and read it from a secret store.",
    samples: { positives: [], negatives: [] },
  },
];

export function randomGithubPat(): string {
  return `ghp_${randomFrom(BASE62, 36)}`;
}

export function randomAwsPair(): { id: string; secret: string } {
  return { id: `AKIA${randomFrom(UPPER_DIGITS, 16)}`, secret: randomFrom(BASE64, 40) };
}

export function randomSlackBotToken(): string {
  return `xoxb-${randomInt(1e10, 9e10)}-${randomInt(1e10, 9e10)}-${randomFrom(BASE62, 24)}`;
}

export function randomPemLines(): string[] {
  const body = randomBytes(600).toString("base64");
  const lines = ["-----BEGIN RSA PRIVATE KEY-----"];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  lines.push("-----END RSA PRIVATE KEY-----");
  return lines;
}

export function makeJwt(claims: Record<string, unknown>, alg = "HS256"): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg, typ: "JWT" })}.${part(claims)}.${randomBytes(32).toString("base64url")}`;
}
