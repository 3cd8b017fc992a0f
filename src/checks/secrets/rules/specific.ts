/** Every rule with a provider of its own, in reporting priority (the scanner keeps order within a confidence level). */
import type { SecretRule } from "../rule.js";
import { aiRules } from "./ai.js";
import { authSchemeRules } from "./auth-schemes.js";
import { awsRules } from "./aws.js";
import { azureRules } from "./azure.js";
import { azureIdentifiableRules } from "./azure-identifiable.js";
import { configFileRules } from "./config-files.js";
import { connectionStringRules } from "./connection-strings.js";
import { credentialFileRules } from "./credential-files.js";
import { gcpRules } from "./gcp.js";
import { githubRules } from "./github.js";
import { gitlabRules } from "./gitlab.js";
import { jwtRules } from "./jwt.js";
import { messagingRules } from "./messaging.js";
import { observabilityRules } from "./observability.js";
import { otherCloudRules } from "./other-cloud.js";
import { packageRegistryRules } from "./package-registries.js";
import { passwordHashRules } from "./password-hashes.js";
import { paymentRules } from "./payments.js";
import { privateKeyRules } from "./private-keys.js";
import { prSentinelRules } from "./pr-sentinel.js";
import { saasRules } from "./saas.js";
import { sourceHostingRules } from "./source-hosting.js";

/** Families by file name, for the generated table and per-family counts. */
export const ruleFamilies: Readonly<Record<string, readonly SecretRule[]>> = {
  // Google Cloud before AWS: `gs_secret_access_key` would otherwise be read as AWS's `secret_access_key`.
  gcp: gcpRules,
  aws: awsRules,
  azure: azureRules,
  "azure-identifiable": azureIdentifiableRules,
  "other-cloud": otherCloudRules,
  github: githubRules,
  gitlab: gitlabRules,
  "source-hosting": sourceHostingRules,
  "package-registries": packageRegistryRules,
  payments: paymentRules,
  messaging: messagingRules,
  ai: aiRules,
  observability: observabilityRules,
  saas: saasRules,
  "private-keys": privateKeyRules,
  jwt: jwtRules,
  "config-files": configFileRules,
  "connection-strings": connectionStringRules,
  "auth-schemes": authSchemeRules,
  "credential-files": credentialFileRules,
  "password-hashes": passwordHashRules,
  "pr-sentinel": prSentinelRules,
};

export const specificRules: readonly SecretRule[] = Object.values(ruleFamilies).flat();
