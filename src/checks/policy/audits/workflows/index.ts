import type { Audit } from "../../audit.js";
import type { WorkflowDocument } from "../../domains/workflow.js";
import { templateInjection } from "./template-injection.js";
import { unpinnedUses } from "./unpinned-uses.js";
import { shaPinWithoutVersion } from "./sha-pin-without-version.js";
import { excessivePermissions } from "./excessive-permissions.js";
import { secretsInherit } from "./secrets-inherit.js";
import { secretsToJson } from "./secrets-to-json.js";
import { artipacked } from "./artipacked.js";
import { hardcodedCredentials } from "./hardcoded-credentials.js";
import { untrustedCheckout } from "./untrusted-checkout.js";
import { githubEnv } from "./github-env.js";
import { unsecureCommands } from "./unsecure-commands.js";
import { artifactPoisoning } from "./artifact-poisoning.js";
import { selfHostedRunner } from "./self-hosted-runner.js";

export const workflowAudits: readonly Audit<WorkflowDocument>[] = [
  templateInjection,
  unpinnedUses,
  shaPinWithoutVersion,
  excessivePermissions,
  secretsInherit,
  secretsToJson,
  artipacked,
  hardcodedCredentials,
  untrustedCheckout,
  githubEnv,
  unsecureCommands,
  artifactPoisoning,
  selfHostedRunner,
];
