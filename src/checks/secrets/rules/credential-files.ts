/**
 * Files whose format says the value is a credential: `.netrc`, `.pgpass`, `.git-credentials`, FTP
 * and SFTP clients' site lists, editor deployment configs, database GUIs, IRC clients, Rails' master
 * key, `.s3cfg`/`.boto`, Jenkins' `credentials.xml` and Firefox's `logins.json`. Each rule runs only
 * in files its `paths` names, and reports whatever the value's entropy: a weak password in a
 * `.netrc` is a leaked password, worse than a strong one. Only what stands where a password goes
 * (references, templates, placeholders, empty or withheld values) is left out
 * (credential-files/stored-value.ts); obfuscated values (FileZilla's base64, JetBrains' XOR) are
 * decoded to judge that, and reported as they stand in the file.
 *
 * Overlaps: the policy check's `credential-store-file` audit reports each such file once, by name;
 * these rules report each stored value, with its line, redacted evidence and fingerprint. Provider
 * rules that come earlier in the table (an AWS key in `.boto`, a `ghp_` token) keep their values.
 * `netrc-password` (config-files.ts, multiline, so it runs first) and `basic-auth-url` also find
 * the strong values in `.netrc` and `.git-credentials`; each value is still reported once, and the
 * weak ones (which those rules leave out) only here. Known limits: a file's values are judged line by line (a `.netrc` token and its value on two
 * lines are not read), and DBeaver's `credentials-config.json` is binary (AES with a key every
 * install shares): the secrets check never sees its content, the policy audit reports it by name.
 */
import type { SecretRule } from "../rule.js";
import { decodeFileZillaPassword } from "../credential-files/filezilla-password.js";
import { decodeJetBrainsPassword, encodeJetBrainsPassword } from "../credential-files/jetbrains-password.js";
import { isStoredCredential, unescapeBackslashes } from "../credential-files/stored-value.js";
import { decodeXmlEntities } from "../xml-entities.js";
import { decodeBase64 } from "../validators/base64.js";
import { decodeUriOrKeep } from "../../../core/decode-uri.js";

interface CredentialFile {
  readonly id: string;
  readonly provider: string;
  readonly title: string;
  readonly risk: string;
  readonly paths: RegExp;
  readonly pattern: RegExp;
  readonly keywords: readonly string[];
  readonly remediation: string;
  /** Judges the value as the pattern found it; default: a stored credential, as it stands. */
  readonly validate?: (secret: string) => boolean;
  readonly severity?: SecretRule["severity"];
  readonly multiline?: boolean;
  /** A path the rule's `paths` matches; samples are scanned under it. */
  readonly samplePath: string;
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
}

/** The format decides, so every rule here is high confidence, and high severity unless it says otherwise. */
function credentialFile(file: CredentialFile): SecretRule {
  return {
    id: file.id,
    provider: file.provider,
    title: file.title,
    risk: file.risk,
    pattern: file.pattern,
    keywords: file.keywords,
    paths: file.paths,
    validate: file.validate ?? isStoredCredential,
    severity: file.severity ?? "high",
    confidence: "high",
    ...(file.multiline ? { multiline: true } : {}),
    remediation: file.remediation,
    samples: { positives: file.positives, negatives: file.negatives, path: file.samplePath },
  };
}

/** A JSON string's content, escapes kept (judged unescaped). */
const JSON_STRING = '"(?<secret>(?:[^"\\\\\\n]|\\\\.){1,512})"';

/** `"key": "value"` for one of `keys`, at the start of a line or after `{`/`,` (so `//"password"` in JSON with comments is not read). */
function jsonField(keys: readonly string[]): RegExp {
  return new RegExp(`(?:^|[{,])[ \\t]{0,40}"(?:${keys.join("|")})"[ \\t]{0,8}:[ \\t]{0,8}${JSON_STRING}`);
}

const isStoredJsonString = (secret: string): boolean => isStoredCredential(unescapeBackslashes(secret));
const isStoredXmlText = (secret: string): boolean => isStoredCredential(decodeXmlEntities(secret));

const OWASP_SECRETS = "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html";
const REMOVE_AND_CHANGE = "Change the password at the server it logs in to, remove the file from the repository and add its name to .gitignore";

export const credentialFileRules: readonly SecretRule[] = [
  credentialFile({
    id: "netrc-file-password",
    provider: ".netrc",
    title: "Password in a .netrc file",
    risk: "Logs in to the entry's host as its user, usually a Git host, an API or a file server that curl, git, pip or ftp reach with it; a weak password is as usable as a strong one.",
    paths: /(?:^|\/)[._]?netrc$/,
    // A `password` token on a line of netrc tokens (`machine`, `default`, `login`, `account`, `port`
    // and their values), so an entry spread over lines reports the password at its own line, and
    // the FTP commands of a `macdef` block (`site password reset`) are not read as one; the path
    // says the file is a netrc. (`m` only for samples spread over lines: the scanner gives the rule
    // one line at a time.)
    pattern: /^[ \t]{0,40}(?:(?:(?:machine|login|account|port)[ \t]{1,10}(?:"[^"\n]{0,100}"|[^\s"]{1,100})|default)[ \t]{1,10}){0,6}password[ \t]{1,10}"?(?<secret>[^\s"]{1,200})/m,
    keywords: ["password"],
    remediation: `${REMOVE_AND_CHANGE}: https://everything.curl.dev/usingcurl/netrc.html`,
    samplePath: ".netrc",
    positives: [
      "machine git.acme.dev login ci-bot password hunter2",
      "machine ftp.acme.dev\n  login deploy\n  password letmein1",
      "default login build password Tmc5oYkmzQbydEP3l1xU",
      'machine "files.acme.dev" port 2121 account ops login deploy password "Kp3-vault"',
      "macdef init\n  cd /pub\n\nmachine backup.acme.dev\n\tlogin backup\n\tpassword r3store!",
    ],
    negatives: [
      "machine git.acme.dev login ci-bot password ${GIT_TOKEN}",
      'machine git.acme.dev login ci-bot password ""',
      "machine git.acme.dev login ci-bot password <password>",
      "# machine git.acme.dev login ci-bot password hunter2",
      "machine git.acme.dev login ci-bot",
      // FTP commands of a macro, not netrc tokens.
      "macdef upload\n  site password reset\n  put release.tar\n",
      "machine git.acme.dev login ci-bot # password hunter2",
    ],
  }),
  credentialFile({
    id: "pgpass-password",
    provider: "PostgreSQL",
    title: "Password in a .pgpass file",
    risk: "Connects to the matching databases as that role: read and change what it can reach and, for a superuser, run programs on the host with `COPY ... PROGRAM`.",
    paths: /(?:^|\/)(?:\.pgpass|pgpass(?:\.conf)?)$/,
    // `host:port:database:user:password`; `\:` and `\\` escape, `*` is a wildcard in the first four
    // fields, and the password is the rest of the line (libpq reads it so).
    pattern: /^(?:[^#:\\\s]|\\.)(?:[^:\\\n]|\\.){0,254}:(?:[^:\\\n]|\\.){1,255}:(?:[^:\\\n]|\\.){1,255}:(?:[^:\\\n]|\\.){1,255}:(?<secret>[^\r\n]{1,1000})/,
    // Every line of a .pgpass is an entry: no word to look for.
    keywords: [],
    validate: (secret) => isStoredCredential(secret.replace(/\\(.)/g, "$1")),
    remediation: `ALTER ROLE ... PASSWORD for each role listed, then remove the file and add it to .gitignore: https://www.postgresql.org/docs/current/libpq-pgpass.html`,
    samplePath: ".pgpass",
    positives: ["db.acme.internal:5432:orders:app_rw:hunter2", "*:*:*:replicator:Xq9\\:mT4v!pL2", "localhost:5432:*:postgres:postgres"],
    negatives: [
      "localhost:5432:*:postgres:${PGPASSWORD}",
      "# hostname:port:database:username:password",
      "hostname:port:database:username:password",
      "localhost:5432:*:postgres:",
      "localhost:5432:*:postgres",
    ],
  }),
  credentialFile({
    id: "git-credentials-password",
    provider: "Git",
    title: "Password or token in a .git-credentials file",
    risk: "Pushes to and reads every repository the user can reach on that Git host (the password is usually a personal access token): code can be changed in their name.",
    paths: /(?:^|\/)\.?git-credentials$/,
    // One URL a line; the password runs to the last `@`, as people write `@` and `#` in it unencoded.
    pattern: /^[ \t]{0,8}[a-z][a-z0-9+.-]{0,20}:\/\/[^:/\s]{0,256}:(?<secret>[^\s]{1,512})@[^@\s/]{1,255}(?:\/[^@\s]{0,1000})?[ \t]{0,8}\r?$/i,
    // Every line is such a URL; `://` as a keyword would queue the rule on every URL in every file.
    keywords: [],
    // `TOKEN:x-oauth-basic@` has the token as its user: GitHub's token rules report it; the constant is no password.
    validate: (secret) => !/^x-oauth-basic$/i.test(secret) && isStoredCredential(decodeUriOrKeep(secret)),
    remediation: `Revoke the token or change the password at the Git host, then use a credential helper that keeps it out of files (\`git config credential.helper\`): https://git-scm.com/docs/git-credential-store`,
    samplePath: ".git-credentials",
    positives: ["https://build:admin@git.acme.dev", "https://deploy:p@ss#2024@github.com", "https://jdoe:Gk7/QiU26pH7@gitlab.acme.dev/group"],
    negatives: ["https://ci-bot:${GIT_TOKEN}@git.acme.dev", "https://ci-bot@git.acme.dev", "https://oauth-user:x-oauth-basic@github.com", "# https://ci-bot:hunter2@git.acme.dev"],
  }),
  credentialFile({
    id: "filezilla-password",
    provider: "FileZilla",
    title: "Password in a FileZilla site list (base64, not encrypted)",
    risk: "Decodes to the FTP or SFTP login of the saved site: read and replace the files it serves, often a web site's code.",
    paths: /(?:^|\/)(?:sitemanager|recentservers|filezilla)\.xml$/i,
    pattern: /<Pass encoding="base64">(?<secret>[A-Za-z0-9+/]{1,1000}={0,2})<\/Pass>/,
    keywords: ['<pass encoding="base64">'],
    validate: (secret) => {
      const password = decodeFileZillaPassword(secret);
      return password !== undefined && isStoredCredential(password);
    },
    remediation: `${REMOVE_AND_CHANGE}; FileZilla can protect saved passwords with a master password: ${OWASP_SECRETS}`,
    samplePath: "AppData/Roaming/FileZilla/sitemanager.xml",
    positives: ['      <Pass encoding="base64">aHVudGVyMg==</Pass>', '<Server><Host>ftp.acme.dev</Host><User>deploy</User><Pass encoding="base64">U3VtbWVyMjAyNCE=</Pass></Server>'],
    negatives: ['      <Pass encoding="base64" />', '      <Pass encoding="base64">cGFzc3dvcmQ=</Pass>', '      <Pass encoding="base64">JHtGVFBfUEFTU30=</Pass>', '      <Pass encoding="base64">%%%%</Pass>'],
  }),
  credentialFile({
    id: "filezilla-plain-password",
    provider: "FileZilla",
    title: "Password in a FileZilla site list",
    risk: "The FTP or SFTP login of the saved site in plain text: read and replace the files it serves, often a web site's code.",
    paths: /(?:^|\/)(?:sitemanager|recentservers|filezilla)\.xml$/i,
    pattern: /<Pass>(?<secret>[^<\n]{1,512})<\/Pass>/,
    keywords: ["<pass>"],
    validate: isStoredXmlText,
    remediation: `${REMOVE_AND_CHANGE}; FileZilla can protect saved passwords with a master password: ${OWASP_SECRETS}`,
    samplePath: "backup/FileZilla/recentservers.xml",
    positives: ["      <Pass>hunter2</Pass>", "<Pass>Winter&amp;2025</Pass>"],
    negatives: ["      <Pass></Pass>", "      <Pass>&lt;password&gt;</Pass>", "      <Pass>${FTP_PASS}</Pass>"],
  }),
  credentialFile({
    id: "sftp-sync-config-password",
    provider: "Editor SFTP/FTP sync",
    title: "Password in an editor's SFTP/FTP sync config",
    risk: "The deployment login of the server the editor uploads to (Sublime SFTP, Atom remote-ftp and remote-sync, VS Code SFTP): change the code that server runs.",
    paths: /(?:^|\/)(?:sftp-config\.json|sftp-settings\.json|\.ftpconfig|\.sftpconfig|\.remote-sync\.json|deployment-config\.json|\.vscode\/sftp\.json)$/,
    pattern: jsonField(["password", "pass", "passphrase"]),
    keywords: ['"password"', '"pass"', '"passphrase"'],
    validate: isStoredJsonString,
    remediation: `${REMOVE_AND_CHANGE}; use an SSH key with an agent instead of a saved password: ${OWASP_SECRETS}`,
    samplePath: "sftp-config.json",
    positives: ['    "password": "hunter2!",', '{"protocol": "sftp", "host": "web.acme.dev", "user": "deploy", "pass": "Winter-2025", "remote": "/var/www"}'],
    negatives: ['    //"password": "password",', '    "password": "",', '    "password": "${SFTP_PASSWORD}",', '    "save_before_upload": true, "password": null'],
  }),
  credentialFile({
    id: "robo3t-password",
    provider: "Robo 3T",
    title: "Password in a Robo 3T connection list",
    risk: "The saved MongoDB (or SSH tunnel) login: read, change or drop the databases that user reaches.",
    paths: /(?:^|\/)(?:robo3t|robomongo)\.json$/,
    pattern: jsonField(["userPassword", "sshUserPassword", "sshPassphrase"]),
    keywords: ["userpassword", "sshpassphrase"],
    validate: isStoredJsonString,
    remediation: `Change the MongoDB user's password, remove the file and add it to .gitignore: ${OWASP_SECRETS}`,
    samplePath: ".3T/robo-3t/1.4.4/robo3t.json",
    positives: ['                    "userPassword": "hunter2",', '{"databaseName": "admin", "userName": "ops", "userPassword": "Mongo-Ops-2024"}'],
    negatives: ['                    "userPassword": "",', '                    "userName": "ops",', '                    "userPassword": "<password>",'],
  }),
  credentialFile({
    id: "dbeaver-data-source-password",
    provider: "DBeaver",
    title: "Password in a DBeaver connection list",
    risk: "The saved database login of a connection: read and change what that user reaches.",
    paths: /(?:^|\/)\.dbeaver\/data-sources[^/]{0,40}\.json$/,
    pattern: jsonField(["password", "auth-password"]),
    keywords: ['"password"', '"auth-password"'],
    validate: isStoredJsonString,
    remediation: `Change the database user's password; let DBeaver keep credentials in its secure storage, not in the project: ${OWASP_SECRETS}`,
    samplePath: "workspace6/General/.dbeaver/data-sources.json",
    positives: ['\t\t\t\t"password": "hunter2",', '"configuration": {"host": "db.acme.internal", "user": "report", "password": "Rep0rts!"}'],
    negatives: ['\t\t\t"save-password": true,', '\t\t\t\t"password": "",', '\t\t\t\t"password": "${DB_PASSWORD}",'],
  }),
  credentialFile({
    id: "jetbrains-webservers-password",
    provider: "JetBrains",
    title: "Password in a JetBrains WebServers.xml (obfuscated, not encrypted)",
    risk: "Decodes (XOR with a constant) to the FTP/SFTP login of a deployment server: change the code it runs.",
    paths: /(?:^|\/)webServers\.xml$/i,
    pattern: /(?:\spassword|<option name="password" value)="(?<secret>[^"<>\n]{1,1000})"/,
    keywords: ['password="', 'name="password"'],
    // Decoded only to judge; a value not in the scheme's format is a plain password.
    validate: (secret) => isStoredCredential(decodeJetBrainsPassword(secret) ?? decodeXmlEntities(secret)),
    remediation: `Change the deployment server's password and let the IDE keep it in its password safe: https://www.jetbrains.com/help/idea/settings-passwords.html`,
    samplePath: ".idea/webServers.xml",
    positives: [
      `        <fileTransfer host="ftp.acme.dev" port="21" accessType="FTP" login="deploy" password="${encodeJetBrainsPassword("hunter2")}" />`,
      `<option name="password" value="${encodeJetBrainsPassword("Summer2024!")}" />`,
    ],
    negatives: [
      '        <fileTransfer host="ftp.acme.dev" port="21" login="deploy" password="" />',
      `        <fileTransfer host="ftp.acme.dev" login="deploy" password="${encodeJetBrainsPassword("password")}" />`,
      '        <fileTransfer host="ftp.acme.dev" login="deploy" password="${DEPLOY_PASSWORD}" />',
    ],
  }),
  credentialFile({
    id: "esmtprc-password",
    provider: "esmtp",
    title: "Password in an .esmtprc file",
    risk: "The SMTP login esmtp relays mail through: send mail as that account, phishing from a trusted address.",
    paths: /(?:^|\/)\.?esmtprc$/,
    pattern: /^[ \t]{0,40}password[ \t]{0,8}=?[ \t]{0,8}["']?(?<secret>[^\s"'#]{1,256})/,
    keywords: ["password"],
    remediation: `Change the mail account's password (or revoke the app password), remove the file and add it to .gitignore: ${OWASP_SECRETS}`,
    samplePath: ".esmtprc",
    positives: ['  password = "hunter2"', "password Mail-Relay-2025"],
    negatives: ['  password = ""', "# password = hunter2", "  password = $SMTP_PASSWORD"],
  }),
  credentialFile({
    id: "ventrilo-password",
    provider: "Ventrilo",
    title: "Password in a Ventrilo server config",
    risk: "The server's admin or join password: take over the voice server (kick, ban, change its settings) or join it.",
    paths: /(?:^|\/)ventrilo_srv\.ini$/i,
    pattern: /^[ \t]{0,8}(?:Admin)?Password[ \t]{0,4}=[ \t]{0,4}(?<secret>[^\s;]{1,256})/i,
    keywords: ["password"],
    remediation: `Change the server's AdminPassword and Password, remove the file and add it to .gitignore: ${OWASP_SECRETS}`,
    samplePath: "ventrilo/ventrilo_srv.ini",
    positives: ["AdminPassword=hunter22", "Password=clan-night-42"],
    negatives: ["AdminPassword=", "; AdminPassword=hunter22", "Password=${VENT_PASSWORD}"],
  }),
  credentialFile({
    id: "irssi-password",
    provider: "irssi",
    title: "Password in an irssi config",
    risk: "The IRC server, SASL or channel password: log in as the user's nick and read or post in their channels.",
    paths: /(?:^|\/)\.irssi\/config$/,
    // A key on a line that does not start with `#`; irssi writes several keys on one line (`{ ...; password = "…"; }`).
    pattern: /^[ \t]{0,40}(?:[^#\s][^\n]{0,400}?[\s{;,])?(?:sasl_)?password[ \t]{0,8}=[ \t]{0,8}"(?<secret>(?:[^"\\\n]|\\.){1,256})"/,
    keywords: ["password"],
    validate: isStoredJsonString,
    remediation: `Change the nick's NickServ/SASL password (and the server or channel password), then use irssi's \`/set\` with an untracked file: https://irssi.org/documentation/settings/`,
    samplePath: "home/dev/.irssi/config",
    positives: ['    sasl_password = "hunter2";', '  { address = "irc.libera.chat"; chatnet = "liberachat"; port = "6697"; password = "Summer2024!"; }'],
    negatives: ['    sasl_password = "";', '#    sasl_password = "hunter2";', '    sasl_password = "${IRC_PASSWORD}";'],
  }),
  credentialFile({
    id: "hexchat-password",
    provider: "HexChat",
    title: "Password in a HexChat server list",
    risk: "The IRC server or NickServ password of a network: log in as the user's nick and read or post in their channels.",
    paths: /(?:^|\/)servlist_?\.conf$/,
    // `P=` server password, `B=` NickServ password (older versions). No keywords: `p=` and `b=` are
    // in every minified script, and the prefilter would queue this rule there for nothing.
    pattern: /^[PB]=(?<secret>[^\r\n]{1,256})/,
    keywords: [],
    remediation: `Change the password at the IRC network, remove the file and add it to .gitignore: https://hexchat.readthedocs.io/en/latest/`,
    samplePath: ".config/hexchat/servlist.conf",
    positives: ["P=hunter2", "B=nickserv-2024!"],
    negatives: ["P=", "N=Libera.Chat", "P=${IRC_PASSWORD}"],
  }),
  credentialFile({
    id: "weechat-password",
    provider: "WeeChat",
    title: "Password in a WeeChat irc.conf",
    risk: "The IRC server or SASL password of a network: log in as the user's nick and read or post in their channels.",
    paths: /(?:^|\/)(?:\.weechat|weechat)\/irc\.conf$/,
    pattern: /^[ \t]{0,8}(?:[A-Za-z0-9_.-]{1,64}\.)?(?:sasl_)?password[ \t]{0,4}=[ \t]{0,4}"(?<secret>(?:[^"\\\n]|\\.){1,256})"/,
    keywords: ["password"],
    validate: isStoredJsonString,
    remediation: `Change the password at the IRC network and store it with \`/secure set\` (referenced as \`\${sec.data.name}\`): https://weechat.org/files/doc/weechat/stable/weechat_user.en.html#secured_data`,
    samplePath: ".config/weechat/irc.conf",
    positives: ['libera.sasl_password = "hunter2"', 'oftc.password = "Summer2024!"'],
    negatives: ['libera.sasl_password = "${sec.data.libera}"', 'libera.sasl_password = ""', '# libera.sasl_password = "hunter2"'],
  }),
  credentialFile({
    id: "rails-master-key",
    provider: "Rails",
    title: "Rails master key",
    risk: "Decrypts the application's committed `credentials.yml.enc`, and with it every secret inside: database passwords, API keys, `secret_key_base` (forge sessions and cookies).",
    paths: /(?:^|\/)config\/(?:master|credentials\/[^/]{1,100})\.key$/,
    // The whole file is the key: 16 bytes in hex (aes-128-gcm), 32 for aes-256-gcm.
    pattern: /^[ \t]{0,8}(?<secret>[0-9a-f]{32}(?:[0-9a-f]{32})?)[ \t\r]{0,8}$/,
    keywords: [],
    remediation: `Generate a new key and re-encrypt the credentials (\`bin/rails credentials:edit\` after removing the old key), rotate every secret they held, and keep the key out of git: https://guides.rubyonrails.org/security.html#custom-credentials`,
    samplePath: "config/master.key",
    positives: ["5c1f9e37a0b84d26e9f13a7c4b0d82e6", "b7e2c94f1a3d08e65f9c2b71d4a0e8f3c6b5192d7e4a0f8c3b6d9e12a5f70c48"],
    negatives: ["00000000000000000000000000000000", "# 5c1f9e37a0b84d26e9f13a7c4b0d82e6", "5c1f9e37a0b84d26", "<%= ENV['RAILS_MASTER_KEY'] %>"],
  }),
  credentialFile({
    id: "s3cfg-secret-key",
    provider: "s3cmd",
    title: "Secret key in an .s3cfg file",
    risk: "With the access key beside it, reads, writes and deletes the buckets of that account (AWS or an S3-compatible store); `gpg_passphrase` decrypts what s3cmd uploaded encrypted.",
    paths: /(?:^|\/)\.?s3cfg$/,
    // The access key id is an identifier (AWS's own rule reports `AKIA…` ids anywhere); these are the secrets.
    pattern: /^[ \t]{0,8}(?:secret_key|access_token|gpg_passphrase)[ \t]{0,8}=[ \t]{0,8}(?<secret>[^\s]{1,512})/,
    keywords: ["secret_key", "access_token", "gpg_passphrase"],
    remediation: `Deactivate the key pair and create a new one, then keep .s3cfg in the home directory: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#Using_RotateAccessKey`,
    samplePath: ".s3cfg",
    positives: ["secret_key = Qm3v8Yt1Rk0Lx2Wz9Pd7Fh4Jn6Bc5Gs1Ta8Ue3Vi", "gpg_passphrase = correct-horse-battery"],
    negatives: ["secret_key = ", "access_key = AKIAZ7P2MXW3KQ5TRN4B", "secret_key = ${S3_SECRET_KEY}", "# secret_key = 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"],
  }),
  credentialFile({
    id: "boto-secret-key",
    provider: "AWS",
    title: "AWS secret access key in a .boto file",
    risk: "The secret that boto signs AWS (or S3-compatible) requests with: read, write and delete the account's buckets, and whatever else the key's IAM identity may do.",
    paths: /(?:^|\/)(?:\.boto|boto\.cfg)$/,
    pattern: /^[ \t]{0,8}aws_secret_access_key[ \t]{0,8}=[ \t]{0,8}(?<secret>[^\s]{1,1000})/,
    keywords: ["aws_secret_access_key"],
    remediation: `Deactivate the access key pair in IAM (or the S3-compatible service) and keep .boto in the home directory: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console`,
    samplePath: ".boto",
    positives: ["aws_secret_access_key = minio-dev-s3cr3t-2024", "  aws_secret_access_key=s3cr3t-minio"],
    negatives: ["aws_secret_access_key = ", "# aws_secret_access_key = minio-dev-s3cr3t-2024", "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}", "gs_secret_access_key = minio-dev-s3cr3t-2024"],
  }),
  credentialFile({
    id: "boto-gcs-credential",
    provider: "Google Cloud",
    title: "Cloud Storage HMAC secret or OAuth refresh token in a .boto file",
    risk: "What gsutil signs Cloud Storage requests with: an HMAC secret (with its `GOOG1…` access id) or a user's OAuth refresh token, either of which reads, writes and deletes the account's buckets.",
    paths: /(?:^|\/)(?:\.boto|boto\.cfg)$/,
    pattern: /^[ \t]{0,8}(?:gs_secret_access_key|gs_oauth2_refresh_token)[ \t]{0,8}=[ \t]{0,8}(?<secret>[^\s]{1,1000})/,
    keywords: ["gs_secret_access_key", "gs_oauth2_refresh_token"],
    remediation: `Delete the HMAC key (Cloud Storage > Settings > Interoperability) or revoke the refresh token (gcloud auth revoke), then keep .boto in the home directory: https://cloud.google.com/storage/docs/authentication/managing-hmackeys`,
    samplePath: ".boto",
    positives: ["gs_oauth2_refresh_token = 1/Mn3rTq8vX2pL0kWz7Yb4Hc9Jd6Fg1Ns5Qe8Ua2Vi0Ro", "gs_secret_access_key = gcs-local-hmac-2024"],
    negatives: ["gs_secret_access_key = ", "# gs_oauth2_refresh_token = 1/Mn3rTq8vX2pL0kWz7Yb4Hc9Jd6Fg1Ns5Qe8Ua2Vi0Ro", "gs_secret_access_key = ${GS_SECRET_ACCESS_KEY}", "aws_secret_access_key = gcs-local-hmac-2024"],
  }),
  credentialFile({
    id: "jenkins-credentials-secret",
    provider: "Jenkins",
    title: "Secret in a Jenkins credentials.xml",
    risk: "A credential Jenkins stores for its jobs (deploy passwords, SSH keys, API tokens); the `{AQAAAB…}` form is encrypted with the controller's `secrets/master.key`, which often travels with the file, and is decrypted with it in one call.",
    paths: /(?:^|\/)credentials\.xml$/,
    // No closing tag required: a `secretBytes` value longer than the pattern's bound is still reported (cut).
    pattern: /<(?:password|privateKey|secret|passphrase|apiToken|secretBytes)>(?<secret>[^<\s]{1,1000})/,
    keywords: ["<password>", "<privatekey>", "<secret>", "<passphrase>", "<apitoken>", "<secretbytes>"],
    validate: isStoredXmlText,
    remediation: `Rotate every credential the file stores at its service, and keep JENKINS_HOME's credentials and secrets/ out of repositories: https://www.jenkins.io/doc/book/using/using-credentials/`,
    samplePath: "jenkins_home/credentials.xml",
    positives: [
      "          <password>{AQAAABAAAAAQ3kVb9xLmT2qZ7pW4nR8sY1uC6hF0jD5gEaKoI2vNcQ=}</password>",
      "          <secret>{AQAAABAAAAAwYr6Tn1xQ8Zp3Lc5Vb7Km0Ws2Hd9Jf4Gt6Ue1Ai8Oy3Rq5Ne7Mx0Pz2Bv4Cs6Dk=}</secret>",
      "          <password>hunter2</password>",
    ],
    negatives: ["          <password></password>", "          <password>${JENKINS_PASSWORD}</password>", "          <description>password for the deploy user</description>"],
  }),
  credentialFile({
    id: "firefox-saved-logins",
    provider: "Firefox",
    title: "Saved logins in a Firefox logins.json",
    risk: "A profile's saved website logins, encrypted with the key in the profile's `key4.db`: with that file (often committed beside it, but not visible in this change) every login decrypts, unless the profile has a primary password.",
    paths: /(?:^|\/)logins\.json$/,
    // The first encrypted password; the rest of the window is consumed, so a file is reported once
    // (Firefox writes it on one line). The DER header that names the key slot is the same in
    // every file: it is skipped so that the constant run of `A`s is not judged as filler.
    pattern: /"encryptedPassword"[ \t]{0,4}:[ \t]{0,4}"(?:M[A-Za-z0-9+/]{2}EEPgA{19}Ew)?(?<secret>[A-Za-z0-9+/]{16,1000}={0,2})[\s\S]*/,
    keywords: ['"encryptedpassword"'],
    multiline: true,
    validate: (secret) => (decodeBase64(secret)?.length ?? 0) >= 8,
    severity: "medium",
    remediation: `Change the password of every site the profile saved, and keep browser profiles out of repositories: https://support.mozilla.org/kb/password-manager-remember-delete-edit-logins`,
    samplePath: "profiles/dev.default-release/logins.json",
    positives: [
      '{"nextId":3,"logins":[{"id":1,"hostname":"https://intranet.acme.dev","encryptedUsername":"MDIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECIdzLDCnX7+RBAgbjQu852Kb5g==","encryptedPassword":"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECOujFgsXw/5sBBBe8EbCYPa6vqXmQInT8sEc","guid":"{7c1e2a4b}"},{"id":2,"hostname":"https://git.acme.dev","encryptedPassword":"MEIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECG91hkBPoFXvBBi4XLdE9VyfDfzjrcfWPN6WBu87ekDEU90="}]}',
      '      "encryptedPassword": "MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECPSrL5iGCLSLBBAC480YxN6lrE9TjrU475Zn",',
    ],
    negatives: ['{"nextId":1,"logins":[],"potentiallyVulnerablePasswords":[],"version":3}', '      "encryptedPassword": "",'],
  }),
];
