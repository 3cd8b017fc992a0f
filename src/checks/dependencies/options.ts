/** The dependencies check's options under `checks.dependencies`; every key has a default. */
import { z } from "zod";
import { isValidSpdxId } from "./license.js";

const spdxId = z
  .string()
  .min(1)
  .max(100)
  .refine((id) => isValidSpdxId(id), { message: "expected an SPDX licence id such as MIT, Apache-2.0 or GPL-3.0-only (https://spdx.org/licenses/)" });

const hostName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i, "expected a host name such as npm.example.com, without scheme or path");

export const dependenciesOptionsSchema = z.object({
  vulnerabilities: z.boolean().default(true).describe("Look up known vulnerabilities and malware in OSV for every dependency the change adds or changes."),
  registry_signals: z
    .boolean()
    .default(true)
    .describe("Ask the npm registry about added or changed npm packages: install scripts, release age, deprecation, publisher, licence."),
  min_release_age_days: z
    .number()
    .min(0)
    .max(365)
    .default(3)
    .describe("A version published fewer days ago than this is reported (`new-release`); 0 turns the rule off."),
  typosquats: z.boolean().default(true).describe("Report new npm packages whose name is one typo away from a popular package."),
  licenses: z
    .strictObject({
      allow: z.array(spdxId).max(500).default([]).describe("SPDX ids that are allowed; when set, a licence expression that cannot be satisfied with them is reported."),
      deny: z.array(spdxId).max(500).default([]).describe("SPDX ids that are denied; a licence expression that requires one of them is reported."),
    })
    .prefault({})
    .describe("Licence policy for npm packages. Without `allow` or `deny` no licence is reported."),
  allowed_hosts: z
    .array(hostName)
    .max(200)
    .default([])
    .describe("Hosts that lockfile download URLs may use besides each ecosystem's public registry (your mirror or proxy)."),
});

export type DependenciesOptions = z.infer<typeof dependenciesOptionsSchema>;
