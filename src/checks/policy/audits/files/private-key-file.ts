/**
 * A private key committed as a file is readable by everyone who can read the repository, its forks
 * and every clone, forever: history keeps it after the file is deleted (gitrob's `*_rsa`, `*.pem`,
 * `*.key`, `*.p12` signatures; sensitive-file policies).
 *
 * Judged by content wherever content exists, because names mislead both ways: a `.pem` or `.crt`
 * holding only certificates is public, and a key may be called `deploy-key`. A file is a key file
 * when it is a key-like name or extension and holds a private-key block with a base64 body (PEM
 * `-----BEGIN … PRIVATE KEY-----`, OpenSSH, PGP `PRIVATE KEY BLOCK`, SSH2), a PuTTY `.ppk`, or when
 * any file opens with such a block. Elided bodies (`...`) in documentation are no key. Keys
 * encrypted with a passphrase (PEM `ENCRYPTED`, `Proc-Type: 4,ENCRYPTED`, an OpenSSH key whose
 * cipher is not `none`, PuTTY `Encryption:` other than `none`) are medium: they still give an
 * attacker an offline guessing game. Binary keystores (`.p12`, `.pfx`, `.jks`, `.keystore`…) have
 * no readable content and are medium by name; truststores (`truststore.jks`, `cacerts`) hold only
 * certificates, and Android's `debug.keystore` is a well-known throwaway (its password is
 * `android`) that project templates commit, so neither is reported.
 *
 * Not here: keys pasted into other files (a README, a YAML value) are the secrets check's.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { findLine, isBinary, textOf } from "./_file-content.js";
import { fileFinding } from "./_file-finding.js";
import { describePath, type FilePath } from "./_file-path.js";

/** `id_rsa`, `deploy_ed25519`, `ssh_host_ecdsa_key`, and their copies (`id_rsa.bak`) but not `id_rsa.pub`. */
const SSH_KEY_NAME = /^(?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?(?:\..+)?|[^.]+_(?:rsa|dsa|ecdsa|ed25519)|ssh_host_(?:rsa|dsa|ecdsa|ed25519)_key)$/;
/** Extensions whose content decides: keys, PEM bundles, certificates (which may carry the key), VPN profiles. */
const KEY_LIKE_EXTENSIONS = new Set(["pem", "key", "p8", "pk8", "pkcs8", "ppk", "asc", "gpg", "ovpn", "crt", "cer", "cert", "priv", "keypair"]);
const KEYSTORE_EXTENSIONS = new Set(["p12", "pfx", "pkcs12", "jks", "keystore", "bks", "jceks"]);

const BEGIN = /^-{4,5} ?BEGIN ([A-Z0-9 ]{0,40}?)PRIVATE KEY(?: BLOCK)? ?-{4,5}$/;
const END = /^-{4,5} ?END /;
/** A body line; the last is short, and PGP armour ends with a `=` checksum line. */
const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;
/** Enough body to be a key: the shortest real one (Ed25519 PKCS#8) is 64 base64 characters. */
const MIN_BODY = 60;

interface KeyBlock {
  readonly line: number;
  readonly label: string;
  readonly encrypted: boolean;
}

export const privateKeyFile = defineAudit<FileDocument>({
  id: "private-key-file",
  domain: "file",
  title: "Private key added as a file",
  description: "A private key committed to the repository lets anyone who can read it, now or from history, impersonate its owner: log in over SSH, sign as the service, or decrypt its TLS traffic.",
  severity: "high",
  confidence: "high",
  remediation:
    "Remove the file, purge it from history, and treat the key as compromised: revoke it (authorized_keys, deploy keys, the certificate) and issue a new one; keep keys in a secret store and add their names to .gitignore.",
  link: "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository",
  samples: {
    valid: [
      {
        path: "deploy/id_ed25519.pub",
        text: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxl0GNX9w1EKu2lCWHd9uhXwB9wsjgVXs6NUmtqGSrx deploy@ci\n",
        note: "a public key",
      },
      {
        path: "certs/ca.pem",
        text: `-----BEGIN CERTIFICATE-----
VHljC097/uVYcchDJ/Z75zSGaTuNj1ZUMQtYo5Xt7DxD1ovgh+EuHitp7YTpHqcl
PHEBVZodKpNtp4hlZGJJ/fekLSUdQwyYUVcIvfzrhStEt+gbuXs4k+Lnch6z8Smc
92G8r7DsAPK6cGAPOUtZe/azYvo=
-----END CERTIFICATE-----
`,
        note: "a .pem that holds only a certificate",
      },
      {
        path: "docs/keys/example.key",
        text: "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n",
        note: "an elided body is documentation, not a key",
      },
      {
        path: "android/app/debug.keystore",
        text: "\u00fe\u00ed\u00fe\u00ed\u0000\u0000\u0000\u0002\u0000\u0000\u0000\u0001",
        note: "the Android debug keystore that project templates commit",
      },
      {
        path: "src/main/resources/truststore.jks",
        text: "\u00fe\u00ed\u00fe\u00ed\u0000\u0000\u0000\u0002",
        note: "a truststore holds certificates only",
      },
    ],
    invalid: [
      {
        path: "id_rsa",
        text: `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABlB34CUo/L9Uh5YUs9m
tAQlkjBXgkytVCtgV4vGEWM1Moy0SR6STEecU6hcftQ/iS0o71RhXTArGKnH8dkm5bzOSW
uK1czP3Q/rqT2QMyHy47qXytZTmrdkQG
-----END OPENSSH PRIVATE KEY-----
`,
        lines: [1],
      },
      {
        path: "config/ssl/server.pem",
        text: `# server certificate and key for nginx
-----BEGIN CERTIFICATE-----
VHljC097/uVYcchDJ/Z75zSGaTuNj1ZUMQtYo5Xt7DxD1ovgh+EuHitp7YTpHqcl
92G8r7DsAPK6cGAPOUtZe/azYvo=
-----END CERTIFICATE-----
-----BEGIN PRIVATE KEY-----
hdsjkr2tj4kbQ2J4LhDGxuB6uozZCQ32KeNyMVRS9X51b319sRLo09mq7/Bp1WrA
zE3dYYMcVKWc2eNOAoWW96zb0DbzpbSCW11qvkaP84vxDe03MsFs9WNgsrtxTWfY
WzT16vM/5XM=
-----END PRIVATE KEY-----
`,
        lines: [6],
        note: "a bundle: reported on the key's BEGIN line",
      },
      {
        path: "release/signing.p12",
        text: "0\u0082\n\u0001\u0002\u0001\u00030\u0082\t\u00c7\u0006\t*\u0086H\u0086\u00f7\r\u0001\u0007\u0001\u0000",
        lines: [1],
        note: "a binary keystore, by name",
      },
      {
        path: "keys/github-app",
        text: `-----BEGIN RSA PRIVATE KEY-----
hDBAMGgnJ4dJgUHvzrq/UiQTntxKJ6QTFrqeZhe9beeu9oKx8mEfltdHK62LbC2v
vJtkNV9PS0ANchxxuvmNK349MOF+Qn8i7ELcQxAppKr8w6jDqW/NAQ5IoWRp92QA
+bvCCFNAp4GnYzyu
-----END RSA PRIVATE KEY-----
`,
        lines: [1],
        note: "no telling name, but the file is a key",
      },
    ],
  },
  run(doc) {
    const file = describePath(doc.path);
    const keystore = keystoreFinding(doc, file);
    if (keystore) return [keystore];
    const text = textOf(doc);
    if (text === undefined) return [];
    const candidate = SSH_KEY_NAME.test(file.name) || KEY_LIKE_EXTENSIONS.has(file.extension);
    if (!candidate && !opensWithPrivateKey(text)) return [];
    const putty = puttyKey(text);
    const block = putty ?? findPrivateKeyBlock(text);
    if (!block) return [];
    const what = block.encrypted ? `a passphrase-protected ${block.label}` : `an unencrypted ${block.label}`;
    const gives = block.encrypted
      ? "anyone with the repository can try passphrases offline, and a weak one gives them the key"
      : "anyone with the repository can use it as its owner: log in where its public key is trusted, sign, or decrypt";
    return [fileFinding(doc, { line: block.line, message: `\`${file.baseName}\` holds ${what}: ${gives}.`, severity: block.encrypted ? "medium" : "high" })];
  },
});

/** Whether a binary keystore (by extension) is one this audit reports; binary-file leaves those to it. */
export function isReportedKeystore(file: FilePath): boolean {
  // Java's default keystore is `~/.keystore`; Maven and Tomcat setups name one `keystore`.
  if (!KEYSTORE_EXTENSIONS.has(file.extension) && file.name !== ".keystore" && file.name !== "keystore") return false;
  return !/trust|cacerts/.test(file.name) && file.name !== "debug.keystore";
}

function keystoreFinding(doc: FileDocument, file: FilePath): AuditFinding | undefined {
  if (!isReportedKeystore(file)) return undefined;
  // An empty placeholder file is no keystore.
  if (!isBinary(doc) && doc.text !== null && doc.text.trim() === "") return undefined;
  return fileFinding(doc, {
    message: `\`${file.baseName}\` is a keystore, which usually holds private keys: its password is often a default or sits next to it in the repository.`,
    severity: "medium",
    confidence: "medium",
  });
}

function opensWithPrivateKey(text: string): boolean {
  const first = findLine(text, (line) => line.trim() !== "");
  return first !== undefined && BEGIN.test(first.text.trim());
}

/** The first private-key block with a real base64 body. */
function findPrivateKeyBlock(text: string): KeyBlock | undefined {
  // `body` keeps the start (enough to read an OpenSSH key's cipher); `length` counts it all.
  let open: { line: number; label: string; encrypted: boolean; body: string; length: number } | undefined;
  let found: KeyBlock | undefined;
  findLine(text, (raw, number) => {
    const line = raw.trim();
    // Some tools write a key's body on one line; nothing longer is a key.
    if (line.length > 65_536) {
      open = undefined;
      return false;
    }
    const begin = line.length <= 200 ? BEGIN.exec(line) : null;
    if (begin) {
      open = { line: number, label: labelOf(begin[1]!.trim()), encrypted: /ENCRYPTED/.test(begin[1]!), body: "", length: 0 };
      return false;
    }
    if (!open) return false;
    if (END.test(line)) {
      if (open.length >= MIN_BODY) {
        found = { line: open.line, label: open.label, encrypted: open.encrypted || openSshEncrypted(open.label, open.body) };
        return true;
      }
      open = undefined;
      return false;
    }
    if (/^Proc-Type:\s*4,\s*ENCRYPTED/i.test(line)) open.encrypted = true;
    else if (BASE64_LINE.test(line)) {
      if (open.body.length < 128) open.body += line;
      open.length += line.length;
    }
    else if (line !== "" && !/^[A-Za-z-]{1,40}:/.test(line)) open = undefined; // not a key body after all
    return false;
  });
  return found;
}

function labelOf(prefix: string): string {
  switch (prefix) {
    case "RSA":
      return "RSA private key";
    case "EC":
      return "EC private key";
    case "DSA":
      return "DSA private key";
    case "OPENSSH":
      return "OpenSSH private key";
    case "PGP":
      return "PGP private key";
    default:
      return "private key";
  }
}

/** An OpenSSH key names its cipher right after the `openssh-key-v1` magic; `none` is unencrypted. */
function openSshEncrypted(label: string, body: string): boolean {
  if (label !== "OpenSSH private key") return false;
  const bytes = Buffer.from(body.slice(0, 64), "base64");
  const magic = "openssh-key-v1\u0000";
  if (bytes.toString("latin1", 0, magic.length) !== magic || bytes.length < magic.length + 4) return false;
  const length = bytes.readUInt32BE(magic.length);
  const cipher = bytes.toString("latin1", magic.length + 4, magic.length + 4 + Math.min(length, 32));
  return cipher !== "none";
}

/** PuTTY's `.ppk`: a `PuTTY-User-Key-File-N:` header, an `Encryption:` line and private lines. */
function puttyKey(text: string): KeyBlock | undefined {
  const header = findLine(text, (line) => /^PuTTY-User-Key-File-\d+:/.test(line));
  if (!header) return undefined;
  if (!findLine(text, (line) => /^Private-Lines:\s*[1-9]/.test(line))) return undefined;
  const encryption = findLine(text, (line) => /^Encryption:/.test(line));
  const encrypted = encryption !== undefined && !/^Encryption:\s*none\s*$/.test(encryption.text);
  return { line: header.line, label: "PuTTY private key", encrypted };
}
