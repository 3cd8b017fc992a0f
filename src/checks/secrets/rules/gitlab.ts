/**
 * GitLab. Every token kind carries its own prefix (https://docs.gitlab.com/security/tokens/#token-prefixes).
 * Personal, project and group access tokens share `glpat-`; newer routable tokens append dotted
 * parts after the random body, which the pattern keeps.
 */
import type { SecretRule } from "../rule.js";
import { hasValidGitlabRoutableChecksum } from "../validators/gitlab-routable-token.js";

const TOKENS_DOC = "https://docs.gitlab.com/security/tokens/";

interface GitLabToken {
  readonly id: string;
  readonly title: string;
  /** See `SecretRule.risk`: what the credential grants, in one sentence. */
  readonly risk: string;
  readonly prefix: string;
  readonly body: string;
  readonly severity: SecretRule["severity"];
  readonly remediation: string;
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
  readonly verifier?: string;
  /** A checksum the format carries (routable tokens). */
  readonly validate?: (secret: string) => boolean;
}

/** All GitLab tokens read the same way: prefix, body, then not another token character. */
function gitlabToken(token: GitLabToken): SecretRule {
  const prefix = token.prefix.replace(/[.-]/g, (c) => `\\${c}`);
  return {
    id: token.id,
    provider: "GitLab",
    title: token.title,
    risk: token.risk,
    pattern: new RegExp(`\\b(?<secret>${prefix}${token.body})(?:[^0-9A-Za-z_-]|$)`),
    keywords: [token.prefix.toLowerCase()],
    minEntropy: 3,
    severity: token.severity,
    redactPrefix: token.prefix,
    ...(token.verifier ? { verifier: token.verifier } : {}),
    ...(token.validate ? { validate: token.validate } : {}),
    remediation: token.remediation,
    samples: { positives: token.positives, negatives: token.negatives },
  };
}

export const gitlabRules: readonly SecretRule[] = [
  gitlabToken({
    id: "gitlab-personal-access-token",
    title: "GitLab personal, project or group access token",
    risk: "Acts as its user, or the project's or group's bot, with its scopes (often `api`): read and push code, change CI/CD variables and run pipelines.",
    prefix: "glpat-",
    body: "[0-9A-Za-z_-]{20,300}(?:\\.[0-9A-Za-z_-]{2,40}){0,2}",
    severity: "critical",
    verifier: "gitlab",
    validate: hasValidGitlabRoutableChecksum,
    remediation: "Revoke the token (User settings > Access tokens, or the project's/group's Access tokens) and create a new one: https://docs.gitlab.com/user/profile/personal_access_tokens/#revoke-a-personal-access-token",
    positives: ["GITLAB_TOKEN=glpat-CXyBmqXamXhgJYQvO6ug", 'private_token: "glpat-YzoxCm86MnMKdTo3dmtsh-SSnzusdbtOBWgMlT1-EA.01.1600tf3n2"'],
    // The last one is a routable token whose checksum fails (its last character altered).
    negatives: ["GITLAB_TOKEN=glpat-1fdQCXLXRnt0", "GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx", 'private_token: "glpat-YzoxCm86MnMKdTo3dmtsh-SSnzusdbtOBWgMlT1-EA.01.1600tf3n3"'],
  }),
  gitlabToken({
    id: "gitlab-oauth-application-secret",
    title: "GitLab OAuth application secret",
    risk: "With the application id it lets someone pose as the OAuth app: phish users through its consent screen and trade stolen authorization codes for their tokens.",
    prefix: "gloas-",
    body: "[0-9a-f]{64}",
    severity: "high",
    remediation: `Renew the application secret (Applications > Renew secret): ${TOKENS_DOC}#oauth-20-tokens`,
    positives: ["GITLAB_APP_SECRET=gloas-50bbccd1929ff521f08b0e14c389843d52c79703084646ab94eb317122d00a93", 'client_secret: "gloas-741bc4f5cccc27c9040b1ef673e393ada7a90b5751895a4f0ab4a9784500702b"'],
    negatives: ["GITLAB_APP_SECRET=gloas-ff051e0084bc1e512a920df086ff656941d3c5d9", "GITLAB_APP_SECRET=gloas-PXLQ3GLCX2AR2RXPBMEM26KJ0TVNOF4L8JR5POKMEXQ1GKE1QUW58JKK3AKBFBOY"],
  }),
  gitlabToken({
    id: "gitlab-deploy-token",
    title: "GitLab deploy token",
    risk: "Clones the repository or reads and writes its package and container registries, per its scopes; a write token can replace images that deployments pull.",
    prefix: "gldt-",
    body: "[0-9A-Za-z_-]{20}",
    severity: "high",
    remediation: "Revoke the deploy token in Settings > Repository > Deploy tokens: https://docs.gitlab.com/user/project/deploy_tokens/#revoke-a-deploy-token",
    positives: ["CI_DEPLOY_PASSWORD=gldt-MnGvZUMhaTL8E2HGhc0O", "password: gldt-OnZdYonYWmH664Nsa97t"],
    negatives: ["CI_DEPLOY_PASSWORD=gldt-WZ05QYKV6c", "CI_DEPLOY_PASSWORD=gldt-pOrR3T_SoUd3zJlrhR8v6G03Wg"],
  }),
  gitlabToken({
    id: "gitlab-runner-authentication-token",
    title: "GitLab runner authentication token",
    risk: "Lets anyone run a machine as this runner and pick up CI jobs: read their source, job tokens and CI/CD variables (often deploy credentials) and tamper with build output.",
    prefix: "glrt-",
    body: "(?:t\\d_)?[0-9A-Za-z_-]{20,64}",
    severity: "high",
    remediation: "Reset the runner's authentication token (CI/CD > Runners > Reset) and re-register: https://docs.gitlab.com/ci/runners/configure_runners/#reset-the-runner-authentication-token",
    positives: ['  token = "glrt-hOseaxcl49oAhKDHnvQQ"', "RUNNER_TOKEN=glrt-t1_EFOGHwh1LEcqRm2YNXaI3KvxfM-"],
    negatives: ["RUNNER_TOKEN=glrt-v-Nk9E8DPNfi", "RUNNER_TOKEN=glrt-REPLACE_WITH_TOKEN"],
  }),
  gitlabToken({
    id: "gitlab-runner-registration-token",
    title: "GitLab runner registration token (deprecated)",
    risk: "Registers new runners to the project, group or instance, which then receive CI jobs with their source code and CI/CD variables, often deploy credentials.",
    prefix: "GR1348941",
    body: "[0-9A-Za-z_-]{20}",
    severity: "high",
    remediation: "Reset the registration token and move to runner authentication tokens: https://docs.gitlab.com/ci/runners/new_creation_workflow/",
    positives: ['gitlab-runner register --registration-token "GR1348941B4nqIjl-knNeAVFTvLes"', "REGISTRATION_TOKEN=GR13489419Sp9yACJ5oJ7v4zl0V96"],
    negatives: ["REGISTRATION_TOKEN=GR1348941TG6Y8VLE", "REGISTRATION_TOKEN=GR1348941B7xhtH8I2YwCgCXq54OdWlPwhxq85w"],
  }),
  gitlabToken({
    id: "gitlab-ci-job-token",
    title: "GitLab CI/CD job token",
    risk: "Reads the repository, packages and API endpoints the job's permissions allow while the job runs; it expires when the job ends, hence medium.",
    prefix: "glcbt-",
    body: "[0-9a-fA-F]{1,5}_[0-9A-Za-z_-]{20}",
    severity: "medium",
    remediation: `Job tokens expire with their job; cancel the job if it still runs and check the job's logs: ${TOKENS_DOC}#cicd-job-tokens`,
    positives: ["CI_JOB_TOKEN=glcbt-4c_-jZ9czNEeaWQCZgW51Cg", 'job_token = "glcbt-387e_iKXQ-6GivPpi9Yzpr_OQ"'],
    negatives: ["CI_JOB_TOKEN=glcbt-_iFv_9ozxJ_SfS-ESomlX", "CI_JOB_TOKEN=glcbt-33_x8f9amLw"],
  }),
  gitlabToken({
    id: "gitlab-pipeline-trigger-token",
    title: "GitLab pipeline trigger token",
    risk: "Starts pipelines on any branch or tag as the token's owner and can pass variables, which may change what the pipeline builds or deploys.",
    prefix: "glptt-",
    body: "[0-9a-f]{40}",
    severity: "high",
    remediation: "Revoke the trigger token in Settings > CI/CD > Pipeline trigger tokens: https://docs.gitlab.com/ci/triggers/#revoke-a-pipeline-trigger-token",
    positives: ['curl -X POST -F "token=glptt-d87f0811bd51163a1fc7011b2823a2f68b4eb76c" -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline', "TRIGGER_TOKEN=glptt-8f618de3548bcc1377960fff88b0b1a0f556b6ca"],
    negatives: ["TRIGGER_TOKEN=glptt-a6149c1e84b519537ef5", "TRIGGER_TOKEN=glptt-JLnkccyIszf98UvDNz36OC1qxrVuqrGjzEvzVy2v"],
  }),
  gitlabToken({
    id: "gitlab-feed-token",
    title: "GitLab feed token",
    risk: "Reads the user's RSS/Atom and calendar feeds, which list titles and details of private issues, merge requests and activity; it cannot change anything, hence medium.",
    prefix: "glft-",
    body: "[0-9A-Za-z_-]{20}",
    severity: "medium",
    remediation: "Reset the feed token in User settings > Access tokens: https://docs.gitlab.com/security/tokens/#feed-token",
    positives: ["https://gitlab.com/dashboard/issues.atom?feed_token=glft-4DMkft-W51KJTLHu05s4", "FEED_TOKEN=glft-uYFeXZcN1mlCoib9qnUa"],
    negatives: ["FEED_TOKEN=glft-HgT6IH9gRZ", "FEED_TOKEN=glft-d2J_wk7G4BKnJMiECwnfcNvtvXb5Ld"],
  }),
  gitlabToken({
    id: "gitlab-incoming-mail-token",
    title: "GitLab incoming email token",
    risk: "Lets someone create issues or merge requests as the user by mailing the project's incoming address; it grants no read access, hence medium.",
    prefix: "glimt-",
    body: "[0-9A-Za-z_-]{25}",
    severity: "medium",
    remediation: "Reset the incoming email token in User settings > Access tokens: https://docs.gitlab.com/security/tokens/#incoming-email-token",
    positives: ["reply+glimt-VlEVowYXWcXRIijgjy9MdTRaU@incoming.gitlab.com", "INCOMING_TOKEN=glimt-epWdYpjE_loDeyCQF1l4dul7a"],
    negatives: ["INCOMING_TOKEN=glimt-nwTMat5hFhSZyhp", "INCOMING_TOKEN=glimt-d8JY0raFTJGunAvJ2aUI_IKj5Mkoak4XCWH"],
  }),
  gitlabToken({
    id: "gitlab-kubernetes-agent-token",
    title: "GitLab agent for Kubernetes token",
    risk: "Lets anyone connect a rogue agent in the real one's place: it receives the GitOps manifests and CI/CD `kubectl` traffic meant for the cluster, which often carry secrets.",
    prefix: "glagent-",
    body: "[0-9A-Za-z_-]{50}",
    severity: "high",
    remediation: "Revoke the agent token (Operate > Kubernetes clusters > agent > Access tokens): https://docs.gitlab.com/user/clusters/agent/work_with_agent/#reset-the-agent-token",
    positives: ["helm upgrade --install agent gitlab/gitlab-agent --set config.token=glagent-NFmqTdApphEdrk6koernC_B86mYQyUj7aCTrxPcV7P7DJlnZmf", "AGENT_TOKEN=glagent-ZvWtpFLMxVL0KYfmzk3Zz6qqN7Ad7nnoF1Y_R9uUvaODBKpFBI"],
    negatives: ["AGENT_TOKEN=glagent-gBOav09JWmlRFaYPDTY8_kvO4qX_rC", "AGENT_TOKEN=glagent-860h-lRbUT5u49YJnx4EuS68FqgG2CGYFDVpln07AVnuJvC4wSU7brJ2UpxP"],
  }),
  gitlabToken({
    id: "gitlab-scim-token",
    title: "GitLab SCIM OAuth token",
    risk: "Provisions and deprovisions group members through SCIM: create accounts in the group, change their identities or remove users, letting an attacker in or locking people out.",
    prefix: "glsoat-",
    body: "[0-9A-Za-z_-]{20}",
    severity: "high",
    remediation: "Reset the SCIM token in the group's SAML SSO settings: https://docs.gitlab.com/user/group/saml_sso/scim_setup/",
    positives: ["SCIM_TOKEN=glsoat-rUwIPhjj9y7HW8veulMV", "scim: { token: 'glsoat-mFAepQIYnXz8SnhlQD9q' }"],
    negatives: ["SCIM_TOKEN=glsoat-tSVdAAbvz9QC", "SCIM_TOKEN=glsoat-N0rVQODYfWUSFLki2kScBSkaoFsE"],
  }),
  gitlabToken({
    id: "gitlab-feature-flags-client-token",
    title: "GitLab feature flags client token",
    risk: "Reads the project's feature flag definitions and strategies; it is meant for application clients and grants nothing else, hence medium.",
    prefix: "glffct-",
    body: "[0-9A-Za-z_-]{20}",
    severity: "medium",
    remediation: "Reset the instance ID in Deploy > Feature flags > Configure: https://docs.gitlab.com/operations/feature_flags/",
    positives: ["UNLEASH_INSTANCE_ID=glffct-GUC-ijh6bk2GurU6JMbn", 'instanceId: "glffct-QjOFI61L_OlvT8q9kxWI"'],
    negatives: ["UNLEASH_INSTANCE_ID=glffct-DXxivO20FLKY", "UNLEASH_INSTANCE_ID=glffct-nXA9W3ARgCFaQGV2dB87ItGyV"],
  }),
];
