/**
 * pr-sentinel's own credential: the scanning API's tokens (`pr-sentinel tokens create`), laid out
 * like GitHub's (`prs_` + 43 base62 + a 6-character base62 CRC-32 of the body) so that a leaked
 * one is recognised offline, by us and by any scanner that reads this rule.
 */
import type { SecretRule } from "../rule.js";
import { hasValidBase62Crc32Checksum } from "../validators/github-token.js";

export const prSentinelRules: readonly SecretRule[] = [
  {
    id: "pr-sentinel-api-token",
    provider: "pr-sentinel",
    title: "pr-sentinel scanning API token",
    risk: "Lets anyone call the operator's scanning API under this token's name and rate: its scans cost the server CPU and are logged as the token's owner.",
    pattern: /\b(?<secret>prs_[0-9A-Za-z]{49})\b/,
    keywords: ["prs_"],
    validate: hasValidBase62Crc32Checksum,
    severity: "high",
    redactPrefix: "prs_",
    remediation: "Revoke it with `pr-sentinel tokens revoke <its first 12 characters>` and issue a new one with `pr-sentinel tokens create`: https://github.com/pr-sentinel/pr-sentinel/blob/main/docs/api.md#tokens",
    samples: {
      positives: ["PR_SENTINEL_TOKEN=prs_BmP11FpwyKmDPRoiyEXD8xlXwh09biHCV9dOrgPThQY2m14fp", 'curl -H "Authorization: Bearer prs_5EJtWQqofn442UPHApeyDBEPfULyHUFaPu3Vcr3ded42oK01T"'],
      // A wrong checksum, a token cut short, a filler.
      negatives: ["PR_SENTINEL_TOKEN=prs_BmP11FpwyKmDPRoiyEXD8xlXwh09biHCV9dOrgPThQY2m14fA", "PR_SENTINEL_TOKEN=prs_BmP11FpwyKmDPRoiyEXD8xlXwh09biHCV9dOrgPThQY2m14", "prs_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    },
  },
];
