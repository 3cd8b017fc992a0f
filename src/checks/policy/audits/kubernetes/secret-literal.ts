/**
 * A `kind: Secret` committed with its values: base64 in `data` is an encoding, not encryption, so
 * everyone who can read the repository (and every fork and clone, forever) has the credential.
 * Secrets belong in the cluster through an encrypting or referencing controller (Sealed Secrets,
 * External Secrets, SOPS) or a secret store, and reach pods through `secretKeyRef`.
 *
 * Not reported: SealedSecret, ExternalSecret and other kinds (they hold ciphertext or references);
 * SOPS-encrypted files (a top-level `sops:` key, values `ENC[…]`); empty values and placeholders
 * (`${DB_PASSWORD}`, `{{ .Values.x }}`, `<replace-me>`, `changeme`, `<path:vault#key>` for the
 * Argo CD Vault plugin, also once base64-decoded); public parts (`tls.crt`, `ca.crt`, PEM
 * certificates) and connection facts that are not secret (`username`, `host`, `port`, `database`).
 * The value is never shown, only its redacted form. Confidence is medium: a demo's throwaway
 * password looks like a real one.
 */
import { redactSecret } from "../../../../core/redact.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { KubernetesDocument, KubernetesObject } from "../../domains/kubernetes.js";
import { asMap } from "../../domains/kubernetes.js";
import { objectLabel } from "./_workloads.js";

/** The last word of a key that names a connection fact or a public part, not a credential. */
const NOT_SECRET_WORD = /^(?:.*user|.*username|usr|.*name|.*host|.*hostname|port|.*address|addr|.*endpoint|region|.*namespace|database|db|dbname|.*email|mail|id|.*project|type|crt|cert|certificate|ca|pub|.*mtime)$/;
const TRAILING_QUALIFIER = /^(?:in|out|\d+)$/;
const REFERENCE = /^(?:\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|#\{[^}]*\}#?|__[A-Za-z0-9_]+__|<[^>]*>|ENC\[.*\]|(?:ref\+)?vault:.*|ref\+[a-z0-9]+:\/\/.*)$/;
const PLACEHOLDER_WORD =
  /^(?:change[-_ ]?(?:me|it|this)|replace[-_ ]?(?:me|this)?|placeholder|example|sample|dummy|fake|tests?|demo|secret|password|passwd|redacted|todo|tbd|none|null|nil|empty|undefined|your[-_ ].*|.*[-_ ]here|(?:test|example|dummy|fake|sample|demo|my|some|default|super)[-_ ]?(?:password|passwd|pass|pwd|secret|token|key)\d*)$/i;
const FILLER = /^(?:x+|\*+|\.+|-+|0+)$/i;
/** A setting, not a credential: a flag, a number, a date, a host name. */
const PLAIN_SETTING = /^(?:true|false|yes|no|on|off|-?\d+(?:\.\d+)?|\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:\/[A-Za-z0-9._/-]*)?)$/i;
/** `git@github.com:org/repo`: a Git remote in scp syntax names a user, never a password. */
const SCP_GIT_URL = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._/~-]*$/;
const CONFIG_FILE_NAME = /\.(?:ya?ml|json|ini|conf|cfg|toml|properties|xml|env|tpl|tmpl|txt|js|lua|py|sh)$/i;
const CONFIG_ASSIGNMENT = /^\s*["']?([A-Za-z0-9_.-]{1,100})["']?\s*[:=]\s*(.*)$/;
const CREDENTIAL_WORD = new Set(["password", "passwd", "pwd", "pass", "secret", "token", "apikey", "credentials"]);
const CREDENTIAL_PAIR = new Set(["api key", "access key", "private key", "secret key", "auth key", "signing key", "master key", "client secret", "auth token"]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const PASSWORD_HASH = /^\$(?:2[abxy]?|5|6|y|7|argon2(?:id|i|d)|pbkdf2[-\w]*|scrypt)\$/;
const SECRET_QUERY = /[?&][^=&]*(?:token|key|secret|sig|signature|password|pwd|auth)[^=&]*=/i;

export const secretLiteral = defineAudit<KubernetesDocument>({
  id: "secret-literal",
  domain: "kubernetes",
  title: "Secret committed in a manifest",
  description: "A `kind: Secret` with literal `data` or `stringData` puts the credential in the repository for everyone who can read it (base64 is an encoding, not encryption).",
  severity: "high",
  confidence: "medium",
  remediation: "Remove the value, rotate the credential, and deliver it through Sealed Secrets, External Secrets or SOPS (or create the Secret out of band) and `secretKeyRef`.",
  link: "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
  samples: {
    valid: [
      {
        note: "a SealedSecret holds ciphertext; the pod reads it through secretKeyRef",
        text: `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: db-credentials
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq8Fc2uCWm1xqkL7Yt4t0Fm1aKFx3rgoWxbI9Z
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0.0
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: password
`,
      },
      {
        note: "an ExternalSecret, and a Secret of placeholders filled in at deploy time",
        text: `apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: stripe
spec:
  secretStoreRef: {name: vault, kind: ClusterSecretStore}
  target: {name: stripe}
  data:
    - secretKey: api-key
      remoteRef: {key: payments/stripe, property: api_key}
---
apiVersion: v1
kind: Secret
metadata:
  name: app-env
type: Opaque
stringData:
  DATABASE_URL: \${DATABASE_URL}
  API_TOKEN: "<replace-me>"
  SMTP_PASSWORD: changeme
  username: app
data:
  webhook: Y2hhbmdlbWU=
  empty: ""
`,
      },
    ],
    invalid: [
      {
        text: `apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: shop
type: Opaque
data:
  username: c2hvcA==
  password: UzNjcjN0LVBhc3N3MHJkITIwMjQ=
`,
        lines: [9],
      },
      {
        note: "stringData, in a second document",
        text: `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: info
---
apiVersion: v1
kind: Secret
metadata:
  name: payments
stringData:
  API_KEY: 9f2c4e7a1b8d3f6e0a5c2b9d7e4f1a3c
  WEBHOOK_SECRET: Tz9pQm4LkV2sXr8bNc5
`,
        lines: [13, 14],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const object of doc.objects) {
      if (object.kind !== "Secret" || object.value.sops !== undefined) continue;
      findings.push(...literals(object, "data", true), ...literals(object, "stringData", false));
    }
    return findings;
  },
});

function literals(object: KubernetesObject, field: "data" | "stringData", encoded: boolean): AuditFinding[] {
  const entries = asMap(object.value[field]);
  if (!entries) return [];
  const findings: AuditFinding[] = [];
  for (const [name, raw] of Object.entries(entries)) {
    if (typeof raw !== "string" || !namesCredential(name) || isPlaceholder(raw)) continue;
    // `data` that is not base64 is refused by the API server: documentation prose, not a Secret.
    const value = encoded ? decodeBase64(raw) : raw;
    if (value === undefined || isPlaceholder(value) || isPlainSetting(value) || isCertificate(value)) continue;
    const base = { line: object.lineOf([field, name]), key: `${objectLabel(object)}/${field}.${name}` };
    if (isConfigFile(name, value)) {
      // A whole config file (grafana.ini, alertmanager.yaml) is a finding only where it holds a credential.
      const inside = embeddedCredential(value);
      if (inside === undefined) continue;
      findings.push({ ...base, message: `${objectLabel(object)} carries the file \`${name}\` in \`${field}\`, and it sets \`${inside}\` to a literal value; the repository now holds the credential.` });
      continue;
    }
    const hash = PASSWORD_HASH.test(value.trim());
    findings.push({
      ...base,
      message: `${objectLabel(object)} carries a literal ${hash ? "password hash" : "value"} for \`${name}\` in \`${field}\` (redacted: ${redactSecret(raw.trim())}); ${
        hash ? "a hash in the repository can be cracked offline" : "base64 is not encryption, and the repository now holds the credential"
      }.`,
      ...(hash ? { severity: "medium" as const } : {}),
    });
  }
  return findings;
}

/** A file's content rather than a credential: a file name as key, or several lines that are not a PEM block. */
function isConfigFile(name: string, value: string): boolean {
  return CONFIG_FILE_NAME.test(name) || (value.trim().includes("\n") && !value.trim().startsWith("-----BEGIN "));
}

/**
 * The first `key: value` / `key = value` / `"key": "value"` line of a config file whose key names a
 * credential and whose value is a literal (not `${ENV}`, `$__file{…}`, a path or a URL without one).
 */
function embeddedCredential(text: string): string | undefined {
  for (const line of text.split("\n")) {
    const match = CONFIG_ASSIGNMENT.exec(line);
    if (!match) continue;
    const [, key, rest] = match;
    if (!key || !isCredentialWord(key)) continue;
    const value = (rest ?? "").trim().replace(/,$/, "").replace(/^["']|["']$/g, "").trim();
    if (value.length < 3 || /^[$%{[|>/.~]/.test(value) || isPlaceholder(value) || isPlainSetting(value)) continue;
    return key;
  }
  return undefined;
}

function isCredentialWord(key: string): boolean {
  const words = wordsOf(key);
  const last = words[words.length - 1] ?? "";
  const lastTwo = words.slice(-2).join(" ");
  return CREDENTIAL_WORD.has(last) || CREDENTIAL_PAIR.has(lastTwo) || words.slice(-3).join(" ") === "client key data";
}

function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
}

/** `password`, `tls.key`, `.dockerconfigjson`; not `username`, `apiAddress`, `tls.crt`, `auth.username_in`. */
function namesCredential(key: string): boolean {
  const words = wordsOf(key);
  while (words.length > 1 && TRAILING_QUALIFIER.test(words[words.length - 1]!)) words.pop();
  const last = words[words.length - 1];
  return last === undefined || !NOT_SECRET_WORD.test(last);
}

function decodeBase64(raw: string): string | undefined {
  const compact = raw.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, "base64").toString("utf8");
}

function isPlaceholder(value: string): boolean {
  const text = pemBody(value.trim()) ?? value.trim();
  return text === "" || text.includes("{{") || REFERENCE.test(text) || PLACEHOLDER_WORD.test(text) || FILLER.test(text);
}

/** What sits between a PEM block's BEGIN and END lines (`...` in documentation), or undefined. */
function pemBody(text: string): string | undefined {
  if (!text.startsWith("-----BEGIN ")) return undefined;
  const lines = text.split("\n").map((l) => l.trim());
  const last = lines[lines.length - 1] ?? "";
  if (lines.length < 2 || !last.startsWith("-----END ")) return undefined;
  return lines.slice(1, -1).join("");
}

/** Flags, numbers, dates, host names and URLs that carry no password or token. */
function isPlainSetting(value: string): boolean {
  const text = value.trim();
  if (PLAIN_SETTING.test(text) || SCP_GIT_URL.test(text)) return true;
  if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text)) return false;
  try {
    const url = new URL(text);
    return url.password === "" && !SECRET_QUERY.test(url.search);
  } catch {
    return false;
  }
}

/** A PEM bundle of certificates only (public); a private key anywhere in it is a secret. */
function isCertificate(value: string): boolean {
  const text = value.trim();
  return text.startsWith("-----BEGIN CERTIFICATE-----") && !text.includes("PRIVATE KEY");
}
