/**
 * The app's environment, validated once at start-up. Probot reads its own variables itself; they are
 * checked here too so a wrong value fails with one clear message instead of a stack trace from deep
 * inside Probot. Values are never echoed (PRIVATE_KEY and WEBHOOK_SECRET are secrets).
 */
import { z } from "zod";
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
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  });

export type AppEnv = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`pr-sentinel cannot start, the environment is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Validates the environment; throws `EnvError` naming every variable that is missing or wrong. */
export function loadEnv(source: Readonly<Record<string, string | undefined>> = process.env): AppEnv {
  // Blank variables count as unset, the way shells and .env files produce them.
  const input = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(input);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.map(String).join(".") || "environment"}: ${issue.message}`);
  problems.push(...crossFieldProblems(input));
  if (result.success && problems.length === 0) return result.data;
  throw new EnvError(problems);
}

/** Rules between variables, checked even when single values are wrong, so one run lists everything. */
function crossFieldProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) {
    problems.push("PRIVATE_KEY: is missing: set PRIVATE_KEY (the PEM) or PRIVATE_KEY_PATH");
  }
  if (env.NODE_ENV === "production" && !env.WEBHOOK_SECRET) {
    problems.push("WEBHOOK_SECRET: is missing; in production webhooks must be verified with the secret set on the GitHub App");
  }
  return problems;
}

/** The GitHub REST base URL the app talks to, as Probot derives it. */
export function githubBaseUrl(env: Pick<AppEnv, "GHE_HOST" | "GHE_PROTOCOL">): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL}://${env.GHE_HOST}/api/v3` : "https://api.github.com";
}
