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
 * certificates) and connection facts that are not secret (`username`, `host`, `port`, `database`);
 * flags, numbers, dates and URLs without a password; values shorter than 8 characters under a key
 * that names no credential; `data` that is not base64 (the API server refuses it: it is prose in
 * documentation); whole config files (`grafana.ini`) unless a line of theirs sets a credential
 * (see _secret-values.ts). The value is never shown, only its redacted form. Confidence is
 * medium: a demo's throwaway password looks like a real one.
 */
import { redactSecret } from "../../../../core/redact.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { KubernetesDocument, KubernetesObject } from "../../domains/kubernetes.js";
import { asMap } from "../../domains/kubernetes.js";
import { decodeBase64, embeddedCredential, isCertificate, isConfigFile, isDeployTimeReference, isPasswordHash, isPlaceholder, isPlainSetting, mayHoldCredential, namesCredential } from "./_secret-values.js";
import { objectLabel } from "./_workloads.js";

/** Below this length a value under a neutral key (`foo_bar`, `source-key2`) is a demo's, not a credential. */
const MIN_NEUTRAL_LENGTH = 8;

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
    if (typeof raw !== "string" || !mayHoldCredential(name) || isDeployTimeReference(raw)) continue;
    // `data` that is not base64 is refused by the API server: documentation prose, not a Secret.
    const value = encoded ? decodeBase64(raw) : raw;
    if (value === undefined || isCertificate(value)) continue;
    const base = { line: object.lineOf([field, name]), key: `${objectLabel(object)}/${field}.${name}` };
    // Judged line by line: a config file mentions example.com or `...` without being a placeholder.
    if (isConfigFile(name, value)) {
      // A whole config file (grafana.ini, alertmanager.yaml) is a finding only where it sets a credential.
      const inside = embeddedCredential(value);
      if (inside !== undefined) {
        findings.push({ ...base, message: `${objectLabel(object)} carries the file \`${name}\` in \`${field}\`, and it sets \`${inside}\` to a literal value; the repository now holds the credential.` });
      }
      continue;
    }
    if (isPlaceholder(value, name) || isPlainSetting(value)) continue;
    if (!namesCredential(name) && value.trim().length < MIN_NEUTRAL_LENGTH) continue;
    const hash = isPasswordHash(value);
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
