/**
 * The files where common tools store passwords for their user: committed with a home directory, a
 * project's editor settings or a server backup, they give every stored login away. Each is named
 * where its tool writes it and, where it is text, judged by the field that holds the secret (an
 * empty or placeholder value is fine):
 * - `.netrc`/`_netrc` (`password`), `.pgpass` (the fifth field), `.git-credentials`
 *   (`https://user:token@host`), `.my.cnf` (`password=`), `.htpasswd`/`.htdigest` (hashes, which
 *   are cracked offline: medium), copies of `/etc/shadow` (`user:$6$…:` hashes; locked accounts
 *   `!`/`*` are fine);
 * - FileZilla `sitemanager.xml`/`recentservers.xml` (`<Pass>`), WinSCP `WinSCP.ini` (`Password=`,
 *   obfuscated, not encrypted), editor sync configs with a password field: Sublime SFTP
 *   `sftp-config.json` (its template's commented-out `//"password"` is fine), VS Code
 *   `.vscode/sftp.json`, Atom `.ftpconfig` and `.remote-sync.json`, Sublime `ftpsync.settings`;
 *   JetBrains `WebServers.xml` with `password` attributes;
 * - database GUIs: DBeaver `credentials-config.json` (encrypted with a key every DBeaver install
 *   shares) and its `data-sources*.json` with a `password`, Robo 3T `robo3t.json` (`userPassword`);
 * - browser profiles: Chrome `Login Data`, Firefox `logins.json` with its `key4.db`/`key3.db`;
 * - application master keys: Rails `config/master.key` and `config/credentials/*.key` (they decrypt
 *   the committed credentials), Jenkins `credentials.xml` with secret elements and its
 *   `secrets/master.key` and `secrets/hudson.util.Secret`; Rails 4–5 `config/secrets.yml` with a
 *   literal `secret_key_base` outside `development` and `test` (whose generated keys Rails commits
 *   by design);
 * - password databases by name (`.kdbx`, `.psafe3`, `.keychain`, `.keychain-db`): encrypted, so
 *   medium: their master password can be guessed offline.
 * Not judged (not sure enough of their format): JetBrains `dataSources.xml`, Sequel Pro favourites.
 */
import type { Severity } from "../../../../core/types.js";
import { defineAudit } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { jsonKeyLine, literalLine, type CredentialLine } from "./_credential-lines.js";
import { isLiteralCredential, unquote } from "./_credential-value.js";
import { findLine, isBinary, textOf } from "./_file-content.js";
import { fileFinding } from "./_file-finding.js";
import { belowFolder, describePath, endsWith, inFolder, type FilePath } from "./_file-path.js";

interface Store {
  /** What the file is: "netrc file". */
  readonly what: string;
  /** What it gives, completing "it gives …". */
  readonly gives: string;
  readonly severity?: Severity;
  applies(file: FilePath): boolean;
  /** Where the secret is; `undefined` judges by name alone (binary stores). */
  readonly find?: (text: string) => CredentialLine | undefined;
}

const byName = (...names: string[]) => (f: FilePath) => names.includes(f.name);
const line1 = (field = ""): CredentialLine => ({ line: 1, field });
/** JSON with comments (Sublime's and Atom's settings): a `//` line is commented out. */
const JSON_LINES = { comments: ["//"] } as const;

const STORES: readonly Store[] = [
  {
    what: "netrc file",
    gives: "the logins it stores for each host (curl, git, ftp and Heroku read it)",
    applies: byName(".netrc", "_netrc", "netrc"),
    find: (text) => literalLine(text, /(?:^|\s)(password)\s+(\S+)/),
  },
  {
    what: "PostgreSQL password file",
    gives: "the database logins it stores",
    applies: byName(".pgpass", "pgpass", "pgpass.conf"),
    find: pgpassEntry,
  },
  {
    what: "Git credential store",
    gives: "the Git hosts' tokens or passwords it stores",
    applies: byName(".git-credentials", "git-credentials"),
    find: (text) => literalLine(text, /^\s*[a-z][a-z0-9+.-]*:\/\/([^\s:@/]+):([^\s@/]+)@/i, { field: "password" }),
  },
  {
    what: "MySQL client option file",
    gives: "the database login it stores",
    applies: byName(".my.cnf", ".mylogin.cnf"),
    find: (text) => literalLine(text, /^\s*(password)\s*=\s*(.*)$/),
  },
  {
    what: "web server password file",
    gives: "password hashes that are cracked offline",
    severity: "medium",
    applies: (f) => f.name === ".htpasswd" || f.name === "htpasswd" || f.name === ".htdigest" || f.extension === "htpasswd",
    find: (text) => literalLine(text, /^([^\s:#]{1,200}):(\S.*)$/, { field: "password hash" }),
  },
  {
    what: "copy of /etc/shadow",
    gives: "the system accounts' password hashes, which are cracked offline",
    applies: (f) => /^g?shadow(?:-|\.bak|\.old)?$/.test(f.name),
    find: (text) => literalLine(text, /^([a-z_][a-z0-9_.-]{0,31}\$?):(\$[0-9a-z]{1,6}\$[^:\s]+|[./0-9A-Za-z]{13}):/, { field: "password hash" }),
  },
  {
    what: "FileZilla site list",
    gives: "the FTP and SFTP logins it stores (FileZilla writes passwords base64-encoded, not encrypted)",
    applies: byName("sitemanager.xml", "recentservers.xml", "filezilla.xml"),
    find: (text) => literalLine(text, /<(Pass)(?:\s[^>]*)?>([^<]+)<\/Pass>/),
  },
  {
    what: "WinSCP configuration",
    gives: "the stored sessions' passwords (obfuscated, not encrypted)",
    applies: byName("winscp.ini"),
    find: (text) => literalLine(text, /^\s*(Password(?:Plain)?)=(.+)$/i),
  },
  {
    what: "editor SFTP/FTP sync configuration",
    gives: "the server login it deploys with",
    applies: (f) =>
      f.name === "sftp-config.json" || f.name === "sftp-settings.json" || (inFolder(f, ".vscode") && f.name === "sftp.json") || f.name === ".ftpconfig" || f.name === ".sftpconfig" || f.name === "ftpsync.settings" || f.name === ".remote-sync.json",
    find: (text) => literalLine(text, /"(password|pass|passphrase)"\s*:\s*("[^"]*")/, JSON_LINES),
  },
  {
    what: "JetBrains deployment server list",
    gives: "the deployment servers' logins",
    applies: byName("webservers.xml"),
    find: (text) => literalLine(text, /\s(password)="([^"]*)"/) ?? literalLine(text, /<option name="(password)" value="([^"]*)"/),
  },
  {
    what: "DBeaver credential store",
    gives: "the saved database logins (encrypted with a key every DBeaver install shares)",
    applies: (f) => f.name === "credentials-config.json" && (belowFolder(f, ".dbeaver") || f.folders.some((d) => d.includes("dbeaver"))),
  },
  {
    what: "DBeaver connection list",
    gives: "the saved database logins",
    applies: (f) => belowFolder(f, ".dbeaver") && /^data-sources.*\.json$/.test(f.name),
    find: (text) => literalLine(text, /"(password|auth-password)"\s*:\s*("[^"]*")/, JSON_LINES),
  },
  {
    what: "Robo 3T connection list",
    gives: "the saved MongoDB logins",
    applies: byName("robo3t.json", "robomongo.json"),
    find: (text) => literalLine(text, /"(userPassword|sshUserPassword|sshPassphrase)"\s*:\s*("[^"]*")/, JSON_LINES),
  },
  {
    what: "browser login database",
    gives: "the profile's saved website logins (decryptable with the profile's key file or the user's OS account)",
    applies: (f) => f.name === "login data" || f.name === "login data for account" || f.name === "key4.db" || f.name === "key3.db" || f.name === "signons.sqlite",
  },
  {
    what: "Firefox saved logins",
    gives: "the profile's saved website logins, decryptable together with its `key4.db`",
    applies: byName("logins.json"),
    find: (text) => (text.includes('"encryptedPassword"') ? { line: jsonKeyLine(text, "encryptedPassword"), field: "encryptedPassword" } : undefined),
  },
  {
    what: "Rails master key",
    gives: "the decryption of the application's committed credentials file, with every secret in it",
    applies: (f) => endsWith(f, "config", "master.key") || (inFolder(f, "credentials") && endsWith(f, "config", "credentials", f.name) && f.extension === "key"),
    find: (text) => (isLiteralCredential(text.trim()) && /^[0-9a-f]{16,128}$/i.test(text.trim()) ? line1() : undefined),
  },
  {
    what: "Rails secrets file",
    gives: "the `secret_key_base` that signs and encrypts the application's sessions and cookies",
    applies: (f) => f.name === "secrets.yml" && inFolder(f, "config"),
    find: railsSecretKeyBase,
  },
  {
    what: "Jenkins credentials store",
    gives: "the CI's stored passwords, keys and tokens (encrypted with the controller's key, which often travels with it)",
    applies: byName("credentials.xml"),
    find: (text) =>
      text.includes("com.cloudbees.plugins.credentials") || text.includes("<credentials>")
        ? literalLine(text, /<(password|privateKey|secret|passphrase|apiToken|secretBytes)>([^<]+)</)
        : undefined,
  },
  {
    what: "Jenkins master key",
    gives: "the decryption of every credential the Jenkins controller stores",
    applies: (f) => inFolder(f, "secrets") && (f.name === "master.key" || f.name === "hudson.util.secret"),
  },
  {
    what: "password database",
    gives: "every password in it to an offline guess of its master password",
    severity: "medium",
    applies: (f) => f.extension === "kdbx" || f.extension === "psafe3" || f.extension === "keychain" || f.name.endsWith(".keychain-db"),
  },
];

export const credentialStoreFile = defineAudit<FileDocument>({
  id: "credential-store-file",
  domain: "file",
  title: "Tool credential store added",
  description: "A file where a tool stores its user's passwords (netrc, pgpass, git-credentials, htpasswd, a shadow copy, FTP and SFTP clients, database GUIs, browser logins, application master keys) gives every stored login to anyone who can read the repository.",
  severity: "high",
  confidence: "high",
  remediation:
    "Remove the file and add its name to .gitignore, change every password it stored (and rotate a master key with the secrets it decrypts); keep such files in the home directory or a secret manager.",
  link: "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/",
  samples: {
    valid: [
      { path: "README.md", text: "Put your login in `~/.netrc`:\n\n    machine api.example.com login you password <your-token>\n", note: "documentation" },
      { path: "public/.htaccess", text: "RewriteEngine On\nRewriteRule ^(.*)$ index.php [QSA,L]\n", note: ".htaccess is no password file" },
      {
        path: "sftp-config.json",
        text: '{\n    "type": "sftp",\n    "host": "example.com",\n    "user": "deploy",\n    //"password": "password",\n    "remote_path": "/var/www/"\n}\n',
        note: "Sublime SFTP's template, password commented out",
      },
      { path: "rootfs/etc/shadow", text: "root:*:19000:0:99999:7:::\ndaemon:!:19000::::::\n", note: "locked accounts only" },
      {
        path: "config/secrets.yml",
        text: "development:\n  secret_key_base: 3b7cd727ee24e8444053437c36cc66c3\ntest:\n  secret_key_base: 2f2f4d6e2b8a1c0e9d7f5a3b1c9e7d5f\nproduction:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n",
        note: "Rails' generated secrets.yml: literals only for development and test",
      },
    ],
    invalid: [
      { path: ".netrc", text: "machine github.com\n  login deploy-bot\n  password ghp_R4nd0mT0k3nV4lu3F0rT35t1ngPurp0s3s\n", lines: [3] },
      { path: "backup/etc/shadow", text: "root:$6$Zq3dP0lm$5nT9bW2qL0vYx8cR1eK4aH7uJ3sF6gD9zX2cV5bN8mQ1wE4rT7yU0iO3pA6sD9fG2hJ5kL8zX1cV4bN7mQ0wE3r:19500:0:99999:7:::\n", lines: [1] },
      { path: "config/master.key", text: "9f6c2d4b8e1a7f3c5d0b2e4a6c8f1d3b\n", lines: [1] },
      {
        path: "Users/dev/AppData/Roaming/FileZilla/sitemanager.xml",
        text: '<?xml version="1.0" encoding="UTF-8"?>\n<FileZilla3>\n  <Servers>\n    <Server>\n      <Host>ftp.acme.io</Host>\n      <User>deploy</User>\n      <Pass encoding="base64">cTh2VDJuTHAwd1hz</Pass>\n    </Server>\n  </Servers>\n</FileZilla3>\n',
        lines: [7],
      },
      { path: "profile/Login Data", text: "SQLite format 3\u0000\u0010\u0000\u0001\u0001", lines: [1], note: "a browser store, by name" },
    ],
  },
  run(doc) {
    const file = describePath(doc.path);
    for (const store of STORES) {
      if (!store.applies(file)) continue;
      let found: CredentialLine | undefined;
      if (store.find === undefined) {
        if (!isBinary(doc) && doc.text !== null && doc.text.trim() === "") continue;
        found = line1();
      } else {
        const text = textOf(doc);
        if (text === undefined) continue;
        found = store.find(text);
      }
      if (!found) continue;
      const field = found.field ? ` with a literal \`${found.field}\`` : "";
      return [
        fileFinding(doc, {
          line: found.line,
          message: `\`${file.baseName}\` is a ${store.what}${field}: it gives ${store.gives}.`,
          severity: store.severity ?? "high",
        }),
      ];
    }
    return [];
  },
});

/** Claimed binary stores (browser databases, password databases): binary-file leaves them to this audit. */
export function isReportedBinaryStore(file: FilePath): boolean {
  return STORES.some((s) => s.find === undefined && s.applies(file));
}

/** `host:port:database:user:password`, `\:` escaping a colon; `*` is a wildcard in the first four fields only. */
function pgpassEntry(text: string): CredentialLine | undefined {
  const found = findLine(text, (line) => {
    if (line.trimStart().startsWith("#") || line.length > 8192) return false;
    const fields = line.replace(/\\\\/g, "\u0001").split(/(?<!\\):/);
    if (fields.length < 5) return false;
    const password = fields.slice(4).join(":").replace(/\\:/g, ":");
    return isLiteralCredential(password);
  });
  return found ? { line: found.line, field: "password" } : undefined;
}

/**
 * Rails writes literal keys for development and test on purpose; any other section's (`production`,
 * Rails 5.1's `shared`, a `default` that others merge) must come from ENV. Read by lines, not parsed:
 * the file is ERB-templated YAML, and what matters is a literal on a `secret_key_base:` line.
 */
function railsSecretKeyBase(text: string): CredentialLine | undefined {
  let section = "";
  const found = findLine(text, (line) => {
    if (line.length > 8192) return false;
    const top = /^([A-Za-z_][\w-]*)\s*:/.exec(line);
    if (top) {
      section = top[1]!;
      return false;
    }
    if (section === "development" || section === "test") return false;
    const match = /^\s+(?:secret_key_base|secret_token)\s*:\s*(.+)$/.exec(line);
    if (!match) return false;
    const value = unquote(match[1]!);
    return value.length >= 30 && isLiteralCredential(value);
  });
  return found ? { line: found.line, field: "secret_key_base" } : undefined;
}
