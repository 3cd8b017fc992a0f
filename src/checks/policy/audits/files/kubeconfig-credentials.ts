/**
 * A kubeconfig with a literal credential is a key to the cluster: `kubectl --kubeconfig` with it
 * acts as that user (often `cluster-admin`, as cloud consoles and `kubeadm` hand out).
 *
 * Which files: `kubeconfig`, `*.kubeconfig`, `kubeconfig*.y(a)ml`, `kube-config.yaml`, `.kube/config`,
 * and any YAML or JSON file (or file without extension) that declares `kind: Config` at the top
 * level; what counts is the `users[].user` of each, as kubectl reads it:
 * - credentials: `token`, `client-key-data` (the client certificate's private key), `password`,
 *   and tokens an `auth-provider` cached in its `config` (`access-token`, `id-token`,
 *   `refresh-token`, `client-secret`);
 * - fine: `exec` plugins (`aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`), an
 *   `auth-provider` without cached tokens, `tokenFile` and `client-key` paths, a client
 *   certificate without its key, and what `kubectl config view` prints in place of data
 *   (`REDACTED`, `DATA+OMITTED`).
 * A kubeconfig that does not parse (or nests deeper than the YAML helper reads, `MAX_NESTING`) is scanned line by line for
 * the same keys, at medium confidence.
 */
import { lineOfPath, parseYamlDocuments, YamlError, type ParsedYaml } from "../../../../core/yaml.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { isLiteralCredential, unquote } from "./_credential-value.js";
import { CONTENT_SNIFF_LIMIT, findLine, textOf } from "./_file-content.js";
import { fileFinding } from "./_file-finding.js";
import { describePath, inFolder, type FilePath } from "./_file-path.js";

const CREDENTIAL_KEYS = ["token", "client-key-data", "password"] as const;
const CACHED_PROVIDER_TOKENS = ["access-token", "id-token", "refresh-token", "client-secret"] as const;
const CONTENT_EXTENSIONS = new Set(["", "yaml", "yml", "json", "conf", "config", "kubeconfig"]);
/** Top-level `kind: Config` (YAML) or `"kind": "Config",` (JSON); only spaces and tabs, so no run of them backtracks. */
const KIND_CONFIG = /^[ \t]{0,4}["']?kind["']?[ \t]*:[ \t]*["']?Config["']?[ \t]*(?:,[ \t]*)?$/m;

interface Credential {
  /** `undefined` when the file did not parse and the user is not known. */
  readonly user: string | undefined;
  readonly field: string;
  readonly line: number;
}

export const kubeconfigCredentials = defineAudit<FileDocument>({
  id: "kubeconfig-credentials",
  domain: "file",
  title: "Kubeconfig with credentials added",
  description: "A kubeconfig whose user carries a literal token, client key or password lets anyone who reads the repository act on the cluster as that user, often as an administrator.",
  severity: "high",
  confidence: "high",
  remediation:
    "Remove the file, revoke the credential (delete the ServiceAccount token or rotate the client certificate), and share access through an `exec` credential plugin or your cloud's login command instead.",
  link: "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins",
  samples: {
    valid: [
      {
        path: "deploy/kubeconfig.yaml",
        text: `apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster:
      server: https://4B2C7E.gr7.eu-west-1.eks.amazonaws.com
      certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
contexts:
  - name: prod
    context: { cluster: prod, user: ci }
current-context: prod
users:
  - name: ci
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: aws
        args: [eks, get-token, --cluster-name, prod]
`,
        note: "an exec plugin fetches short-lived tokens",
      },
      {
        path: "docs/cluster-access/kubeconfig",
        text: `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: DATA+OMITTED
    server: https://10.0.0.1:6443
  name: kind
users:
- name: kind-admin
  user:
    client-certificate-data: DATA+OMITTED
    client-key-data: DATA+OMITTED
    token: REDACTED
`,
        note: "the output of kubectl config view",
      },
    ],
    invalid: [
      {
        path: "ops/admin.kubeconfig",
        text: `apiVersion: v1
kind: Config
clusters:
- name: staging
  cluster:
    server: https://staging.k8s.internal:6443
users:
- name: deployer
  user:
    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IjNkY2Y2In0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpkZXBsb3llciJ9.Qm9n5s2X
contexts:
- name: staging
  context: { cluster: staging, user: deployer }
`,
        lines: [10],
      },
      {
        path: "clusters/lab/config.yaml",
        text: `apiVersion: v1
kind: Config
clusters: []
users:
  - name: lab-admin
    user:
      client-certificate-data: TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2sxSlNVTTVla05EUVdRclowRjNTVUpCWjBsSg==
      client-key-data: TFMwdExTMUNSVWRKVGlCU1UwRWdVRkpKVmtGVVJTQkxSVmt0TFMwdExRcE5TVWxGYjNkSlFrRkJTME5CVVVWQg==
`,
        lines: [8],
        note: "found by content: kind Config",
      },
    ],
  },
  run(doc) {
    const file = describePath(doc.path);
    const byName = isKubeconfigName(file);
    if (!CONTENT_EXTENSIONS.has(file.extension)) return [];
    const text = textOf(doc, byName ? undefined : CONTENT_SNIFF_LIMIT);
    if (text === undefined || (!byName && !KIND_CONFIG.test(text))) return [];
    let documents: ParsedYaml[];
    try {
      documents = parseYamlDocuments(text);
    } catch (error) {
      if (!(error instanceof YamlError) || !byName) return [];
      return lineScan(doc, file, text);
    }
    for (const parsed of documents) {
      const credentials = credentialsOf(parsed);
      if (credentials.length > 0) return [report(doc, file, credentials, "high")];
    }
    return [];
  },
});

function isKubeconfigName(file: FilePath): boolean {
  if (inFolder(file, ".kube") && file.name === "config") return true;
  // `kubeconfig.py`, `kubeconfig_test.go` are code about kubeconfigs.
  if (!CONTENT_EXTENSIONS.has(file.extension)) return false;
  const stem = file.name.replace(/\.(?:ya?ml|json)$/, "");
  return /(?:^|[._-])kube[_-]?config(?:$|[._-])/.test(stem);
}

function credentialsOf(parsed: ParsedYaml): Credential[] {
  const root = parsed.value;
  if (root === null || typeof root !== "object" || Array.isArray(root)) return [];
  const { users } = root as Record<string, unknown>;
  if (!Array.isArray(users)) return [];
  const found: Credential[] = [];
  users.forEach((entry, index) => {
    if (entry === null || typeof entry !== "object") return;
    const { name, user } = entry as Record<string, unknown>;
    if (user === null || typeof user !== "object") return;
    const label = typeof name === "string" ? name : `#${index + 1}`;
    const fields = user as Record<string, unknown>;
    for (const key of CREDENTIAL_KEYS) {
      if (isLiteral(fields[key])) found.push({ user: label, field: key, line: lineOfPath(parsed, ["users", index, "user", key]) ?? 1 });
    }
    const provider = fields["auth-provider"];
    const config = provider !== null && typeof provider === "object" ? (provider as Record<string, unknown>).config : undefined;
    if (config !== null && typeof config === "object") {
      for (const key of CACHED_PROVIDER_TOKENS) {
        if (isLiteral((config as Record<string, unknown>)[key])) {
          found.push({ user: label, field: `auth-provider ${key}`, line: lineOfPath(parsed, ["users", index, "user", "auth-provider", "config", key]) ?? 1 });
        }
      }
    }
  });
  return found;
}

const isLiteral = (value: unknown): boolean => typeof value === "string" && isLiteralCredential(value);

/** For a kubeconfig-named file that is not valid YAML: the credential keys, line by line. */
function lineScan(doc: FileDocument, file: FilePath, text: string): AuditFinding[] {
  const found = findLine(text, (line) => {
    const match = /^\s*(token|client-key-data|password|access-token|id-token|refresh-token|client-secret)\s*:\s*(.+)$/.exec(line);
    return match !== null && isLiteralCredential(unquote(match[2]!));
  });
  if (!found) return [];
  const field = found.text.trim().split(":")[0]!;
  return [report(doc, file, [{ user: undefined, field, line: found.line }], "medium")];
}

function report(doc: FileDocument, file: FilePath, credentials: readonly Credential[], confidence: "high" | "medium"): AuditFinding {
  const first = credentials[0]!;
  const users = new Set(credentials.map((c) => c.user)).size;
  const more = credentials.length > 1 ? ` (${credentials.length} credentials for ${users} user${users > 1 ? "s" : ""} in all)` : "";
  const whose = first.user === undefined ? "a user" : `user \`${first.user}\``;
  return fileFinding(doc, {
    line: first.line,
    message: `\`${file.baseName}\` is a kubeconfig in which ${whose} carries a literal \`${first.field}\`${more}: anyone who reads it can act on the cluster as that user.`,
    severity: "high",
    confidence,
  });
}

