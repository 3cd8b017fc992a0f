/**
 * The credential files that cloud and registry CLIs write into a home directory, committed with it
 * (a dotfiles repository, a Docker build context, a copied `~/.aws`). Each is named where the tool
 * writes it and judged by the key that holds the credential, whose value must be a literal (an
 * `${NPM_TOKEN}` reference, a placeholder or an empty value is fine):
 * - AWS `.aws/credentials` and `.aws/config`, Boto `.boto`, and any INI-style file with a
 *   `[section]` and an `aws_secret_access_key`; s3cmd `.s3cfg` (`secret_key`);
 * - GCP service-account keys (`"type": "service_account"` with a `private_key`) and user
 *   credentials (`authorized_user` with a `refresh_token`), in any `.json`; `external_account`
 *   (workload identity federation) holds no secret;
 * - Azure CLI token caches (`accessTokens.json`, `msal_token_cache.json`) and
 *   `service_principal_entries.json`; `azureProfile.json` holds only subscription and tenant ids
 *   and the signed-in account, so it is low: it shows the `.azure` folder came along;
 * - Docker `.docker/config.json` and `.dockercfg` with a registry `auth` (base64 `user:password`)
 *   or identity token; `credsStore`/`credHelpers` entries are fine;
 * - npm `.npmrc` `_authToken`/`_auth`/`_password`, Yarn `.yarnrc.yml` `npmAuthToken`/`npmAuthIdent`
 *   and classic `.yarnrc` `_authToken`; PyPI `.pypirc` `password`; RubyGems `.gem/credentials`;
 * - Terraform CLI `.terraformrc`/`terraform.rc` and `credentials.tfrc.json` tokens; GitHub CLI
 *   `gh/hosts.yml` and hub's `.config/hub` `oauth_token`; Kaggle `kaggle.json`; Databricks
 *   `.databrickscfg`; DigitalOcean `doctl/config.yaml`.
 * Documentation is not read (Markdown quoting a `.npmrc` is not one): only these names, and for the
 * two content rules only INI-style or JSON files.
 */
import type { Severity } from "../../../../core/types.js";
import { defineAudit } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { atLeast, jsonKeyLine, literalLine, parseJsonObject, type CredentialLine } from "./_credential-lines.js";
import { isLiteralCredential } from "./_credential-value.js";
import { CONTENT_SNIFF_LIMIT, textOf } from "./_file-content.js";
import { fileFinding } from "./_file-finding.js";
import { describePath, inFolder, type FilePath } from "./_file-path.js";

interface Detector {
  /** What the file is, for the message: "AWS shared credentials file". */
  readonly what: string;
  /** What the credential gives, completing "it gives …". */
  readonly gives: string;
  readonly severity?: Severity;
  /** Whether the file may be this one; content rules that read any file of a kind cap their reading. */
  applies(file: FilePath): "name" | "content" | false;
  find(text: string): CredentialLine | undefined;
}

const INI_EXTENSIONS = new Set(["", "ini", "cfg", "conf", "config", "credentials"]);
const SECTION = /^\s*\[[^\]\n]{1,200}\]\s*$/m;

const DETECTORS: readonly Detector[] = [
  {
    what: "AWS shared credentials file",
    gives: "API access to the AWS account as that IAM identity",
    applies: (f) =>
      (inFolder(f, ".aws") && (f.name === "credentials" || f.name === "config")) || f.name === ".boto" || f.name === "boto.cfg"
        ? "name"
        : INI_EXTENSIONS.has(f.extension) && !f.name.startsWith(".env")
          ? "content"
          : false,
    find: (text) =>
      text.includes("secret_access_key") && SECTION.test(text)
        ? literalLine(text, /^\s*((?:aws|gs)_secret_access_key)\s*[=:]\s*(.*)$/i, { accept: atLeast(16) })
        : undefined,
  },
  {
    what: "s3cmd configuration",
    gives: "API access to the storage account it is configured for",
    applies: (f) => (f.name === ".s3cfg" || f.name === "s3cfg" ? "name" : false),
    find: (text) => literalLine(text, /^\s*(secret_key)\s*=\s*(.*)$/, { accept: atLeast(8) }),
  },
  {
    what: "Google Cloud credential file",
    gives: "access to Google Cloud as that service account or user",
    applies: (f) => (f.extension === "json" ? "content" : false),
    find: googleCredential,
  },
  {
    what: "Azure CLI token cache",
    gives: "access to Azure as the signed-in account until the tokens are revoked",
    applies: (f) => (f.name === "accesstokens.json" || f.name === "msal_token_cache.json" ? "name" : false),
    find: (text) =>
      literalLine(text, /"(accessToken|refreshToken|secret)"\s*:\s*("[^"]*")/, { accept: atLeast(20) }),
  },
  {
    what: "Azure CLI service principal store",
    gives: "access to Azure as those service principals",
    applies: (f) => (f.name === "service_principal_entries.json" ? "name" : false),
    find: (text) => literalLine(text, /"(client_secret|secret)"\s*:\s*("[^"]*")/, { accept: atLeast(8) }),
  },
  {
    what: "Azure CLI profile",
    gives: "the subscription and tenant ids and the signed-in account, and shows that the `.azure` folder with its token caches came along",
    severity: "low",
    applies: (f) => (f.name === "azureprofile.json" ? "name" : false),
    find: (text) => (text.includes('"subscriptions"') ? { line: jsonKeyLine(text, "subscriptions"), field: "subscriptions" } : undefined),
  },
  {
    what: "Docker client configuration",
    gives: "push and pull access to the registry as that account",
    applies: (f) =>
      (inFolder(f, ".docker") && f.name === "config.json") || f.name === ".dockercfg" || f.name === ".dockerconfigjson" || f.name === "dockerconfig.json" ? "name" : false,
    find: dockerAuth,
  },
  {
    what: "npm configuration",
    gives: "publish access to the packages that token can write",
    applies: (f) => (f.name === ".npmrc" || f.name === "npmrc" ? "name" : false),
    find: (text) => literalLine(text, /^\s*(?:[^=\s]*:)?(_authToken|_auth|_password)\s*=\s*(.*)$/, { accept: atLeast(8) }),
  },
  {
    what: "Yarn configuration",
    gives: "publish access to the packages that token can write",
    applies: (f) => (f.name === ".yarnrc.yml" || f.name === ".yarnrc.yaml" || f.name === ".yarnrc" ? "name" : false),
    find: (text) =>
      literalLine(text, /^\s*(npmAuthToken|npmAuthIdent|npmPassword)\s*:\s*(.*)$/, { accept: atLeast(8) }) ??
      literalLine(text, /^\s*"?[^"\s]*(_authToken)"?\s+(.*)$/, { accept: atLeast(8) }),
  },
  {
    what: "PyPI configuration",
    gives: "upload access to the projects that account or token can publish",
    applies: (f) => (f.name === ".pypirc" || f.name === "pypirc" ? "name" : false),
    find: (text) => literalLine(text, /^\s*(password)\s*[=:]\s*(.*)$/, { accept: atLeast(6) }),
  },
  {
    what: "RubyGems credentials",
    gives: "push access to every gem of that account",
    applies: (f) => (inFolder(f, ".gem") && f.name === "credentials" ? "name" : false),
    find: (text) => literalLine(text, /^\s*:?([a-z_]*api_key|github):?\s*:\s*(.*)$/, { accept: atLeast(8) }),
  },
  {
    what: "Terraform CLI credentials",
    gives: "access to HCP Terraform or the private registry as that user, with its workspaces' state",
    applies: (f) => (f.name === ".terraformrc" || f.name === "terraform.rc" || f.name === "credentials.tfrc.json" ? "name" : false),
    find: (text) => literalLine(text, /^\s*"?(token)"?\s*[=:]\s*("[^"]*")/, { accept: atLeast(8) }),
  },
  {
    what: "GitHub CLI login",
    gives: "the GitHub account's repositories and settings, as far as the token's scopes reach",
    applies: (f) => ((inFolder(f, "gh") && (f.name === "hosts.yml" || f.name === "hosts.yaml")) || (inFolder(f, ".config") && f.name === "hub") ? "name" : false),
    find: (text) => literalLine(text, /^\s*(oauth_token)\s*:\s*(.*)$/, { accept: atLeast(8) }),
  },
  {
    what: "Kaggle API credentials",
    gives: "the Kaggle account's API",
    applies: (f) => (f.name === "kaggle.json" ? "name" : false),
    find: (text) => literalLine(text, /"(key)"\s*:\s*("[^"]*")/, { accept: atLeast(16) }),
  },
  {
    what: "Databricks CLI configuration",
    gives: "the Databricks workspace as that user",
    applies: (f) => (f.name === ".databrickscfg" ? "name" : false),
    find: (text) => literalLine(text, /^\s*(token|password|client_secret)\s*=\s*(.*)$/, { accept: atLeast(8) }),
  },
  {
    what: "DigitalOcean CLI configuration",
    gives: "the DigitalOcean account's API",
    applies: (f) => (inFolder(f, "doctl") && (f.name === "config.yaml" || f.name === "config.yml") ? "name" : false),
    find: (text) => literalLine(text, /^\s*(access-token)\s*:\s*(.*)$/, { accept: atLeast(16) }),
  },
];

export const cloudCredentialsFile = defineAudit<FileDocument>({
  id: "cloud-credentials-file",
  domain: "file",
  title: "Cloud or registry credentials file added",
  description: "A cloud CLI's or package registry's credential file (AWS, Google Cloud, Azure, Docker, npm, PyPI, RubyGems, Terraform, GitHub CLI) committed with a literal key or token gives its account to anyone who can read the repository.",
  severity: "high",
  confidence: "high",
  remediation:
    "Remove the file, revoke the key or token at its provider and issue a new one; in CI, use OIDC or a secret store and reference it (`${NPM_TOKEN}`), never commit the value.",
  link: "https://docs.github.com/en/code-security/secret-scanning/introduction/about-secret-scanning",
  samples: {
    valid: [
      {
        path: ".npmrc",
        text: "registry=https://registry.npmjs.org/\n@acme:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}\nsave-exact=true\n",
        note: "a token reference",
      },
      {
        path: "config/gcp/wif.json",
        text: '{\n  "type": "external_account",\n  "audience": "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/github",\n  "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",\n  "token_url": "https://sts.googleapis.com/v1/token"\n}\n',
        note: "workload identity federation holds no secret",
      },
      {
        path: "home/.docker/config.json",
        text: '{\n  "auths": { "ghcr.io": {} },\n  "credsStore": "desktop"\n}\n',
        note: "a credential helper keeps the secret",
      },
      {
        path: "docs/publishing.md",
        text: "Create `~/.pypirc`:\n\n```ini\n[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJGY0ZjM\n```\n",
        note: "documentation is not a credential file",
      },
    ],
    invalid: [
      {
        path: "dotfiles/.aws/credentials",
        text: "[default]\naws_access_key_id = AKIA4QWERTYUI7PLMNBV\naws_secret_access_key = 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\nregion = eu-west-1\n",
        lines: [3],
      },
      {
        path: "deploy/service-account.json",
        text: `{
  "type": "service_account",
  "project_id": "acme-prod",
  "private_key_id": "1f0c2b9e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e",
  "private_key": "-----BEGIN PRIVATE KEY-----\\nhdsjkr2tj4kbQ2J4LhDGxuB6uozZCQ32KeNyMVRS9X51b319sRLo09mq7/Bp1WrA\\nzE3dYYMcVKWc2eNOAoWW96zb0DbzpbSCW11qvkaP84vxDe03MsFs9WNgsrtxTWfY\\nvWVbpSJDN2j97cTxETmXZrZtdu90EDsIRVJDD3SgrcDFHzQ8BqAW77G53vbpfUmw\\n-----END PRIVATE KEY-----\\n",
  "client_email": "deployer@acme-prod.iam.gserviceaccount.com"
}
`,
        lines: [5],
      },
      { path: "packages/ui/.npmrc", text: "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm_Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXcVbNm\n", lines: [2] },
      {
        path: "ci/.docker/config.json",
        text: '{\n  "auths": {\n    "registry.acme.io": {\n      "auth": "ZGVwbG95OmY4S3ZxMnBMd045dA=="\n    }\n  }\n}\n',
        lines: [4],
      },
    ],
  },
  run(doc) {
    const file = describePath(doc.path);
    for (const detector of DETECTORS) {
      const how = detector.applies(file);
      if (how === false) continue;
      const text = textOf(doc, how === "content" ? CONTENT_SNIFF_LIMIT : undefined);
      if (text === undefined) continue;
      const found = detector.find(text);
      if (!found) continue;
      const field = found.field ? ` with a literal \`${found.field}\`` : "";
      return [
        fileFinding(doc, {
          line: found.line,
          message: `\`${file.baseName}\` is a ${detector.what}${field}: it gives ${detector.gives}.`,
          severity: detector.severity ?? "high",
        }),
      ];
    }
    return [];
  },
});

function googleCredential(text: string): CredentialLine | undefined {
  if (!text.includes('"type"') || (!text.includes('"private_key"') && !text.includes('"refresh_token"'))) return undefined;
  const json = parseJsonObject(text);
  if (!json) return undefined;
  if (json.type === "service_account" && typeof json.private_key === "string") {
    const key = json.private_key;
    if (key.includes("PRIVATE KEY") && key.length > 200 && isLiteralCredential(key)) return { line: jsonKeyLine(text, "private_key"), field: "private_key" };
  }
  if (json.type === "authorized_user" && typeof json.refresh_token === "string" && isLiteralCredential(json.refresh_token) && json.refresh_token.length >= 20) {
    return { line: jsonKeyLine(text, "refresh_token"), field: "refresh_token" };
  }
  return undefined;
}

/** A registry `auth` is base64 `user:password`; one without a password, or an identity token, is judged as written. */
function dockerAuth(text: string): CredentialLine | undefined {
  const json = parseJsonObject(text);
  if (!json) return undefined;
  const registries = json.auths !== null && typeof json.auths === "object" ? (json.auths as Record<string, unknown>) : json;
  for (const entry of Object.values(registries)) {
    if (entry === null || typeof entry !== "object") continue;
    const { auth, identitytoken, registrytoken, password } = entry as Record<string, unknown>;
    if (typeof auth === "string" && auth !== "" && hasPassword(auth)) return { line: jsonKeyLine(text, "auth"), field: "auth" };
    for (const [field, value] of [["identitytoken", identitytoken], ["registrytoken", registrytoken], ["password", password]] as const) {
      if (typeof value === "string" && isLiteralCredential(value)) return { line: jsonKeyLine(text, field), field };
    }
  }
  return undefined;
}

function hasPassword(auth: string): boolean {
  const decoded = Buffer.from(auth, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon > 0 && isLiteralCredential(decoded.slice(colon + 1));
}
