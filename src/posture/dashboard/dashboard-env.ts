/**
 * The dashboard's environment: the App's OAuth client (from the App's settings page, the same
 * names Probot uses) and the key sealing its cookies. Without all three the dashboard is off.
 */
import { z } from "zod";
import { COOKIE_KEY_BYTES } from "./seal.js";

const text = z.string().trim().min(1).optional();

export const dashboardEnvShape = {
  GITHUB_CLIENT_ID: text,
  GITHUB_CLIENT_SECRET: text,
  DASHBOARD_COOKIE_KEY: text.refine((v) => v === undefined || Buffer.from(v, "base64").length === COOKIE_KEY_BYTES, {
    message: `expected ${COOKIE_KEY_BYTES} random bytes in base64 (\`openssl rand -base64 32\`)`,
  }),
  /** Where people reach the server, e.g. https://sentinel.example.com (the OAuth callback is built from it). */
  DASHBOARD_PUBLIC_URL: z.string().url().optional(),
};

export type DashboardEnv = z.infer<z.ZodObject<typeof dashboardEnvShape>>;
