/**
 * GitHub. Since April 2021 every token kind has its own prefix and ends in a CRC-32 checksum
 * (validators/github-token.ts), so a wrong or hand-typed value never reaches a reviewer.
 * Fine-grained personal access tokens (`github_pat_`) carry a SHA-256-based checksum
 * (validators/github-fine-grained-pat.ts). Tokens from
 * before 2021 were 40 hex characters and are only matched next to a GitHub key name.
 */
import type { SecretRule } from "../rule.js";
import { hasValidFineGrainedPatChecksum } from "../validators/github-fine-grained-pat.js";
import { hasValidBase62Crc32Checksum } from "../validators/github-token.js";
import { keyedPattern } from "./keyed.js";

const REVOKE_PAT = "https://github.com/settings/tokens";

export const githubRules: readonly SecretRule[] = [
  {
    id: "github-classic-pat",
    provider: "GitHub",
    title: "GitHub personal access token (classic)",
    risk: "Acts as its user with every scope it carries, usually `repo`: clone private code, push commits and workflows; tokens pushed to public repositories are tried by automated scanners within minutes.",
    pattern: /\b(?<secret>ghp_[A-Za-z0-9]{36})\b/,
    keywords: ["ghp_"],
    validate: hasValidBase62Crc32Checksum,
    severity: "critical",
    redactPrefix: "ghp_",
    verifier: "github",
    remediation: `Delete the token at ${REVOKE_PAT} (or report it via https://docs.github.com/en/code-security/secret-scanning) and create a new one with fewer scopes.`,
    samples: {
      positives: ["GITHUB_TOKEN=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", 'const octokit = new Octokit({ auth: "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" });'],
      negatives: ["GITHUB_TOKEN=ghp_1l32KVYPdOrFNF7iUASJqBIreA9iR01W8hfa", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "GITHUB_TOKEN=ghp_8OZSfEWrHan1VsSIWtw8ncmdlJoQJG"],
    },
  },
  {
    id: "github-oauth-token",
    provider: "GitHub",
    title: "GitHub OAuth app access token",
    risk: "Acts as the user who authorized the OAuth app, with its granted scopes (often `repo`): read private code, push commits and merge pull requests until it is revoked.",
    pattern: /\b(?<secret>gho_[A-Za-z0-9]{36})\b/,
    keywords: ["gho_"],
    validate: hasValidBase62Crc32Checksum,
    severity: "critical",
    redactPrefix: "gho_",
    verifier: "github",
    remediation: "Revoke the OAuth app's authorization (Settings > Applications > Authorized OAuth Apps) or via the API: https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token",
    samples: {
      positives: ["oauth_token: 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", '{"access_token":"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","token_type":"bearer"}'],
      negatives: ["oauth_token: gho_w9XpPgQzikSAEznAqQBgQQj8cZelVK02KnWa", "oauth_token: gho_upBT1JWNENqG4EjU4V4L"],
    },
  },
  {
    id: "github-user-to-server-token",
    provider: "GitHub",
    title: "GitHub App user-to-server token",
    risk: "Acts as the user through the app, limited to both the app's permissions and the user's access: read and change code, issues and pull requests until it expires, usually in eight hours.",
    pattern: /\b(?<secret>ghu_[A-Za-z0-9]{36})\b/,
    keywords: ["ghu_"],
    validate: hasValidBase62Crc32Checksum,
    severity: "high",
    redactPrefix: "ghu_",
    verifier: "github",
    remediation: "Revoke the user's authorization of the GitHub App (Settings > Applications > Authorized GitHub Apps): https://docs.github.com/en/apps/using-github-apps/reviewing-and-revoking-authorization-of-github-apps",
    samples: {
      positives: ["GH_USER_TOKEN=ghu_lkIRbWVwzDdH4S7OekHRD7v6t5qV2L0hFU71", "token = 'ghu_veHKD7vl50tFIlr4592ZmTgCaTdKse0xfZy7'"],
      negatives: ["GH_USER_TOKEN=ghu_yqUh9HUZrhoQKr1oTVyKdBDqO2WPFC2n5bMa", "GH_USER_TOKEN=ghu_85IpBeRpXkWFXWkpwvoD5l7uHTIVg16Dxh11x"],
    },
  },
  {
    id: "github-app-installation-token",
    provider: "GitHub",
    title: "GitHub App installation (server-to-server) token",
    risk: "Acts as the app on the repositories it is installed on, with its permissions (contents, pull requests, checks), for up to an hour after it was issued.",
    pattern: /\b(?<secret>ghs_[A-Za-z0-9]{36})\b/,
    keywords: ["ghs_"],
    validate: hasValidBase62Crc32Checksum,
    severity: "high",
    redactPrefix: "ghs_",
    verifier: "github",
    remediation: "Revoke the installation token via the API (it expires within an hour): https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token",
    samples: {
      positives: ["git remote set-url origin https://github.com/acme/api.git # token ghs_mMWYDnNeayxTGrgeSb5AFO9crKaeMR3Rd6jV", "INSTALLATION_TOKEN=ghs_f6wNtL7yztqjMVi60GqiSHse6NilLk23EOwA"],
      negatives: ["INSTALLATION_TOKEN=ghs_De9scFqvIKXnB0YiUQM4OW0rmCdOMb2efzma", "INSTALLATION_TOKEN=ghs_${TOKEN}"],
    },
  },
  {
    id: "github-refresh-token",
    provider: "GitHub",
    title: "GitHub App refresh token",
    risk: "With the app's client secret it mints new user tokens for six months, so whoever has it keeps acting as the user through the app long after each token expires.",
    pattern: /\b(?<secret>ghr_(?:[A-Za-z0-9]{76}|[A-Za-z0-9]{36}))\b/,
    keywords: ["ghr_"],
    // Refresh tokens have a 70-character body (36 in early tokens); both end in the checksum.
    validate: hasValidBase62Crc32Checksum,
    severity: "high",
    redactPrefix: "ghr_",
    verifier: "github",
    remediation: "Revoke the user's authorization of the GitHub App, which invalidates its refresh tokens: https://docs.github.com/en/apps/using-github-apps/reviewing-and-revoking-authorization-of-github-apps",
    samples: {
      positives: ["refresh_token=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", '"refresh_token": "ghr_lrksln4YxZSIr0AkhVnZDdgIWFdycZva9ALgzV4qgLi0OHh9rkUQ7Ys58yvI5BqRtWCJlR0YTCed"'],
      negatives: ["refresh_token=ghr_CHoeR0diBNvgV5sXZNSlX1r9Ey4dM33GldVa", "refresh_token=ghr_SiK0oo5Tacfn02RbCQTylXKYiSjyRsKl0ORarPbQn3ViVxgll29RhvaeimDC9KwHAL9jNa1HGAaa", "refresh_token=ghr_6h4ilxuBVGmn3U7BEP802zGlku0PzU3R8TbistAbInzfeqTB0N"],
    },
  },
  {
    id: "github-fine-grained-pat",
    provider: "GitHub",
    title: "GitHub fine-grained personal access token",
    risk: "Acts as its owner on the repositories and permissions it was granted, such as reading private code or pushing to branches, until it expires or is deleted.",
    pattern: /\b(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/,
    keywords: ["github_pat_"],
    validate: hasValidFineGrainedPatChecksum,
    severity: "critical",
    redactPrefix: "github_pat_",
    verifier: "github",
    remediation: "Delete the token at https://github.com/settings/personal-access-tokens and create a new one scoped to fewer repositories.",
    samples: {
      positives: ["GH_TOKEN=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", "auth: \"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\""],
      negatives: ["GH_TOKEN=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", "GH_TOKEN=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", "GH_TOKEN=github_pat_orLGfWPtyDhmPv23BYXZcF_tv3WJ16yCYlCzWBC1Uur7diHYv6PKN"],
    },
  },
  {
    id: "github-oauth-client-secret",
    provider: "GitHub",
    title: "GitHub OAuth app client secret",
    risk: "With the client id it lets someone pose as the app: exchange intercepted authorization codes for user tokens and phish users with the app's trusted name.",
    ...keyedPattern(["github client secret", "gh client secret", "github oauth client secret", "github oauth secret", "github app client secret"], "[0-9a-f]{40}", "0-9a-f", ["github_client_secret", "githubclientsecret", "gh_client_secret", "github_oauth", "githuboauth", "github-client-secret", "github_app_client_secret"]),
    minEntropy: 3,
    severity: "high",
    remediation: "Generate a new client secret and delete the old one in the OAuth or GitHub App settings: https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/modifying-an-oauth-app",
    samples: {
      positives: ["GITHUB_CLIENT_SECRET=3b10f62e8530c9517220fbebe414a1533005a5c4", 'githubClientSecret: "c06d5155d9cc9a1d6404e03dc19cf625514cc10e"'],
      negatives: ["GITHUB_CLIENT_SECRET=ac37d9a6ffecdfb65da8", "GITHUB_CLIENT_ID=Iv1.f8c4799d1ed430c5"],
    },
  },
  {
    id: "github-legacy-token",
    provider: "GitHub",
    title: "GitHub token in the pre-2021 format (40 hex characters)",
    risk: "A 40-hex token from before 2021 is usually a personal access or OAuth token: if still valid it acts as its user with all its scopes, such as reading private code and pushing.",
    ...keyedPattern(["github token", "github access token", "github pat", "github api token", "gh token", "github oauth token"], "[0-9a-f]{40}", "0-9a-f", ["github_token", "githubtoken", "github_access_token", "github_pat", "github_api_token", "gh_token", "github-token", "github_oauth_token"]),
    minEntropy: 3,
    confidence: "medium",
    severity: "high",
    verifier: "github",
    remediation: `Delete the token at ${REVOKE_PAT} and create a new one (new tokens carry a prefix and a checksum).`,
    samples: {
      positives: ["GITHUB_TOKEN=d0797224107d6f993e05aecb7d7d0df93179541b", 'github_api_token: "d08deeae4380a928727e9cbf50d4ba9470b94eb7"'],
      negatives: ["GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}", "GITHUB_SHA=97ce0cdd752f11c79930afbe903fbafe2d43592c", "GITHUB_TOKEN=5afc988718886af201a40344d2c3ac0c"],
    },
  },
];
