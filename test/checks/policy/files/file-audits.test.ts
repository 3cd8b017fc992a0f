/**
 * The file audits on the cases their samples do not cover: names in subfolders, upper case and
 * Windows paths, content that contradicts the name, test folders, the grade of each finding, its
 * key (the base name), messages that never quote the secret, and hostile input.
 */
import { describe, expect, it } from "vitest";
import type { Audit, AuditFinding } from "../../../../src/checks/policy/audit.js";
import { binaryFile } from "../../../../src/checks/policy/audits/files/binary-file.js";
import { cloudCredentialsFile } from "../../../../src/checks/policy/audits/files/cloud-credentials-file.js";
import { credentialStoreFile } from "../../../../src/checks/policy/audits/files/credential-store-file.js";
import { envFile } from "../../../../src/checks/policy/audits/files/env-file.js";
import { fileAudits } from "../../../../src/checks/policy/audits/files/index.js";
import { kubeconfigCredentials } from "../../../../src/checks/policy/audits/files/kubeconfig-credentials.js";
import { largeFile } from "../../../../src/checks/policy/audits/files/large-file.js";
import { privateKeyFile } from "../../../../src/checks/policy/audits/files/private-key-file.js";
import { terraformState } from "../../../../src/checks/policy/audits/files/terraform-state.js";
import type { FileDocument } from "../../../../src/checks/policy/domains/file.js";
import { policyOptionsSchema } from "../../../../src/checks/policy/options.js";

const options = policyOptionsSchema.parse({});

const text = (path: string, body: string): FileDocument => ({ path, text: body, bytes: Buffer.byteLength(body), binary: false });
/** A binary file as the sources hand it over: no text. */
const binary = (path: string): FileDocument => ({ path, text: null, binary: true });

function run(audit: Audit<FileDocument>, doc: FileDocument, extra: Record<string, unknown> = {}): AuditFinding[] {
  return [...audit.run(doc, { options: { ...options, ...extra } })];
}

/** One finding: its line, severity and confidence (undefined = the audit's default). */
function only(audit: Audit<FileDocument>, doc: FileDocument): { line: number; severity: string; confidence: string; key: string | undefined; message: string } {
  const found = run(audit, doc);
  expect(found, `${audit.id} on ${doc.path}`).toHaveLength(1);
  const f = found[0]!;
  return { line: f.line, severity: f.severity ?? audit.severity, confidence: f.confidence ?? audit.confidence, key: f.key, message: f.message };
}

const none = (audit: Audit<FileDocument>, doc: FileDocument) => expect(run(audit, doc), `${audit.id} on ${doc.path}`).toEqual([]);

const RSA_BODY = [
  "hDBAMGgnJ4dJgUHvzrq/UiQTntxKJ6QTFrqeZhe9beeu9oKx8mEfltdHK62LbC2v",
  "vJtkNV9PS0ANchxxuvmNK349MOF+Qn8i7ELcQxAppKr8w6jDqW/NAQ5IoWRp92QA",
  "+bvCCFNAp4GnYzyu",
].join("\n");
const rsaKey = `-----BEGIN RSA PRIVATE KEY-----\n${RSA_BODY}\n-----END RSA PRIVATE KEY-----\n`;
const pkcs8 = (label = "PRIVATE KEY") => `-----BEGIN ${label}-----\n${RSA_BODY}\n-----END ${label}-----\n`;
const certificate = "-----BEGIN CERTIFICATE-----\nVHljC097/uVYcchDJ/Z75zSGaTuNj1ZUMQtYo5Xt7DxD1ovgh+EuHitp7YTpHqcl\n92G8r7DsAPK6cGAPOUtZe/azYvo=\n-----END CERTIFICATE-----\n";
const OPENSSH_NONE = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABlB34CUo/L9Uh5YUs9m\ntAQlkjBXgkytVCtgV4vGEWM1Moy0SR6STEecU6hcftQ/iS0o71RhXTArGKnH8dkm5bzOSW";
const OPENSSH_AES = "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAAAAAAAGms6I5ZT\nDOX1yd429hM5zOOBpc22Zt4EVWgYGXbBa4n1WFDMqHH2Lmdhm8S7a+v1rx+yuOo5P9Rc1A";
const openssh = (body: string) => `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;

describe("private-key-file", () => {
  it("finds SSH keys by name in any folder, in any case, on Windows-style paths", () => {
    for (const path of ["id_rsa", "home/dev/.ssh/id_ed25519", "keys/ID_ECDSA", "C:\\Users\\dev\\.ssh\\id_rsa", "ops/deploy_rsa", "etc/ssh/ssh_host_ed25519_key", "backup/id_rsa.bak"]) {
      const f = only(privateKeyFile, text(path, openssh(OPENSSH_NONE)));
      expect(f).toMatchObject({ line: 1, severity: "high", confidence: "high" });
    }
    expect(only(privateKeyFile, text("C:\\Users\\dev\\.ssh\\id_rsa", openssh(OPENSSH_NONE))).key).toBe("id_rsa");
  });

  it("judges by content where the name misleads", () => {
    none(privateKeyFile, text("home/.ssh/id_rsa.pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 dev@laptop\n"));
    none(privateKeyFile, text("certs/server.crt", certificate));
    none(privateKeyFile, text("certs/chain.pem", certificate + certificate));
    none(privateKeyFile, text("keys/id_rsa", "")); // an empty placeholder
    none(privateKeyFile, text("signing/public.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGRxb2IBEADQ8mQyc3KaGhRkM4mXs9LpQ1vT3cR7bN2yW5zA0eD6fH9jK3lL\n=Xy1Z\n-----END PGP PUBLIC KEY BLOCK-----\n"));
    // A private key saved under a public-looking name is still a private key.
    expect(only(privateKeyFile, text("home/.ssh/id_rsa.pub", rsaKey)).line).toBe(1);
    // A certificate with its key in a .crt: reported on the key's line.
    expect(only(privateKeyFile, text("certs/server.crt", certificate + rsaKey)).line).toBe(5);
    // Any file that opens with a key is a key file.
    expect(only(privateKeyFile, text("keys/github-app-key.txt", `\n${pkcs8()}`)).line).toBe(2);
  });

  it("leaves keys quoted inside other files to the secrets check", () => {
    none(privateKeyFile, text("docs/tls.md", `# TLS\n\nPaste your key:\n\n${rsaKey}`));
    none(privateKeyFile, text("src/fixtures.ts", `export const KEY = \`${rsaKey}\`;\n`));
  });

  it("needs a real body: elided and malformed blocks are documentation", () => {
    none(privateKeyFile, text("docs/example.pem", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"));
    none(privateKeyFile, text("docs/example.key", "-----BEGIN RSA PRIVATE KEY-----\n<your key here>\n-----END RSA PRIVATE KEY-----\n"));
    none(privateKeyFile, text("k/short.key", "-----BEGIN PRIVATE KEY-----\ntest-key-data\n-----END PRIVATE KEY-----\n"));
  });

  it("grades passphrase-protected keys medium", () => {
    expect(only(privateKeyFile, text("k/id_rsa", openssh(OPENSSH_AES))).severity).toBe("medium");
    expect(only(privateKeyFile, text("k/app.pem", pkcs8("ENCRYPTED PRIVATE KEY"))).severity).toBe("medium");
    const legacy = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,FD041B4EC97AD9CB7CB652DBA558A304\n\n${RSA_BODY}\n-----END RSA PRIVATE KEY-----\n`;
    expect(only(privateKeyFile, text("k/legacy.key", legacy)).severity).toBe("medium");
    expect(only(privateKeyFile, text("k/id_rsa", openssh(OPENSSH_NONE))).severity).toBe("high");
  });

  it("reads PuTTY, PGP and CRLF files", () => {
    const ppk = (encryption: string) =>
      `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: ${encryption}\nComment: deploy\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIGxl0GNX9w1EKu2lCWHd9uhXwB9wsjgVXs6NUmtq\nGSrx\nPrivate-Lines: 1\nAAAAIE3dYYMcVKWc2eNOAoWW96zb0DbzpbSCW11qvkaP84vxDe03\nPrivate-MAC: 5a3c\n`;
    expect(only(privateKeyFile, text("keys/server.ppk", ppk("none")))).toMatchObject({ line: 1, severity: "high" });
    expect(only(privateKeyFile, text("keys/server.ppk", ppk("aes256-cbc"))).severity).toBe("medium");
    const pgp = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQdGBGRxb2IBEADQ8mQyc3KaGhRkM4mXs9LpQ1vT3cR7bN2yW5zA0eD6fH9jK3lL\nvWVbpSJDN2j97cTxETmXZrZtdu90EDsIRVJDD3SgrcDFHzQ8BqAW77G53vbpfUmw\n=Xy1Z\n-----END PGP PRIVATE KEY BLOCK-----\n`;
    expect(only(privateKeyFile, text("release/signing.asc", pgp)).line).toBe(1);
    expect(only(privateKeyFile, text("certs/bundle.pem", (certificate + rsaKey).replace(/\n/g, "\r\n"))).line).toBe(5);
  });

  it("reports binary keystores by name at medium, but not truststores or the Android debug keystore", () => {
    for (const path of ["release/app.p12", "certs/SERVER.PFX", "src/main/resources/server.jks", "android/app/release.keystore", "home/.keystore"]) {
      expect(only(privateKeyFile, binary(path))).toMatchObject({ severity: "medium", confidence: "medium" });
    }
    for (const path of ["src/main/resources/truststore.jks", "jre/lib/security/cacerts", "android/app/debug.keystore", "certs/client-truststore.p12"]) none(privateKeyFile, binary(path));
  });

  it("lowers test fixtures to low and says why, never dropping them", () => {
    const f = only(privateKeyFile, text("test/fixtures/tls/server.key", pkcs8()));
    expect(f.severity).toBe("low");
    expect(f.message).toMatch(/test/);
    expect(only(privateKeyFile, text("pkg/registry/testdata/tls/ca.key", rsaKey)).severity).toBe("low");
    expect(only(privateKeyFile, text("src/__fixtures__/id_ed25519", openssh(OPENSSH_NONE))).severity).toBe("low");
    expect(only(privateKeyFile, text("runtime/template/_testdata/root-ca.key", rsaKey)).severity).toBe("low");
    expect(only(privateKeyFile, text("generators/github/github_test.pem", rsaKey)).severity).toBe("low");
    expect(only(privateKeyFile, text("certs/fake-ecdsa-private.pem", rsaKey)).severity).toBe("low");
    expect(only(privateKeyFile, text("certs/contest-server.pem", rsaKey)).severity).toBe("high");
  });

  it("never quotes the key", () => {
    for (const f of run(privateKeyFile, text("id_rsa", rsaKey))) expect(f.message).not.toContain("hDBAMGgn");
  });
});

describe("env-file", () => {
  it("grades by content: credentials high on their line, other settings low", () => {
    const secret = only(envFile, text(".env", "APP_NAME=shop\n# keys\nSTRIPE_SECRET_KEY=sk_live_9aQz7Lm2Xc4Vb8Nw\nMAILER_PASSWORD='Tq8!rV2s'\n"));
    expect(secret).toMatchObject({ line: 3, severity: "high", confidence: "high", key: ".env" });
    expect(secret.message).toContain("STRIPE_SECRET_KEY");
    expect(secret.message).toContain("1 more");
    expect(secret.message).not.toContain("sk_live_9aQz7Lm2Xc4Vb8Nw");
    expect(only(envFile, text("api/.env.local", "PORT=8080\nLOG_LEVEL=debug\n"))).toMatchObject({ line: 1, severity: "low", confidence: "low" });
  });

  it("reads the variants: .env.*, *.env, .env-*, .envrc, upper case, Windows paths", () => {
    const body = "DB_PASSWORD=Zx81qPLm0vRt\n";
    for (const path of [".env", "svc/.env.production", "deploy/prod.env", ".env-staging", ".envrc", "APP/.ENV", "C:\\work\\app\\.env", ".env.bak", ".env.keys"]) {
      expect(only(envFile, text(path, body)).severity, path).toBe("high");
    }
    expect(only(envFile, text(".envrc", "use flake\nexport AWS_SECRET_ACCESS_KEY=p6Vq1lZQ0b3c8hYy2Rk5tWm9nXe4dJf7aSg0uLo1\n")).line).toBe(2);
  });

  it("skips templates and code named like env files", () => {
    const body = "DB_PASSWORD=Zx81qPLm0vRt\n";
    for (const path of [".env.example", ".env.sample", ".env.template", ".env.tmpl", ".env.dist", ".env.defaults", ".env.local.example", "example.env", ".env-example", ".env.vault", "config/.env.ts", "src/.env.js", "docs/.env.md", "env.example"]) {
      none(envFile, text(path, body));
    }
  });

  it("needs a literal: empty values, references, placeholders, interpolation, encrypted values and public variables are not", () => {
    none(envFile, text(".env", "DB_PASSWORD=\nAPI_TOKEN=''\nSESSION_SECRET=${SESSION_SECRET}\nJWT_SECRET=<your-jwt-secret>\nSTRIPE_KEY=changeme\n"));
    none(envFile, text(".envrc", "export PATH=$PWD/bin:$PATH\nexport GOPATH=${HOME}/go\n"));
    none(envFile, text(".env", 'DOTENV_PUBLIC_KEY="03f5c1a6e2b4d8f0a9c7e5b3d1f9a7c5e3b1d9f7a5c3e1b9d7f5a3c1e9b7d5f3a1"\nDATABASE_PASSWORD="encrypted:BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt+Z9HPMfLEIRVz"\n'));
    none(envFile, text("web/.env", "VITE_API_URL=https://api.example.org\nNEXT_PUBLIC_STRIPE_KEY=pk_live_51Hq\n"));
  });

  it("does not call settings under credential-like names credentials", () => {
    const f = only(envFile, text(".env", "AUTH_URL=https://auth.acme.io\nTOKEN_EXPIRY=3600\nPASSWORD_MIN_LENGTH=12\nAUTH_ENABLED=true\nPOSTGRES_PASSWORD=postgres\nSECRET_KEY_FILE=/run/secrets/key\nAPI_KEY_HEADER=X-Api-Key\n"));
    expect(f.severity).toBe("low");
    const gpg = 'DEADSNAKES_PPA_ARCHIVE_GPG_KEY="F23C5A6CF475977595C89F51BA6932366A755776"\nRVM_GPG_KEYS="409B6B1796C275462A1703113804BB82D39DC0E3 7D2BAF1CF37B13E2"\nAWSCLI_GPG_KEY_MATERIAL="-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF2Cr7UBEADJZHcgusOJl7ENSyumXh85z0TRV0xJ\n-----END PGP PUBLIC KEY BLOCK-----"\nDEPLOY_KEY_ID=4f1c2d9e\n';
    expect(only(envFile, text("script-library/shared/settings.env", gpg)).severity).toBe("low");
    expect(only(envFile, text(".env", "GPG_PRIVATE_KEY_PASSPHRASE=Tq8rV2sLm0Xz\n")).severity).toBe("high");
  });

  it("finds a password inside a URL and a multi-line key", () => {
    expect(only(envFile, text(".env", "NODE_ENV=production\nDATABASE_URL=mysql://app:Jq4%40Lm9zTw@db:3306/shop\n")).line).toBe(2);
    expect(only(envFile, text(".env", 'PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\nhDBAMGgnJ4dJgUHvzrq\n-----END RSA PRIVATE KEY-----"\n')).line).toBe(1);
    expect(only(envFile, text(".env", 'API_KEY="a8Fq2Lz0Vw7Nc3Xs" # production\n')).severity).toBe("high");
  });

  it("treats .env.test and test folders as test data", () => {
    expect(only(envFile, text(".env.test", "JWT_SECRET=Yk2Pq9Lx0Vb7Nm3C\n")).severity).toBe("low");
    expect(only(envFile, text("tests/.env", "JWT_SECRET=Yk2Pq9Lx0Vb7Nm3C\n")).severity).toBe("low");
  });
});

describe("terraform-state", () => {
  const state = (resources: string) => `{\n  "version": 4,\n  "serial": 3,\n  "lineage": "a",\n  "outputs": {},\n  "resources": ${resources}\n}\n`;
  const withResource = state('[{"mode":"managed","type":"random_password","name":"db","instances":[{"attributes":{"result":"x"}}]}]');

  it("reports state with data by any state name, and not empty state", () => {
    for (const path of ["terraform.tfstate", "infra/prod/terraform.tfstate.backup", "infra/terraform.tfstate.1712345678.backup", "errored.tfstate", "envs/Prod.TFSTATE", "terraform.tfstate.d/staging/terraform.tfstate"]) {
      expect(only(terraformState, text(path, withResource)), path).toMatchObject({ line: 1, severity: "high", confidence: "high" });
    }
    none(terraformState, text("terraform.tfstate", state("[]")));
    none(terraformState, text("terraform.tfstate", ""));
    none(terraformState, text("internal/states/tfstate.go", "package states\n"));
    none(terraformState, text("terraform.tfvars", 'region = "eu-west-1"\n'));
  });

  it("reads format 3 modules", () => {
    const v3 = (resources: string) => `{"version":3,"modules":[{"path":["root"],"outputs":{},"resources":${resources}}]}`;
    expect(only(terraformState, text("old.tfstate", v3('{"aws_instance.web":{"type":"aws_instance"}}'))).severity).toBe("high");
    none(terraformState, text("old.tfstate", v3("{}")));
  });

  it("reports unreadable state by name at medium confidence", () => {
    expect(only(terraformState, { path: "terraform.tfstate", text: null, binary: false, tooLarge: true })).toMatchObject({ severity: "high", confidence: "medium" });
    expect(only(terraformState, binary("terraform.tfstate.backup")).confidence).toBe("medium");
  });

  it("judges the .terraform working directory", () => {
    const pointer = (config: string) => `{\n  "version": 3,\n  "backend": {\n    "type": "azurerm",\n    "config": ${config}\n  }\n}\n`;
    expect(only(terraformState, text(".terraform/terraform.tfstate", pointer('{\n      "storage_account_name": "acmetf",\n      "access_key": "q3Vb8Lm2Xw9Zt0Pk4Nc7Rs1Yh6Jd5Fg2Aa8Ee3Ui0Oo9Pp1Qq"\n    }')))).toMatchObject({ line: 7, severity: "high" });
    expect(only(terraformState, text(".terraform/terraform.tfstate", pointer('{ "key": "prod/terraform.tfstate", "access_key": null }')))).toMatchObject({ severity: "low", confidence: "low" });
    expect(only(terraformState, text("infra/.terraform/modules/modules.json", '{"Modules":[]}'))).toMatchObject({ severity: "low", confidence: "low" });
    expect(only(terraformState, binary("infra/.terraform/providers/registry.terraform.io/hashicorp/aws/5.70.0/linux_amd64/terraform-provider-aws_v5.70.0_x5")).severity).toBe("low");
    none(terraformState, text("infra/.terraform.lock.hcl", 'provider "registry.terraform.io/hashicorp/aws" {}\n'));
  });

  it("lowers test data", () => {
    expect(only(terraformState, text("internal/command/testdata/apply/terraform.tfstate", withResource)).severity).toBe("low");
  });
});

describe("kubeconfig-credentials", () => {
  const kubeconfig = (user: string) => `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1:6443\nusers:\n- name: admin\n  user:\n${user}`;

  it("finds each credential kind on its line", () => {
    expect(only(kubeconfigCredentials, text("kubeconfig", kubeconfig("    token: sha256~Xq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5\n"))).line).toBe(10);
    expect(only(kubeconfigCredentials, text(".kube/config", kubeconfig("    username: admin\n    password: Hn4Vq9Lz2Xc7\n"))).line).toBe(11);
    const cached = kubeconfig("    auth-provider:\n      name: oidc\n      config:\n        client-id: kubectl\n        idp-issuer-url: https://login.acme.io\n        refresh-token: CiQ2YzFjNmQ0Zi1mNzM2LTQ5YTAtOGQ5OC1kMGY1\n");
    expect(only(kubeconfigCredentials, text("home/.kube/config", cached)).line).toBe(15);
  });

  it("accepts plugins, paths and kubectl's redactions", () => {
    none(kubeconfigCredentials, text("kubeconfig", kubeconfig("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubelogin\n      args: [get-token]\n")));
    none(kubeconfigCredentials, text("kubeconfig", kubeconfig("    auth-provider:\n      name: gcp\n      config:\n        cmd-path: /usr/bin/gcloud\n")));
    none(kubeconfigCredentials, text("kubeconfig", kubeconfig("    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n    client-key: /etc/kubernetes/pki/admin.key\n")));
    none(kubeconfigCredentials, text("kubeconfig", kubeconfig("    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n    token: REDACTED\n")));
    none(kubeconfigCredentials, text("kubeconfig", kubeconfig("    token: ${KUBE_TOKEN}\n")));
  });

  it("finds kubeconfigs by name in any form and by content in YAML and JSON", () => {
    const token = kubeconfig("    token: sha256~Xq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5\n");
    for (const path of ["ops/prod.kubeconfig", "ops/kubeconfig-prod.yaml", "ops/kube-config.yml", "C:\\Users\\me\\.kube\\config", "clusters/lab.yaml", "clusters/lab"]) {
      expect(run(kubeconfigCredentials, text(path, token)), path).toHaveLength(1);
    }
    const json = JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [], users: [{ name: "ci", user: { token: "sha256~Xq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5" } }] }, null, 2);
    expect(run(kubeconfigCredentials, text("exported.json", json))).toHaveLength(1);
  });

  it("reads no documentation or code about kubeconfigs", () => {
    const token = kubeconfig("    token: sha256~Xq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5\n");
    for (const path of ["docs/access.md", "util/kubeconfig/kubeconfig_test.go", "awscli/customizations/eks/kubeconfig.py"]) none(kubeconfigCredentials, text(path, token));
    none(kubeconfigCredentials, text("deploy/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  token: abc\n"));
  });

  it("counts users and falls back to lines for a kubeconfig that does not parse", () => {
    const two = `apiVersion: v1\nkind: Config\nusers:\n- name: a\n  user:\n    token: sha256~Xq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5\n- name: b\n  user:\n    client-key-data: TFMwdExTMUNSVWRKVGlCU1UwRWdVRkpKVmtGVVJTQkxSVmt0\n`;
    expect(only(kubeconfigCredentials, text("kubeconfig", two)).message).toMatch(/2 credentials for 2 users/);
    const broken = "apiVersion: v1\nkind: Config\nusers:\n- name: a\n  user:\n    token: sha256~Xq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5\n  bad: [unclosed\n";
    expect(only(kubeconfigCredentials, text("kubeconfig", broken))).toMatchObject({ line: 6, confidence: "medium" });
    none(kubeconfigCredentials, text("clusters/broken.yaml", broken.replace("kubeconfig", "x")));
  });
});

describe("cloud-credentials-file", () => {
  it("finds AWS credentials by name and INI content, not placeholders or docs", () => {
    const aws = "[default]\naws_access_key_id = AKIA4QWERTYUI7PLMNBV\naws_secret_access_key = p6Vq1lZQ0b3c8hYy2Rk5tWm9nXe4dJf7aSg0uLo1\n";
    expect(only(cloudCredentialsFile, text("C:\\Users\\dev\\.aws\\credentials", aws)).line).toBe(3);
    expect(only(cloudCredentialsFile, text("ops/aws-creds.ini", aws)).line).toBe(3);
    expect(only(cloudCredentialsFile, text("ops/credentials", aws)).line).toBe(3);
    expect(only(cloudCredentialsFile, text(".boto", "[Credentials]\naws_access_key_id = AKIA4QWERTYUI7PLMNBV\naws_secret_access_key = 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\n")).line).toBe(3);
    none(cloudCredentialsFile, text(".aws/credentials", "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"));
    none(cloudCredentialsFile, text(".aws/credentials", "[default]\naws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n"));
    none(cloudCredentialsFile, text("docs/aws.md", aws));
    none(cloudCredentialsFile, text("scripts/deploy.py", aws));
  });

  it("finds Google service-account and user credentials, not federation configs", () => {
    const key = `-----BEGIN PRIVATE KEY-----\\n${RSA_BODY.replace(/\n/g, "\\n")}\\n${RSA_BODY.replace(/\n/g, "\\n")}\\n-----END PRIVATE KEY-----\\n`;
    expect(only(cloudCredentialsFile, text("keys/acme-prod-1f0c2b.json", `{\n  "type": "service_account",\n  "project_id": "acme",\n  "private_key": "${key}"\n}\n`)).line).toBe(4);
    none(cloudCredentialsFile, text("keys/sa.json", '{\n  "type": "service_account",\n  "private_key": ""\n}\n'));
    const adc = '{\n  "client_id": "32555940559.apps.googleusercontent.com",\n  "client_secret": "ZmssLNjJy2998hD4CTg2ejr2",\n  "refresh_token": "1//0gX7Lm2Vb9Nc0Zt4Pk8Rs1Yh6Jd5Fg2Aa8Ee3Ui0",\n  "type": "authorized_user"\n}\n';
    expect(only(cloudCredentialsFile, text("home/.config/gcloud/application_default_credentials.json", adc)).line).toBe(4);
  });

  it("finds Azure token caches, and the profile at low", () => {
    expect(only(cloudCredentialsFile, text(".azure/accessTokens.json", '[\n  {\n    "tokenType": "Bearer",\n    "accessToken": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwcyJ9.c2lnbmF0dXJl",\n    "refreshToken": "0.AXEAq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5"\n  }\n]\n')).line).toBe(4);
    expect(only(cloudCredentialsFile, text(".azure/azureProfile.json", '{\n  "installationId": "c1",\n  "subscriptions": [{ "id": "0000", "name": "prod" }]\n}\n'))).toMatchObject({ line: 3, severity: "low" });
  });

  it("reads registry logins: Docker, npm, Yarn, PyPI, RubyGems", () => {
    const auth = Buffer.from("deploy:f8Kvq2pLwN9t").toString("base64");
    expect(only(cloudCredentialsFile, text(".dockercfg", `{"registry.acme.io":{"auth":"${auth}","email":"ci@acme.io"}}`)).line).toBe(1);
    none(cloudCredentialsFile, text(".docker/config.json", `{"auths":{"registry.acme.io":{"auth":"${Buffer.from("deploy:").toString("base64")}"}}}`));
    none(cloudCredentialsFile, text("app/config.json", `{"auths":{"registry.acme.io":{"auth":"${auth}"}}}`));
    expect(only(cloudCredentialsFile, text(".npmrc", "; publish\n_auth=ZGVwbG95OmY4S3ZxMnBMd045dA==\nemail=ci@acme.io\n")).line).toBe(2);
    none(cloudCredentialsFile, text(".npmrc", "; //registry.npmjs.org/:_authToken=npm_Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXcVbNm\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"));
    expect(only(cloudCredentialsFile, text(".yarnrc.yml", 'npmRegistryServer: "https://registry.yarnpkg.com"\nnpmAuthToken: "npm_Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXcVbNm"\n')).line).toBe(2);
    none(cloudCredentialsFile, text(".yarnrc.yml", 'npmAuthToken: "${NPM_TOKEN}"\n'));
    expect(only(cloudCredentialsFile, text(".pypirc", "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJDk3YzQ0ZjM2LWI5\n")).line).toBe(6);
    none(cloudCredentialsFile, text(".pypirc", "[pypi]\nusername = __token__\npassword = <your PyPI token>\n"));
    expect(only(cloudCredentialsFile, text("home/.gem/credentials", "---\n:rubygems_api_key: rubygems_3f9c2a7d1b8e4f6a0c5d9e2b7a1f4c8d\n")).line).toBe(2);
  });

  it("reads Terraform, GitHub CLI, Kaggle, Databricks and doctl logins", () => {
    expect(only(cloudCredentialsFile, text(".terraformrc", 'credentials "app.terraform.io" {\n  token = "Xq2Lm9Vb0Nc7.atlasv1.Zt4Pk8Rs1Yh6Jd5Fg2Aa8Ee3"\n}\n')).line).toBe(2);
    expect(only(cloudCredentialsFile, text("home/.terraform.d/credentials.tfrc.json", '{\n  "credentials": {\n    "app.terraform.io": {\n      "token": "Xq2Lm9Vb0Nc7.atlasv1.Zt4Pk8Rs1Yh6Jd5Fg2Aa8Ee3"\n    }\n  }\n}\n')).line).toBe(4);
    expect(only(cloudCredentialsFile, text("home/.config/gh/hosts.yml", "github.com:\n    user: octo\n    oauth_token: gho_Xq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5Fg2Aa8Ee3\n    git_protocol: https\n")).line).toBe(3);
    expect(only(cloudCredentialsFile, text("home/.kaggle/kaggle.json", '{"username":"octo","key":"3f9c2a7d1b8e4f6a0c5d9e2b7a1f4c8d"}')).line).toBe(1);
    expect(only(cloudCredentialsFile, text(".databrickscfg", "[DEFAULT]\nhost = https://acme.cloud.databricks.com\ntoken = dapi3f9c2a7d1b8e4f6a0c5d9e2b7a1f4c8d\n")).line).toBe(3);
    expect(only(cloudCredentialsFile, text("home/.config/doctl/config.yaml", "access-token: dop_v1_3f9c2a7d1b8e4f6a0c5d9e2b7a1f4c8d3f9c2a7d1b8e4f6a0c5d9e2b7a1f4c8d\n")).line).toBe(1);
  });
});

describe("credential-store-file", () => {
  it("reads netrc in both layouts, and Windows' _netrc", () => {
    expect(only(credentialStoreFile, text(".netrc", "machine api.heroku.com login dev@acme.io password 3f9c2a7d-1b8e-4f6a-0c5d-9e2b7a1f4c8d\n")).line).toBe(1);
    expect(only(credentialStoreFile, text("C:\\Users\\dev\\_netrc", "machine git.acme.io\nlogin dev\npassword Vb9Nc0Zt4Pk8\n")).line).toBe(3);
    none(credentialStoreFile, text(".netrc", "machine api.example.com login you password <your-token>\n"));
  });

  it("reads pgpass, git-credentials, my.cnf and htpasswd", () => {
    expect(only(credentialStoreFile, text(".pgpass", "# host:port:db:user:password\ndb.acme.io:5432:*:app:Hn4Vq9Lz2Xc7\n")).line).toBe(2);
    none(credentialStoreFile, text(".pgpass", "localhost:5432:*:app:\n"));
    expect(only(credentialStoreFile, text(".git-credentials", "https://octo:ghp_Xq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5Fg2Aa8Ee3@github.com\n")).line).toBe(1);
    none(credentialStoreFile, text(".git-credentials", "https://github.com\n"));
    expect(only(credentialStoreFile, text("home/.my.cnf", "[client]\nuser=app\npassword=Hn4Vq9Lz2Xc7\n")).line).toBe(3);
    expect(only(credentialStoreFile, text("auth/htpasswd", "e2e:$2y$05$DxRBsGSy61vZsBgNVxwUh.UtZmlg3wZHMxYcHYAlupY7r1xbIiuoq\n")).severity).toBe("medium");
    none(credentialStoreFile, text("public/.htaccess", "AuthUserFile /etc/apache2/.htpasswd\nRequire valid-user\n"));
  });

  it("reads shadow copies by their hashes", () => {
    const shadow = "root:*:19000:0:99999:7:::\nalice:$y$j9T$Zq3dP0lm5nT9bW2q$L0vYx8cR1eK4aH7uJ3sF6gD9zX2cV5bN8mQ1wE4rT7y:19500:0:99999:7:::\n";
    expect(only(credentialStoreFile, text("backup/etc/shadow", shadow)).line).toBe(2);
    expect(only(credentialStoreFile, text("backup/shadow-", shadow)).line).toBe(2);
    none(credentialStoreFile, text("pkg/shadow.go", shadow));
  });

  it("reads FTP clients and editor sync configs, not their commented templates", () => {
    expect(only(credentialStoreFile, text("AppData/FileZilla/recentservers.xml", "<FileZilla3>\n<RecentServers>\n<Server><Host>ftp.acme.io</Host><Pass encoding=\"base64\">SG40VnE5THoyWGM3</Pass></Server>\n</RecentServers>\n</FileZilla3>\n")).line).toBe(3);
    none(credentialStoreFile, text("AppData/FileZilla/sitemanager.xml", "<FileZilla3><Servers><Server><Host>ftp.acme.io</Host><Logontype>2</Logontype></Server></Servers></FileZilla3>\n"));
    expect(only(credentialStoreFile, text("tools/WinSCP.INI", "[Sessions\\deploy@web]\nHostName=web.acme.io\nUserName=deploy\nPassword=A35C4E5F2B3D6E7A8B9C0D1E2F3A4B5C\n")).line).toBe(4);
    expect(only(credentialStoreFile, text(".vscode/sftp.json", '{\n  "name": "prod",\n  "host": "web.acme.io",\n  "username": "deploy",\n  "password": "Hn4Vq9Lz2Xc7",\n  "remotePath": "/var/www"\n}\n')).line).toBe(5);
    expect(only(credentialStoreFile, text(".ftpconfig", '{\n  "protocol": "ftp",\n  "host": "ftp.acme.io",\n  "user": "deploy",\n  "pass": "Hn4Vq9Lz2Xc7"\n}\n')).line).toBe(5);
    none(credentialStoreFile, text("sftp-config.json", '{\n  "type": "sftp",\n  //"password": "Hn4Vq9Lz2Xc7",\n  "ssh_key_file": "~/.ssh/id_rsa"\n}\n'));
    none(credentialStoreFile, text(".vscode/settings.json", '{ "password": "Hn4Vq9Lz2Xc7" }\n'));
    expect(only(credentialStoreFile, text(".idea/webServers.xml", '<project version="4">\n  <component name="WebServers">\n    <option name="servers">\n      <webServer id="1" name="prod" url="https://acme.io">\n        <fileTransfer host="web.acme.io" port="22" accessType="SFTP" username="deploy" password="dfd8dfc3dfd6dfc0" />\n')).line).toBe(5);
  });

  it("reads database GUIs and browser profiles", () => {
    expect(only(credentialStoreFile, binary("workspace6/General/.dbeaver/credentials-config.json")).line).toBe(1);
    none(credentialStoreFile, binary("src/credentials-config.json"));
    expect(only(credentialStoreFile, text("home/.3T/robo-3t/1.4.4/robo3t.json", '{\n  "connections": [{\n    "credentials": [{ "userName": "admin", "userPassword": "Hn4Vq9Lz2Xc7" }]\n  }]\n}\n')).line).toBe(3);
    expect(only(credentialStoreFile, binary("Chrome/User Data/Default/Login Data")).line).toBe(1);
    expect(only(credentialStoreFile, binary("firefox/abc.default-release/key4.db")).line).toBe(1);
    expect(only(credentialStoreFile, text("firefox/abc.default-release/logins.json", '{"nextId":2,"logins":[{"id":1,"hostname":"https://acme.io",\n"encryptedUsername":"MDoEEPgAAA","encryptedPassword":"MEIEEPgAAAAA"}]}')).line).toBe(2);
    none(credentialStoreFile, text("app/fixtures/logins.json", '[{"user":"alice","at":"2024-01-01"}]'));
  });

  it("reads application master keys and Jenkins stores", () => {
    expect(only(credentialStoreFile, text("config/credentials/production.key", "4f1c2d9e8b7a6f5e4d3c2b1a0f9e8d7c\n")).line).toBe(1);
    none(credentialStoreFile, text("config/master.key", ""));
    none(credentialStoreFile, text("config/credentials.yml.enc", "hB5kT8p2W0v9kq3Wc4tQm1aGfE7yL0nR6sXbJ2dZ8uV5oI3pK9lM4nB7vC1xZ6aS--Kx8Hf2Lp0Q9vN1cZ--mT4wQ7xB2eR6yU1iO9pA3s==\n"));
    const jenkins = "<?xml version='1.1' encoding='UTF-8'?>\n<com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin=\"credentials@1337\">\n  <domainCredentialsMap>\n    <entry>\n      <java.util.concurrent.CopyOnWriteArrayList>\n        <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n          <id>deploy</id>\n          <username>deploy</username>\n          <password>{AQAAABAAAAAQXq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5Fg2Aa8Ee3Ui0=}</password>\n";
    expect(only(credentialStoreFile, text("jenkins_home/credentials.xml", jenkins)).line).toBe(9);
    expect(only(credentialStoreFile, binary("jenkins_home/secrets/hudson.util.Secret")).line).toBe(1);
    const secrets = "development:\n  secret_key_base: 3b7cd727ee24e8444053437c36cc66c3\nproduction:\n  secret_key_base: 9f6c2d4b8e1a7f3c5d0b2e4a6c8f1d3b9f6c2d4b8e1a7f3c\n";
    expect(only(credentialStoreFile, text("config/secrets.yml", secrets)).line).toBe(4);
  });

  it("reports password databases at medium", () => {
    expect(only(credentialStoreFile, binary("backup/Passwords.kdbx")).severity).toBe("medium");
    expect(only(credentialStoreFile, binary("backup/login.keychain-db")).severity).toBe("medium");
  });
});

describe("binary-file", () => {
  it("reports executables, archives and compiled objects low, naming the kind", () => {
    expect(only(binaryFile, binary("tools/protoc.exe"))).toMatchObject({ line: 1, severity: "low", confidence: "low" });
    expect(only(binaryFile, binary("tools/protoc.exe")).message).toMatch(/executable/);
    expect(only(binaryFile, binary("vendor/lib.tar.gz")).message).toMatch(/archive/);
    expect(only(binaryFile, binary("build/Main.class")).message).toMatch(/compiled/);
    expect(only(binaryFile, text("bin/tool", "\u007fELF\u0002\u0001\u0001\u0000\u0000")).message).toMatch(/executable/);
    expect(only(binaryFile, binary("gradle/wrapper/gradle-wrapper.jar")).message).toMatch(/checksum/);
  });

  it("accepts media, documents and Bun's lockfile", () => {
    for (const path of ["img/Logo.PNG", "fonts/a.woff2", "docs/spec.pdf", "media/intro.mp4", "docs/plan.docx", "bun.lockb", "icons/app.icns"]) none(binaryFile, binary(path));
    none(binaryFile, text("src/main.ts", "export {};\n"));
  });

  it("leaves binaries that other file audits report to them", () => {
    for (const path of ["release/app.p12", "Chrome/Default/Login Data", "vault/p.kdbx", "infra/.terraform/providers/x/terraform-provider-aws", "terraform.tfstate", "workspace/.dbeaver/credentials-config.json"]) none(binaryFile, binary(path));
    expect(run(binaryFile, binary("src/main/resources/truststore.jks"))).toHaveLength(1);
  });
});

describe("large-file", () => {
  it("reports files over the limit and files too large to read", () => {
    const big = "x".repeat(2048);
    expect(run(largeFile, text("data/big.json", big), { max_file_bytes: 1024 })[0]!.line).toBe(1);
    expect(run(largeFile, text("data/big.json", big), { max_file_bytes: 1024 })[0]!.message).toMatch(/2\.0 KiB, over the 1\.0 KiB limit/);
    expect(run(largeFile, text("data/big.json", big))).toHaveLength(0);
    expect(run(largeFile, { path: "dump.sql", text: null, binary: false, tooLarge: true })).toHaveLength(1);
    expect(run(largeFile, binary("video.mov"), { max_file_bytes: 1024 })).toHaveLength(0);
  });

  it("measures bytes, not characters", () => {
    expect(run(largeFile, text("data/utf8.txt", "é".repeat(600)), { max_file_bytes: 1024 })).toHaveLength(1);
  });
});

describe("file audits on hostile input", () => {
  const hostile: FileDocument[] = [
    text(".env", `KEY=${"a".repeat(5_000_000)}\n`),
    text("id_rsa", `-----BEGIN RSA PRIVATE KEY-----\n${"A".repeat(3_000_000)}\n`),
    text("clusters/x.yaml", `kind: Config${" ".repeat(1_000_000)}x\nusers: [`),
    text("kubeconfig", `apiVersion: v1\nkind: Config\nusers:\n${"- &a [*a]\n".repeat(10)}`),
    // The yaml library dies of memory (uncatchable) on ~10,000 nested flow collections.
    text("kubeconfig", `apiVersion: v1\nkind: Config\nusers: ${"[".repeat(50_000)}\n    token: sha256~Xq2Lm9Vb0Nc7Zt4Pk8Rs1Yh6Jd5\n`),
    text("clusters/deep.yaml", `kind: Config\nusers: ${"{a: ".repeat(50_000)}\n`),
    text(".npmrc", `${"_authToken".repeat(200_000)}=\n`),
    text("config/secrets.yml", `production: &x\n  secret_key_base: ${"[".repeat(100_000)}\n`),
    text("terraform.tfstate", "[".repeat(100_000)),
    text(".htpasswd", ":".repeat(1_000_000)),
    text(".pgpass", `${"\\:".repeat(500_000)}\n`),
    text("ops/aws.ini", `[a]\n${"aws_secret_access_key".repeat(50_000)} = ${"b".repeat(100)}\n`),
  ];

  it("judge them without throwing, quickly", () => {
    const started = performance.now();
    for (const doc of hostile) for (const audit of fileAudits) expect(() => run(audit, doc)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("cost little per ordinary file", () => {
    const docs = Array.from({ length: 2000 }, (_, i) => text(`src/module-${i}/index.ts`, `export const value${i} = ${i};\n`.repeat(40)));
    const started = performance.now();
    for (const doc of docs) for (const audit of fileAudits) run(audit, doc);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
