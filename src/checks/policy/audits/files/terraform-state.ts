/**
 * Terraform state records every attribute of every resource in plain text, including the ones the
 * configuration marks `sensitive`: database master passwords, generated private keys
 * (`tls_private_key`), access keys of created IAM users, `random_password` results. A committed
 * `terraform.tfstate` (or its `.backup`, or `errored.tfstate`) hands all of them over, and lets
 * anyone map the infrastructure.
 *
 * Decisions:
 * - Names: `*.tfstate`, `*.tfstate.backup`, `*.tfstate.<timestamp>.backup`, and any state under
 *   `terraform.tfstate.d/`. Lock info (`.terraform.tfstate.lock.info`) holds no data.
 * - A readable state is judged by content: with resources or outputs (v4 `resources`, v1–3
 *   `modules[].resources`/`outputs`) it is high; an empty state (`terraform init` and nothing
 *   applied) gives nothing and is not reported. A state that is not JSON (binary, too large, or
 *   garbled) is reported by name at medium confidence.
 * - `.terraform/terraform.tfstate` is not state but the backend pointer: reported high only when its
 *   backend `config` carries a literal credential (`access_key`, `secret_key`, `token`, `password`,
 *   `sas_token`, `client_secret`, a `conn_str` with a password…); the S3 backend's `key` is the
 *   state object's path, not a credential.
 * - Anything else under `.terraform/` (provider binaries, module copies, the backend pointer without
 *   credentials) is the local working directory: low, low confidence, a reminder to ignore it.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { isLiteralCredential } from "./_credential-value.js";
import { findLine, textOf } from "./_file-content.js";
import { fileFinding } from "./_file-finding.js";
import { belowFolder, describePath, type FilePath } from "./_file-path.js";

/** Larger states are reported by name: parsing them costs more than it tells. */
const MAX_PARSE_CHARS = 20 * 1024 * 1024;
const BACKEND_CREDENTIAL_KEYS = new Set([
  "access_key", "secret_key", "token", "session_token", "access_token", "password", "client_secret", "client_certificate_password", "sas_token", "credentials", "conn_str",
]);

export const terraformState = defineAudit<FileDocument>({
  id: "terraform-state",
  domain: "file",
  title: "Terraform state added",
  description: "Terraform state holds every attribute of every managed resource in plain text, `sensitive` ones included (database passwords, generated keys, access keys), so committing it leaks them all.",
  severity: "high",
  confidence: "high",
  remediation:
    "Remove the file, add `*.tfstate*` and `.terraform/` to .gitignore, keep state in a remote backend with encryption and access control, and rotate the secrets it held.",
  link: "https://developer.hashicorp.com/terraform/language/state/sensitive-data",
  samples: {
    valid: [
      { path: "infra/terraform.tfstate", text: '{\n  "version": 4,\n  "terraform_version": "1.9.5",\n  "serial": 1,\n  "lineage": "8d0b7c1e-2f4a-4c55-9a57-0f8e0e7f0a11",\n  "outputs": {},\n  "resources": [],\n  "check_results": null\n}\n', note: "an empty state" },
      { path: "infra/.terraform.lock.hcl", text: 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.70.0"\n}\n', note: "the dependency lock file is meant to be committed" },
      { path: "infra/.terraform.tfstate.lock.info", text: '{"ID":"4c1f","Operation":"OperationTypeApply","Who":"ci@runner"}\n', note: "lock info holds no state" },
    ],
    invalid: [
      {
        path: "infra/terraform.tfstate",
        text: `{
  "version": 4,
  "terraform_version": "1.9.5",
  "serial": 7,
  "lineage": "8d0b7c1e-2f4a-4c55-9a57-0f8e0e7f0a11",
  "outputs": {},
  "resources": [
    {
      "mode": "managed",
      "type": "aws_db_instance",
      "name": "main",
      "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
      "instances": [{ "schema_version": 2, "attributes": { "identifier": "app-db", "password": "q8Vt2nLp0wXs" } }]
    }
  ]
}
`,
        lines: [1],
      },
      { path: "infra/terraform.tfstate.backup", text: "\u0000\u0000garbled", lines: [1], note: "not JSON: by name" },
      {
        path: "infra/.terraform/terraform.tfstate",
        text: '{\n  "version": 3,\n  "backend": {\n    "type": "s3",\n    "config": {\n      "bucket": "acme-tf-state",\n      "access_key": "AKIA4QWERTYUI7PLMNBV",\n      "secret_key": "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"\n    }\n  }\n}\n',
        lines: [7],
        note: "backend credentials in the working directory",
      },
      { path: "infra/.terraform/providers/registry.terraform.io/hashicorp/aws/5.70.0/linux_amd64/LICENSE.txt", text: "Copyright (c) HashiCorp\n", lines: [1], note: "the local working directory: low" },
    ],
  },
  run(doc) {
    const file = describePath(doc.path);
    if (isStateName(file)) return stateFindings(doc, file);
    if (belowFolder(file, ".terraform")) {
      return [
        fileFinding(doc, {
          message: `\`${file.baseName}\` is part of Terraform's local working directory (\`.terraform/\`: provider binaries, module copies, backend settings), which is machine-specific and can carry backend credentials.`,
          severity: "low",
          confidence: "low",
        }),
      ];
    }
    return [];
  },
});

function isStateName(file: FilePath): boolean {
  if (file.name.endsWith(".lock.info")) return false;
  return /\.tfstate(?:\.|$)/.test(file.name) || (file.folders.includes("terraform.tfstate.d") && file.extension === "tfstate");
}

function stateFindings(doc: FileDocument, file: FilePath): AuditFinding[] {
  const text = textOf(doc, MAX_PARSE_CHARS);
  const state = text === undefined ? undefined : parseJson(text);
  if (state === undefined || typeof state !== "object" || state === null || Array.isArray(state)) {
    if (text !== undefined && text.trim() === "") return [];
    return [
      fileFinding(doc, {
        message: `\`${file.baseName}\` is named as Terraform state, which holds resource attributes and their secrets in plain text.`,
        severity: "high",
        confidence: "medium",
      }),
    ];
  }
  const record = state as Record<string, unknown>;
  if (hasManagedData(record)) {
    return [
      fileFinding(doc, {
        message: `\`${file.baseName}\` is Terraform state with resources or outputs: it holds their attributes in plain text, \`sensitive\` ones included.`,
        severity: "high",
      }),
    ];
  }
  const credential = backendCredential(record, text!);
  if (credential) {
    return [
      fileFinding(doc, {
        line: credential.line,
        message: `\`${file.baseName}\` records the \`${credential.backend}\` backend's settings with a literal \`${credential.key}\`: it gives access to the remote state and everything in it.`,
        severity: "high",
      }),
    ];
  }
  if (belowFolder(file, ".terraform")) {
    return [
      fileFinding(doc, {
        message: `\`${file.baseName}\` is Terraform's backend pointer in the local working directory (\`.terraform/\`), which is machine-specific and belongs in .gitignore.`,
        severity: "low",
        confidence: "low",
      }),
    ];
  }
  return [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
}

const nonEmpty = (value: unknown): boolean =>
  Array.isArray(value) ? value.length > 0 : value !== null && typeof value === "object" ? Object.keys(value).length > 0 : false;

function hasManagedData(state: Record<string, unknown>): boolean {
  if (nonEmpty(state.resources) || nonEmpty(state.outputs)) return true;
  // Formats 1 to 3 nest resources and outputs per module.
  if (!Array.isArray(state.modules)) return false;
  return state.modules.some((m) => m !== null && typeof m === "object" && (nonEmpty((m as Record<string, unknown>).resources) || nonEmpty((m as Record<string, unknown>).outputs)));
}

function backendCredential(state: Record<string, unknown>, text: string): { key: string; backend: string; line: number } | undefined {
  const backend = state.backend;
  if (backend === null || typeof backend !== "object") return undefined;
  const { type, config } = backend as Record<string, unknown>;
  if (config === null || typeof config !== "object") return undefined;
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (!BACKEND_CREDENTIAL_KEYS.has(key) || typeof value !== "string") continue;
    // A connection string counts only with a password in it; a credentials file path is no credential.
    if (key === "conn_str" && !/:\/\/[^\s:@/]*:[^\s@/]+@|password=\S/i.test(value)) continue;
    if (key === "credentials" && !value.trimStart().startsWith("{")) continue;
    if (!isLiteralCredential(value)) continue;
    const found = findLine(text, (line) => line.includes(`"${key}"`));
    return { key, backend: typeof type === "string" ? type : "configured", line: found?.line ?? 1 };
  }
  return undefined;
}
