/**
 * The app's environment, validated once at start-up. Probot reads its own variables itself; they are
 * checked here too so a wrong value fails with one clear message instead of a stack trace from deep
 * inside Probot. Values are never echoed (PRIVATE_KEY and WEBHOOK_SECRET are secrets).
 *
 * Two entry points, two sets of rules over one schema: `loadEnv` for `npm start` (takes webhooks, so
 * it refuses to start without WEBHOOK_SECRET in every NODE_ENV: an unverified webhook endpoint lets
 * anyone on the network order scans and forge pull request events), `loadWorkerEnv` for `npm run
 * worker` (takes no webhooks, only jobs from Redis, so it needs REDIS_URL and no secret).
 */
import { getPrivateKey } from "@probot/get-private-key";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { auditEnvShape } from "../posture/audit/audit-env.js";
import { scanApiEnvShape } from "../posture/api/scan-api-env.js";
import { dashboardEnvShape } from "../posture/dashboard/dashboard-env.js";
import { optionalText, servicesEnvShape } from "../services/services-env.js";

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

export const envSchema = z
  .object({
    NODE_ENV: optionalText,
    APP_ID: z.string({ error: "is missing (the GitHub App's numeric id)" }).regex(/^[1-9]\d*$/, "expected the App's numeric id"),
    PRIVATE_KEY: optionalText,
    PRIVATE_KEY_PATH: optionalText,
    WEBHOOK_SECRET: optionalText,
    WEBHOOK_PATH: z.string().startsWith("/", "expected a path starting with /").default("/api/github/webhooks"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: optionalText,
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
    GHE_HOST: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9.-]+(:\d+)?$/.test(v), {
      message: "expected a host name with an optional port, without scheme or path (e.g. github.example.com)",
    }),
    GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
    REDIS_URL: optionalText,
    ...servicesEnvShape,
    ...auditEnvShape,
    ...scanApiEnvShape,
    ...dashboardEnvShape,
    /** Scans this process runs at once; 0 = it takes webhooks only (queue mode, workers elsewhere). */
    WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(4),
    /** After SIGTERM, how long in-flight scans may take before they are handed back to the queue. */
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(25),
    /**
     * Queue mode: a job whose worker stops renewing its lock for this long is handed to another
     * worker (BullMQ's stalled-job check runs every half of it).
     */
    QUEUE_LOCK_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  });

export type AppEnv = z.infer<typeof envSchema>;
/** A worker always has its queue. */
export type WorkerEnv = AppEnv & { readonly REDIS_URL: string };

type Role = "webhooks" | "worker";
type EnvSource = Readonly<Record<string, string | undefined>>;

export class EnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`pr-sentinel cannot start, the environment is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Validates the environment of `npm start`; throws `EnvError` naming every variable that is missing or wrong. */
export function loadEnv(source: EnvSource = process.env): AppEnv {
  return validate(source, "webhooks");
}

/**
 * Validates the environment of `npm run worker`: the same variables, but no WEBHOOK_SECRET needed
 * (a worker serves only /healthz and /metrics) and REDIS_URL required. Throws `EnvError`.
 */
export function loadWorkerEnv(source: EnvSource = process.env): WorkerEnv {
  return validate(source, "worker") as WorkerEnv;
}

function validate(source: EnvSource, role: Role): AppEnv {
  // Blank variables count as unset, the way shells and .env files produce them.
  const input = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(input);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.map(String).join(".") || "environment"}: ${issue.message}`);
  problems.push(...crossFieldProblems(input, role));
  if (result.success && problems.length === 0) return result.data;
  throw new EnvError(problems);
}

/** Set the way optionalText reads it: whitespace only is unset (a secret of spaces is no secret). */
const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== "";

/** Rules between variables, checked even when single values are wrong, so one run lists everything. */
function crossFieldProblems(env: EnvSource, role: Role): string[] {
  const problems: string[] = [];
  if (!isSet(env.PRIVATE_KEY) && !isSet(env.PRIVATE_KEY_PATH)) {
    problems.push("PRIVATE_KEY: is missing: set PRIVATE_KEY (the PEM) or PRIVATE_KEY_PATH");
  } else if (isSet(env.PRIVATE_KEY)) {
    const problem = privateKeyProblem(env.PRIVATE_KEY);
    if (problem) problems.push(`PRIVATE_KEY: ${problem}`);
  } else if (isSet(env.PRIVATE_KEY_PATH)) {
    let pem: string | undefined;
    try {
      pem = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
    } catch (error) {
      problems.push(`PRIVATE_KEY_PATH: cannot read the file (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    const problem = pem === undefined ? undefined : privateKeyProblem(pem);
    if (problem) problems.push(`PRIVATE_KEY_PATH: the file ${problem}`);
  }
  const concurrency = env.WORKER_CONCURRENCY;
  const takesNoJobs = isSet(concurrency) && Number(concurrency) === 0;
  if (role === "webhooks") {
    // No NODE_ENV exception: a development or test deployment reachable from a network is just as
    // forgeable, and every test sets a secret.
    if (isSet(env.APP_ID) && !isSet(env.WEBHOOK_SECRET)) {
      problems.push("WEBHOOK_SECRET: is missing; webhooks must be verified with the secret set on the GitHub App (APP_ID is set)");
    }
    if (takesNoJobs && !isSet(env.REDIS_URL)) {
      problems.push("WORKER_CONCURRENCY: 0 needs REDIS_URL (without a queue, this process must run the scans)");
    }
  } else {
    if (!isSet(env.REDIS_URL)) problems.push("REDIS_URL: is missing; a worker takes its jobs from Redis");
    if (takesNoJobs) problems.push("WORKER_CONCURRENCY: 0 would leave a worker with nothing to do; set 1 or more");
  }
  return problems;
}

/** The GitHub REST base URL the app talks to, as Probot derives it. */
export function githubBaseUrl(env: Pick<AppEnv, "GHE_HOST" | "GHE_PROTOCOL">): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL}://${env.GHE_HOST}/api/v3` : "https://api.github.com";
}

/**
 * What is wrong with a private key, in words that never quote it: GitHub App keys are RSA PEM
 * (PKCS#1 or PKCS#8). The key is first read exactly as Probot reads it (`@probot/get-private-key`:
 * base64-encoded, `\n`-escaped or single-line PEMs too), so what passes here is what Probot gets.
 */
function privateKeyProblem(value: string): string | undefined {
  let pem: string | null;
  try {
    pem = getPrivateKey({ env: { PRIVATE_KEY: value.trim() } });
  } catch {
    pem = null;
  }
  if (!pem) return "is not a PEM private key (expected the .pem file GitHub generated for the App, or it base64-encoded)";
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    return "does not parse as a private key (a truncated PEM, or line breaks lost: keep the newlines, or base64-encode the whole file)";
  }
  if (key.asymmetricKeyType !== "rsa") return `is ${key.asymmetricKeyType ?? "an unknown kind of"} key; GitHub App keys are RSA (generate one in the App's settings)`;
  return undefined;
}
