/**
 * The environment variables that configure the data services, validated the same way for the app
 * (as part of its environment) and the CLI (which reads only these). They are operator settings:
 * a repository's config can never point pr-sentinel at another OSV or registry.
 */
import { z } from "zod";

export const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .default("false")
  .transform((v) => v === "true" || v === "1" || v === "yes");

export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

export const servicesEnvShape = {
  OSV_API_URL: httpUrl.default("https://api.osv.dev"),
  /** An unzipped OSV export (one folder per ecosystem); used instead of the API, and under --offline. */
  OSV_DB_DIR: optionalText,
  NPM_REGISTRY_URL: httpUrl.default("https://registry.npmjs.org"),
  /**
   * Where the rule documentation that help links point to lives (forks, Enterprise Server
   * mirrors): the folder holding `checks/<check>.md`. Also the SARIF tool's `informationUri`.
   */
  PR_SENTINEL_DOCS_URL: z.url({ protocol: /^https$/, error: "expected an https URL" }).optional(),
  /** Operator-only: verify found secrets against their providers. Never a repository setting. */
  PR_SENTINEL_VERIFY_SECRETS: booleanFlag,
};

export const servicesEnvSchema = z.object(servicesEnvShape);
export type ServicesEnv = z.infer<typeof servicesEnvSchema>;

export class ServicesEnvError extends Error {}

/** The services' variables from a process environment; blank counts as unset. Throws one line per problem. */
export function servicesEnvFrom(source: Readonly<Record<string, string | undefined>>): ServicesEnv {
  const input = Object.fromEntries(Object.keys(servicesEnvShape).flatMap((k) => (source[k] ? [[k, source[k]]] : [])));
  const result = servicesEnvSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ServicesEnvError(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
}
