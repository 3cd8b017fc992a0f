/**
 * Source hosting besides GitHub and GitLab: Bitbucket (Cloud and Data Center), Azure DevOps,
 * Gitea and Sourcegraph. Atlassian's newer tokens start with a fixed marker (`ATBB`, `ATCTT3xFfGN0`)
 * and access tokens end in a CRC-32 (validators/atlassian-token.ts);
 * classic Azure DevOps PATs are 52 base32 characters and only matched next to their key names.
 */
import type { SecretRule } from "../rule.js";
import { hasValidAtlassianChecksum } from "../validators/atlassian-token.js";
import { keyedPattern } from "./keyed.js";

export const sourceHostingRules: readonly SecretRule[] = [
  {
    id: "bitbucket-app-password",
    provider: "Bitbucket",
    title: "Bitbucket Cloud app password",
    risk: "Acts as the user with the password's permissions: clone private repositories, push code and change pipelines, bypassing two-step verification.",
    pattern: /\b(?<secret>ATBB[A-Za-z0-9_=.-]{28,100})(?:[^A-Za-z0-9_=.-]|$)/,
    keywords: ["atbb"],
    minEntropy: 4,
    severity: "high",
    redactPrefix: "ATBB",
    remediation: "Revoke the app password in Personal settings > App passwords and move to API tokens: https://support.atlassian.com/bitbucket-cloud/docs/app-passwords/",
    samples: {
      positives: ["BITBUCKET_APP_PASSWORD=ATBBSMrk2CrBCK6F8JSIk2gK8fxd014E779D", "git clone https://ci-bot:ATBBP9KsRS8QbAJjOWdz9HZXcPGIF7qbF7C289E6@bitbucket.org/acme/api.git"],
      negatives: ["BITBUCKET_APP_PASSWORD=ATBBtxzbhhIThD", "BITBUCKET_APP_PASSWORD=ATBBxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    },
  },
  {
    id: "bitbucket-access-token",
    provider: "Bitbucket",
    title: "Bitbucket Cloud repository, project or workspace access token",
    risk: "Acts for the repository, project or workspace with its scopes: clone private code, push commits, and read or change pipelines and their variables.",
    pattern: /\b(?<secret>ATCTT3xFfGN0[A-Za-z0-9_=+/-]{100,400})(?:[^A-Za-z0-9_=+/-]|$)/,
    keywords: ["atctt3xffgn0"],
    validate: hasValidAtlassianChecksum,
    severity: "high",
    redactPrefix: "ATCTT3xFfGN0",
    remediation: "Revoke the access token in the repository's, project's or workspace's Access tokens settings: https://support.atlassian.com/bitbucket-cloud/docs/revoke-a-repository-access-token/",
    samples: {
      positives: ["BITBUCKET_TOKEN=ATCTT3xFfGN0TWnhXQq3MxM8r6HBqN1TDeS928dZ1NHmxALgYo8U96J0zSlWr5hhJVPt1TfD6BvNexeDZ-OIOhs65zViqeZWURAIbZmABRVyLq1iwL80xTrd5G2KJv6Jm27BlZKndzeEJUbimSMtPfYPl0Q5D0JBDJHxEmnv4tLwKTaFUGO_wi8=D251FB8E", "Authorization: \"Bearer ATCTT3xFfGN0jcLgIoYIplF2c6iQHwY6nt5C_lrstq3STBe39KXeOx7kpU9F3y4PRDZ_vpR3wtu2GRDZv_3zmfdxpj_xHpxpnIAa5G2wMgNSBscXTteI1pX7whUt5ndFdFIaIQlzGKLhh3TgMiQPXgCkBUAuxs5BZEVq7bYobyY_hPp_y_hYDGN=33577531\""],
      negatives: ["value=ATCTT3xFfGN0MVRp7LQKjHuUsF-yg1AtY2sWYNSCjAnRpMVMD20foEb37DcFVYeJkFu_kIN-S15wtwUFVdfHB3PB8reJMpH4GkOK8Y7V6Piv9dfgXa5qKxSIWyhbwvogf19vfa38-SE95A6XaZQZ-5M6Fu5HF8-avVDiPnCRk4JhPJMnOGU-ba-=4494974A", "value=ATCTT3xFfGN0iQXLEF0CKI5u9MMMJmLF", "value=ATCTT3HrZb8Bj8a1fPQMJsg6N4mOL1127a_bHOgBDpC5Kf0QVr9R_schfjMzLQVyHtcoT2nByocjsNjumc0UZErUKRV8OGbHtsfKdL7R_oAOXL87irHONvTLt9_tANBNLKzv9O4nQptF6qxUHGuAqvuJmBsLoD3QV8_SXsjnb-MIw1dgXD9BKliyq-"],
    },
  },
  {
    id: "bitbucket-data-center-token",
    provider: "Bitbucket",
    title: "Bitbucket Data Center HTTP access token",
    risk: "Acts as the user, project or repository on the server with its read, write or admin permission: clone private code and push changes.",
    pattern: /\b(?<secret>BBDC-[A-Za-z0-9+/@_-]{44})(?:[^A-Za-z0-9+/@_=-]|$)/,
    keywords: ["bbdc-"],
    minEntropy: 4,
    severity: "high",
    redactPrefix: "BBDC-",
    remediation: "Revoke the HTTP access token in Manage account > HTTP access tokens: https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html",
    samples: {
      positives: ["BITBUCKET_SERVER_TOKEN=BBDC-te/gSvm7mvjCnq3lnV5+pthAAbrd9OPEPKM9G5bfK8jQ", 'headers: { Authorization: "Bearer BBDC-gEF7_2abIqcRGSNrl11EEPXTJMHS7I6SLHHWXxl677Y0" }'],
      negatives: ["BITBUCKET_SERVER_TOKEN=BBDC-p/TT9Il62KNqgnued9lm", "BITBUCKET_SERVER_TOKEN=BBDC-0V2y494oou805USl3oKyO9rCo0HzOeKEtdXcIUZkNKA4PWRcUDAIgQudMWii"],
    },
  },
  {
    id: "azure-devops-pat",
    provider: "Azure DevOps",
    title: "Azure DevOps personal access token",
    risk: "Acts as the user across the organization with its scopes: read and push code, queue pipelines that deploy with service connections, and change work items.",
    ...keyedPattern(
      ["azure devops ext pat", "azure devops pat", "azure devops token", "azure devops personal access token", "azdo pat", "azdo token", "ado pat", "ado token", "vsts pat", "vsts token"],
      "[a-z2-7]{52}|[A-Za-z0-9]{84}",
      "A-Za-z0-9",
      ["azure_devops", "azuredevops", "azure-devops", "azdo", "ado_pat", "adopat", "ado_token", "adotoken", "vsts"],
    ),
    minEntropy: 4,
    severity: "critical",
    remediation: "Revoke the PAT in User settings > Personal access tokens: https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate#revoke-a-pat",
    samples: {
      positives: ["AZURE_DEVOPS_EXT_PAT=ha6shvqv2mzshvtdflmkeayyxtwvvhapn6dbrqgnbuyrdscwgmcb", 'ado_pat: "JrIZNgsgjlUCynTTSULiPjHdLvWXdEl0Jr4hrYwuKS5rsuyKXrBCZMDhWpqXUawpFA2y5B4sbqGVfbU7JyZB"'],
      negatives: ["AZURE_DEVOPS_EXT_PAT=w5zwmm3ixlw5efkjtb5htk43zzahamcut5pcfkvd", "AZURE_DEVOPS_ORG=https://dev.azure.com/acme"],
    },
  },
  {
    id: "gitea-access-token",
    provider: "Gitea",
    title: "Gitea or Forgejo access token",
    risk: "Acts as its user on the server within its scopes: read and push to repositories, manage issues and, for an admin, the whole instance.",
    ...keyedPattern(["gitea token", "gitea access token", "gitea api token", "forgejo token", "codeberg token"], "[0-9a-f]{40}", "0-9a-f", ["gitea", "forgejo", "codeberg"]),
    minEntropy: 3,
    severity: "high",
    remediation: "Delete the token in Settings > Applications > Access tokens and create a new one: https://docs.gitea.com/development/api-usage#generating-and-listing-api-tokens",
    samples: {
      positives: ["GITEA_TOKEN=9b16642f8089b1a6dcee225349b27b6362a77dcd", 'forgejo_token: "6dd06e6a491c1ced3357e033af6459988ce9d54e"'],
      negatives: ["GITEA_TOKEN=58e6068e6aa812943c49208af60bb78a", "GITEA_URL=https://git.acme.dev"],
    },
  },
  {
    id: "sourcegraph-access-token",
    provider: "Sourcegraph",
    title: "Sourcegraph access token",
    risk: "Searches all the code the user can see on the instance, often every private repository of the company, and calls its GraphQL API as the user.",
    pattern: /\b(?<secret>sgp_(?:(?:[a-fA-F0-9]{16}|local)_)?[a-fA-F0-9]{40})\b/,
    keywords: ["sgp_"],
    severity: "high",
    redactPrefix: "sgp_",
    remediation: "Delete the token in Settings > Access tokens: https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token",
    samples: {
      positives: ["SRC_ACCESS_TOKEN=sgp_636865d072fb53e5_b39fb8ba2723d69b0669b9404499c3d706bb87c5", 'token: "sgp_d35e77250cfcc3d14a4a477d562ed18f1a258c05"'],
      negatives: ["SRC_ACCESS_TOKEN=sgp_18425716c3729774beff", "SRC_ACCESS_TOKEN=sgp_u6xdboMMNMDIggBmcwD3EGePKGQ6oQPSt2ONWyek"],
    },
  },
];
