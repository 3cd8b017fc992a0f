/**
 * Credentials sent in an HTTP header under a scheme other than Bearer and Basic (those are in
 * generic.ts): the scheme names the provider (`SSWS` is Okta, `GenieKey` Opsgenie, `Splunk` the
 * Splunk HTTP Event Collector, `DeepL-Auth-Key` DeepL), so these need no key name and are `high`.
 * Schemes many services share (`Token token=`, `Key`) and custom headers (`X-API-Key`,
 * `X-Auth-Token`) say only that a credential follows: they are `medium`, and the value must look
 * generated, not be a reference (`$TOKEN`, `${{ secrets.X }}`, `" + token`) or a placeholder.
 * They are found wherever the header is written: curl `-H`, `.http` files, header maps in code.
 *
 * Discord's `Authorization: Bot <token>` is not here: a Discord bot token proves itself (its first
 * part is the bot's id in base64), so messaging.ts reports it anywhere, header or not, once.
 */
import type { SecretRule } from "../rule.js";
import { UUID } from "./define.js";
import { ci } from "./keyed.js";

/** A UUID in either case: Splunk and Opsgenie show them upper-case in their consoles. */
const ANY_CASE_UUID = UUID.replace(/0-9a-f/g, "0-9a-fA-F");
/** Where a header value ends: a quote, a space, a separator or the end of the line. */
const VALUE_END = "(?:[\"'`\\s,;)}\\]\\\\]|$)";

/**
 * Generic header values: a reference or template is not a value (`$API_KEY`, `%API_KEY%`,
 * `{{ key }}`, `#{key}`, `<key>`), and a generated value has digits or both letter cases.
 */
export function looksLikeHeaderSecret(value: string): boolean {
  if (/^(?:\$|%|\{\{|#\{|<|@)/.test(value)) return false;
  // One-case words (`your-api-key`, `API_KEY_HERE`) and plain numbers are names and ids, not keys.
  if (/^[a-z_.-]+$/.test(value) || /^[A-Z_.-]+$/.test(value) || /^[0-9]+$/.test(value)) return false;
  return /[A-Za-z]/.test(value) && (/[0-9]/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value)));
}

export const authSchemeRules: readonly SecretRule[] = [
  {
    id: "okta-ssws-api-token",
    provider: "Okta",
    title: "Okta API token (SSWS)",
    risk: "Calls the Okta management API with the rights of the admin who created it: read and change users, groups, apps and sign-on policies of the whole organization.",
    pattern: /\bSSWS\s{1,4}(?<secret>00[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$)/,
    keywords: ["ssws"],
    minEntropy: 3.5,
    severity: "critical",
    redactPrefix: "00",
    remediation: "Revoke the token in the Admin Console (Security > API > Tokens) and create a new one: https://developer.okta.com/docs/guides/create-an-api-token/main/",
    samples: {
      positives: [
        "curl -H 'Authorization: SSWS 00Kd8sWq2LmX9c_Rt5VbN1cKw8JhY3sDf6GaEzPq7L' https://acme.okta.com/api/v1/users",
        '  headers: { Authorization: "SSWS 00uF3k-Wq9LmR2xNc8bJ4hT0sYa1GeVpR7zQ0oIlMn" },',
      ],
      negatives: ["curl -H \"Authorization: SSWS ${OKTA_API_TOKEN}\" https://acme.okta.com/api/v1/users", "Authorization: SSWS {apiToken}", "Authorization: SSWS 00xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    },
  },
  {
    id: "opsgenie-geniekey-header",
    provider: "Opsgenie",
    title: "Opsgenie API key (GenieKey header)",
    risk: "Creates, closes and reads alerts and on-call schedules through the Opsgenie API; an integration key can page or silence the people on call.",
    pattern: new RegExp(`\\bGenieKey\\s{1,4}(?<secret>${ANY_CASE_UUID})\\b`),
    keywords: ["geniekey"],
    minEntropy: 3,
    severity: "high",
    remediation: "Delete the API key or integration in Opsgenie (Settings > API key management, or the integration's page) and create a new one: https://support.atlassian.com/opsgenie/docs/api-key-management/",
    samples: {
      positives: [
        "curl -X POST https://api.opsgenie.com/v2/alerts -H 'Authorization: GenieKey 6d2f8b14-93ae-4c7b-b0f5-1e8a2c3d9f47'",
        'req.Header.Set("Authorization", "GenieKey A19C3E5F-7B2D-4E8A-9C61-0F4B7D2E8A35")',
      ],
      negatives: ["-H 'Authorization: GenieKey $OPSGENIE_API_KEY'", "Authorization: GenieKey <api key>"],
    },
  },
  {
    id: "splunk-hec-authorization-header",
    provider: "Splunk",
    title: "Splunk HTTP Event Collector token in an Authorization header",
    risk: "Sends events into the Splunk indexes the token may write, so someone can flood them or plant false logs that hide an attack.",
    pattern: new RegExp(`\\bSplunk\\s{1,4}(?<secret>${ANY_CASE_UUID})\\b`),
    keywords: ["splunk "],
    minEntropy: 3,
    severity: "high",
    // The token from Splunk's HEC documentation.
    allow: ["B5A79AAD-D822-46CC-80D1-819F80D7BFB0"],
    remediation: "Disable or delete the token in Settings > Data inputs > HTTP Event Collector and create a new one: https://docs.splunk.com/Documentation/Splunk/latest/Data/UsetheHTTPEventCollector",
    samples: {
      positives: [
        'curl -k https://splunk.acme.dev:8088/services/collector/event -H "Authorization: Splunk 4c9e1f2a-7d3b-4e8f-a6c5-9b0d2e1f3a7c" -d \'{"event": "ping"}\'',
        "  splunk_hec_header: 'Splunk E3A1C9F4-2B7D-4F6E-8A0C-5D9B1E7F3A26'",
      ],
      negatives: ['-H "Authorization: Splunk B5A79AAD-D822-46CC-80D1-819F80D7BFB0"', '-H "Authorization: Splunk $HEC_TOKEN"'],
    },
  },
  {
    id: "deepl-api-key",
    provider: "DeepL",
    title: "DeepL API authentication key",
    risk: "Translates text billed to the account's character quota, and on Pro plans to its credit card, and reads its glossaries and usage.",
    // Free-plan keys end in `:fx`, which marks them without a header; Pro keys need the header.
    pattern: new RegExp(`\\bDeepL-Auth-Key\\s{1,4}(?<secret>${UUID}(?::fx)?)\\b|\\b${UUID}:fx\\b`),
    keywords: ["deepl-auth-key", ":fx"],
    minEntropy: 3,
    severity: "high",
    remediation: "Delete the key in the DeepL account (API Keys tab) and create a new one: https://support.deepl.com/hc/en-us/articles/360020695820-API-key-for-DeepL-API",
    samples: {
      positives: [
        "curl -X POST https://api-free.deepl.com/v2/translate -H 'Authorization: DeepL-Auth-Key 8f3c2a71-5d9e-4b0f-a2c6-7e1d9b4f0a35:fx' -d 'text=Hallo'",
        'DEEPL_AUTH_KEY="c71e4a9d-2f3b-4c8e-9a05-6b1d7f2e3c94:fx"',
        "Authorization: DeepL-Auth-Key 2b9d6f13-8c4a-4e7b-b1f0-3a5c9e7d2f68",
      ],
      negatives: ["Authorization: DeepL-Auth-Key [yourAuthKey]", "-H 'Authorization: DeepL-Auth-Key $DEEPL_KEY'", "request_id: 8f3c2a71-5d9e-4b0f-a2c6-7e1d9b4f0a35"],
    },
  },
  {
    id: "token-authorization-header",
    provider: "Generic",
    title: "Hard-coded API token in an Authorization: Token token= header",
    risk: "Whoever sends this header is accepted as the token's user by the API, PagerDuty's REST API or a Rails service among others, until the token is revoked.",
    pattern: /\bToken\s{1,4}token=(?:\\?["'])?(?<secret>[A-Za-z0-9_+.~/-]{16,200}={0,2})(?:\\?["'`\s,;]|$)/i,
    keywords: ["token token="],
    minEntropy: 3.2,
    validate: looksLikeHeaderSecret,
    severity: "medium",
    confidence: "medium",
    remediation: "Revoke the token at the service it belongs to and load it from the environment or a secret manager: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    samples: {
      positives: ["curl -H 'Authorization: Token token=y_NbAkKc66ryYTWUXYEu' https://api.pagerduty.com/incidents", 'headers["Authorization"] = \'Token token="kR7vQ2mXc9LbT4wN8sYd3F"\''],
      negatives: ['headers["Authorization"] = "Token token=" + api_token', "Authorization: Token token=$PAGERDUTY_TOKEN", 'Authorization: Token token="{{ pagerduty_token }}"'],
    },
  },
  {
    id: "key-authorization-header",
    provider: "Generic",
    title: "Hard-coded API key in an Authorization: Key header",
    risk: "Whoever sends this header is accepted by the API as the key's owner, for example Firebase Cloud Messaging's legacy server key, which sends notifications to every user of the app.",
    pattern: /[Aa]uthorization["']?\s{0,4}[:=,]\s{0,4}["']?[Kk]ey(?:=|\s{1,4})(?<secret>[A-Za-z0-9_~+/:.-]{20,500}={0,2})(?:["'`\s,;)}\]]|$)/,
    keywords: ["authorization"],
    minEntropy: 3.5,
    validate: looksLikeHeaderSecret,
    severity: "medium",
    confidence: "medium",
    remediation: "Rotate the key at the service it belongs to and load it from the environment or a secret manager: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    samples: {
      positives: ["curl -H 'Authorization: key=Kp3QyP6LElEMBhrWyaj2L8ju7OFxVVhY' -H 'Content-Type: application/json' https://fcm.googleapis.com/fcm/send", '  "Authorization": "Key 9fT2kLm4Qx7Wc1Vb8Nz5Rj3Hd6Ys0Ga"'],
      negatives: ['"Authorization": "key=" + serverKey', "Authorization: key=$FCM_SERVER_KEY", "Authorization: Key <YOUR_SERVER_KEY>"],
    },
  },
  {
    id: "api-key-header",
    provider: "Generic",
    title: "Hard-coded API key in a custom header (X-API-Key, X-Auth-Token)",
    risk: "The service accepts whoever sends this header as the key's owner, with the owner's access and billing, until the key is rotated.",
    pattern: new RegExp(
      // Header names as written in requests: X-API-Key, X-Api-Token, X-Auth-Token, X-Access-Token, Api-Key.
      `(?:^|[^A-Za-z0-9_-])["']?(?:${ci("x-api-")}|${ci("x-auth-")}|${ci("x-access-")}|API-|Api-)(?:${ci("key")}|${ci("token")})["']?` +
        `\\s{0,4}(?::|,|=>)\\s{0,4}["'\`]?(?<secret>[A-Za-z0-9_~+/.=-]{16,200})${VALUE_END}`,
    ),
    keywords: ["x-api-key", "x-api-token", "x-auth-key", "x-auth-token", "x-access-key", "x-access-token", "api-key", "api-token"],
    minEntropy: 3.5,
    validate: looksLikeHeaderSecret,
    severity: "medium",
    confidence: "medium",
    remediation: "Rotate the key at the service it belongs to and load it from the environment or a secret manager: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    samples: {
      positives: [
        "curl -H 'X-API-Key: q7LmR2xWc9NbJ4hF0sYRt5VbN1cKw8Jh' https://api.acme.dev/v1/orders",
        'const res = await fetch(url, { headers: { "X-Auth-Token": "Tz8Nb5Jh4Fs1Yd7Pa0GeUpR7zQ2x" } });',
        "X-Api-Token: 9bF4kW2qLz7Xc1Vn8Mt5Rj3Hd6Ys0Ga",
        "requests.get(url, headers={'Api-Key': 'Wq9LmX2cTz8Nb5Jh4Fs1Yd7P'})",
      ],
      negatives: [
        "curl -H \"X-API-Key: $ACME_API_KEY\" https://api.acme.dev/v1/orders",
        "curl -H 'X-API-Key: ${{ secrets.ACME_API_KEY }}' https://api.acme.dev",
        'headers: { "X-Auth-Token": token }',
        "X-API-Key: your-api-key-here",
        'req.setHeader("X-Api-Key", "" + apiKey);',
      ],
    },
  },
];
