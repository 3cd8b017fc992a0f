/**
 * Google Cloud. Service-account key files are JSON: the file is recognised by `"type":
 * "service_account"` and its `private_key_id`; the PEM inside it is reported by the private-key
 * rules. API keys (`AIza`), OAuth client secrets (`GOCSPX-`) and OAuth tokens carry prefixes.
 * Cloud Storage HMAC secrets look like AWS secret keys (40 base64 characters) and are named
 * `gs_secret_access_key` by gsutil's `.boto`; this family comes before AWS's in the table so that
 * name is not read as AWS's `secret_access_key`.
 */
import type { SecretRule } from "../rule.js";
import { keyed } from "./keyed.js";

export const gcpRules: readonly SecretRule[] = [
  {
    id: "gcp-storage-hmac-secret",
    provider: "Google Cloud",
    title: "Google Cloud Storage HMAC secret",
    risk: "With its access id (`GOOG1…`) it signs Cloud Storage requests (the S3-compatible XML API) as the service account or user: read, write and delete every bucket they can reach.",
    pattern: keyed(["gs secret access key", "gcs hmac secret", "gcs secret access key"], "[A-Za-z0-9/+]{40}", "A-Za-z0-9/+="),
    keywords: ["gs_secret_access_key", "gssecretaccesskey", "gs-secret-access-key", "gcs_hmac_secret", "gcshmacsecret", "gcs-hmac-secret", "gcs_secret_access_key", "gcssecretaccesskey", "gcs-secret-access-key"],
    minEntropy: 4.2,
    severity: "critical",
    remediation: "Deactivate and delete the HMAC key (Cloud Storage > Settings > Interoperability), then create a new one: https://cloud.google.com/storage/docs/authentication/managing-hmackeys",
    samples: {
      positives: ["gs_secret_access_key = q7Wc2Z+f9KbN1xTeLrV8mPaYd4HsJ0uGiQo3EkRn", 'GCS_HMAC_SECRET="Vb0nR5yQ+tL2eKw8ZcJ1uHa7Xs4Mf9DgPi3oWq6E"'],
      negatives: ["gs_secret_access_key = ${GS_SECRET}", "gs_secret_access_key = 57d6b11d487d7220f7ffca1a1e1a26966a82f734", "gs_access_key_id = GOOG1EZQ7XN4RJ3CW2PLHMK5TYVBSDF8A6UGE9"],
    },
  },
  {
    id: "gcp-service-account-key",
    provider: "Google Cloud",
    title: "Google Cloud service account key file",
    risk: "Authenticates as the service account with every IAM role it holds, often project-wide: read buckets and databases, start mining VMs; key files pushed publicly are abused within minutes.",
    pattern: /"type"\s{0,8}:\s{0,8}"service_account"[^}]{0,1000}?"private_key_id"\s{0,8}:\s{0,8}"(?<secret>[0-9a-f]{40})"/,
    keywords: ["service_account"],
    multiline: true,
    severity: "critical",
    remediation: "Delete the key in IAM > Service accounts > Keys and create a new one: https://cloud.google.com/iam/docs/keys-create-delete#deleting",
    samples: {
      positives: [
        '{\n  "type": "service_account",\n  "project_id": "billing-laevxy",\n  "private_key_id": "574ee3e51b9b78f7bd83fc9b4490377c620a279b",\n  "client_email": "deployer@billing-fvxclk.iam.gserviceaccount.com"\n}',
        '{"type":"service_account","project_id":"ml-rzztjzka","private_key_id":"f31d93aa38b0e6f0b4d7bfcbf08b685a074a39eb","client_id":"082022760671988196217"}',
      ],
      negatives: [
        '{\n  "type": "authorized_user",\n  "private_key_id": "62a354ac3cd1ba19a83b34242d08603a2716e0f7"\n}',
        '{\n  "type": "service_account",\n  "project_id": "billing-rvodlg",\n  "private_key_id": "60343d2f427dd51e"\n}',
        '{"type": "service_account", "private_key_id": "<KEY_ID>"}',
      ],
    },
  },
  {
    id: "gcp-api-key",
    provider: "Google Cloud",
    title: "Google API key",
    risk: "Bills calls to every API it is not restricted from (Maps, Gemini, Translate) to the project; keys in web pages are normal, but unrestricted ones are abused for paid quota, so it is reported.",
    pattern: /(?:^|[^0-9A-Za-z+/_-])(?<secret>AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z+/=_-]|$)/,
    keywords: ["aiza"],
    severity: "high",
    redactPrefix: "AIza",
    remediation: "Delete or regenerate the key in APIs & Services > Credentials, and restrict its APIs and referrers: https://cloud.google.com/docs/authentication/api-keys#securing",
    samples: {
      positives: ['const firebaseConfig = { apiKey: "AIzaSyolSTmZKvBZLLG_Ha1boAPO7AhpJM38qGD" };', "GOOGLE_API_KEY=AIzacRVlHV9KJpX0CGXBWkYCy4n1xhIIXozEw1Z"],
      negatives: ["GOOGLE_API_KEY=AIza5gmIcMK8bda50agR_ScxtkTV-FmnQ5", "GOOGLE_API_KEY=AIzaSyiZzeKR-uAB6AL5vZ_CLAVuGWscNjKANvqbDHZOQB"],
    },
  },
  {
    id: "gcp-oauth-client-secret",
    provider: "Google Cloud",
    title: "Google OAuth client secret",
    risk: "With the client id it lets someone pose as the app in OAuth flows: phish users with its consent screen and trade stolen authorization codes for access to their Google data.",
    pattern: /\b(?<secret>GOCSPX-[0-9A-Za-z_-]{28})(?:[^0-9A-Za-z_-]|$)/,
    keywords: ["gocspx-"],
    severity: "high",
    redactPrefix: "GOCSPX-",
    remediation: "Reset the client secret in APIs & Services > Credentials: https://support.google.com/cloud/answer/15549257",
    samples: {
      positives: ['"client_secret": "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"', "GOOGLE_CLIENT_SECRET=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"],
      negatives: ["GOOGLE_CLIENT_SECRET=GOCSPX-dJ8-LFyAhPcQ2U5j1Ho6", "GOOGLE_CLIENT_SECRET=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kFCYomwi"],
    },
  },
  {
    id: "gcp-oauth-access-token",
    provider: "Google Cloud",
    title: "Google OAuth access token",
    risk: "Calls Google APIs as the user or service account with the token's scopes (Gmail, Drive, Cloud) until it expires, usually within an hour.",
    pattern: /\b(?<secret>ya29\.[0-9A-Za-z_-]{50,})(?:[^0-9A-Za-z_.-]|$)/,
    keywords: ["ya29."],
    minEntropy: 4,
    severity: "high",
    redactPrefix: "ya29.",
    remediation: "Revoke the token (it expires within an hour; revoke the grant that issued it): https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke",
    samples: {
      positives: ["Authorization: Bearer ya29.a05Z-URr1ZbTn4YH6yuXjcO3S8Me-juv1gLyn6KfcIhHn1NXJoapSVFL_GGtJdZEL81gn3qQkuDXXysPHH0g0pzOxa3KldnHXcjWm5tV37xNbM0DAUg7bL123WYUy8W5pybVXyP8hfEuicLa8tC2onyW", 'access_token = "ya29.W_xqBGKX7hH-gB-GW2ruOJspRcJiqOjBS7fw9YlITNzLJP5HPXXO47seZ7zPMX5BJLzK43ksI9hwMokyS-s73FAQPg_v-FNOFLdhAyVoMVMSZMZTD1u4If4f"'],
      negatives: ["Authorization: Bearer ya29.rzcqTq8QJXM78Wz4zrPF", "version = ya29.1"],
    },
  },
  {
    id: "gcp-oauth-refresh-token",
    provider: "Google Cloud",
    title: "Google OAuth refresh token",
    risk: "With the app's client id and secret (often stored beside it) it mints new access tokens for the granted scopes until the grant is revoked: lasting access to the user's data.",
    pattern: /(?:^|[^0-9A-Za-z/])(?<secret>1\/\/0[0-9A-Za-z_-]{60,400})(?:[^0-9A-Za-z_-]|$)/,
    keywords: ["1//0"],
    minEntropy: 4,
    severity: "high",
    redactPrefix: "1//0",
    remediation: "Revoke the grant in the Google account's third-party access page or via the revoke endpoint: https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke",
    samples: {
      positives: ['"refresh_token": "1//0g-ycAFIeH1qOp-y2-atQn73TAxMtkP-XF-apIuUgqh4ALgIcjBAc1ZmoS4jTSQ0cZixKUYJ1LbxagNiuP37QbFX4gnARDAbbCLmO-"', "GOOGLE_REFRESH_TOKEN=1//0eVZZzk66pOymAx8q_B1t-Lbkb5GBpwS9HNxvfQ0jtVaWyyWF1NmrnCy4iMxAutTPjxwgaw7bXRg9fU1dD9Xch_0NCuye1IOag"],
      negatives: ["GOOGLE_REFRESH_TOKEN=1//08ABI0c6EPbQZgdy0HVJn", "see https://1//0nmlERheOogqScHFSNa13eeFBo_YWTuB2QaQg3HroAFtReQyujqOhX3aQ08GXCvODTVsKlG"],
    },
  },
];
