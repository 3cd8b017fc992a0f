/**
 * URLs and connection strings with an embedded password. The secret is `user:password` (the user
 * alone is not secret, but it helps whoever rotates the credential find it). Placeholders, template
 * references and `postgres:postgres`-style defaults are not reported (url-credentials.ts).
 */
import type { SecretRule } from "../rule.js";
import { credentialUrlPattern, hasRealPassword, isRealPassword } from "./url-credentials.js";

interface UrlKind {
  readonly id: string;
  readonly title: string;
  /** See `SecretRule.risk`: what the credential grants, in one sentence. */
  readonly risk: string;
  readonly provider: string;
  readonly schemes: string;
  readonly keywords: readonly string[];
  readonly remediation: string;
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
  readonly allowEmptyUser?: boolean;
  readonly severity?: SecretRule["severity"];
  /** See `SecretRule.exceptPaths`. */
  readonly exceptPaths?: RegExp;
}

function urlRule(kind: UrlKind): SecretRule {
  return {
    id: kind.id,
    provider: kind.provider,
    title: kind.title,
    risk: kind.risk,
    pattern: credentialUrlPattern(kind.schemes, kind.allowEmptyUser),
    keywords: kind.keywords,
    validate: hasRealPassword,
    userAndPassword: true,
    severity: kind.severity ?? "high",
    ...(kind.exceptPaths ? { exceptPaths: kind.exceptPaths } : {}),
    remediation: kind.remediation,
    samples: { positives: kind.positives, negatives: kind.negatives },
  };
}

const DB_ROTATE = "Change the database user's password, update the services that use it, and load the URL from a secret store: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html";

export const connectionStringRules: readonly SecretRule[] = [
  urlRule({
    id: "postgres-connection-string",
    title: "PostgreSQL connection URL with password",
    risk: "Connects as the database user: read and change every table it can reach and, for a superuser, run programs on the host with `COPY ... PROGRAM`.",
    provider: "PostgreSQL",
    schemes: "postgres|postgresql|postgis",
    keywords: ["postgres://", "postgresql://", "postgis://"],
    remediation: `ALTER ROLE ... PASSWORD (https://www.postgresql.org/docs/current/sql-alterrole.html). ${DB_ROTATE}`,
    positives: ["DATABASE_URL=postgres://app_rw:ipUR6CRGkqyqoW6JpHpE@db.internal:5432/orders", 'url: "postgresql://analytics:m2kxQNEG%21egQcap@10.0.3.7/warehouse?sslmode=require"'],
    negatives: ["DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app", "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app", "DATABASE_URL=postgresql://user:password@localhost/db", "DATABASE_URL=postgres://app@db.internal/orders"],
  }),
  urlRule({
    id: "mysql-connection-string",
    title: "MySQL / MariaDB connection URL with password",
    risk: "Connects as the database user: read, change and delete the data it can reach and, with the `FILE` privilege, read files on the server.",
    provider: "MySQL",
    schemes: "mysql|mysql2|mysqlx|mariadb",
    keywords: ["mysql://", "mysql2://", "mysqlx://", "mariadb://"],
    remediation: `ALTER USER ... IDENTIFIED BY (https://dev.mysql.com/doc/refman/8.4/en/alter-user.html). ${DB_ROTATE}`,
    positives: ["DATABASE_URL=mysql://shop:c0di5HHiCUH7q88l5H@mysql.prod.internal:3306/shop", "db: mariadb://reporting:uJnNUZeieXosiE@10.1.2.3/stats"],
    negatives: ["DATABASE_URL=mysql://root:<password>@localhost:3306/shop", "DATABASE_URL=mysql://root:root@localhost/shop"],
  }),
  urlRule({
    id: "mongodb-connection-string",
    title: "MongoDB connection URL with password",
    risk: "Connects as the database user: read, change and drop the collections it can reach; exposed MongoDB data is routinely wiped and held for ransom.",
    provider: "MongoDB",
    schemes: "mongodb|mongodb\\+srv",
    keywords: ["mongodb://", "mongodb+srv://"],
    remediation: `Change the database user's password (Atlas: Database Access > Edit > Edit Password; self-hosted: db.changeUserPassword). https://www.mongodb.com/docs/manual/reference/method/db.changeUserPassword/`,
    positives: ["MONGO_URL=mongodb+srv://api:SgyGQdsvPJRzIsk8G5HohCGV@cluster0.j0ayp.mongodb.net/prod?retryWrites=true", 'uri = "mongodb://admin:zqFmUCTWJNNOF6wj@mongo-0.mongo:27017,mongo-1.mongo:27017/?replicaSet=rs0"'],
    negatives: ["MONGO_URL=mongodb+srv://<username>:<password>@cluster0.mongodb.net/", "MONGO_URL=mongodb://localhost:27017/app"],
  }),
  urlRule({
    id: "redis-connection-string",
    title: "Redis connection URL with password",
    risk: "Reads and changes every key in the instance (sessions, caches, queues) and, with admin commands, can write files on the host.",
    provider: "Redis",
    schemes: "redis|rediss",
    keywords: ["redis://", "rediss://"],
    allowEmptyUser: true,
    remediation: "Change the password (CONFIG SET requirepass / ACL SETUSER, or the managed service's console) and update clients: https://redis.io/docs/latest/operate/oss_and_stack/management/security/acl/",
    positives: ["REDIS_URL=redis://:eGYauqyTAxYEFNNr5pmsoI7kQITT93sZ@cache.internal:6379/0", "REDIS_URL=rediss://default:ibPgr6NMLD2PeEMd0Uu54e3p@eu1-fpolgy.upstash.io:6379"],
    negatives: ["REDIS_URL=redis://localhost:6379/0", "REDIS_URL=redis://:${REDIS_PASSWORD}@cache:6379"],
  }),
  urlRule({
    id: "amqp-connection-string",
    title: "AMQP (RabbitMQ) connection URL with password",
    risk: "Connects to the broker as the user: publish forged messages to consumers and read or drain the queues the user can access.",
    provider: "RabbitMQ",
    schemes: "amqp|amqps",
    keywords: ["amqp://", "amqps://"],
    remediation: "Change the user's password (rabbitmqctl change_password or the broker console): https://www.rabbitmq.com/docs/passwords",
    positives: ["AMQP_URL=amqps://orders:Ccdo2U1nv3wkBMNUq0jM@b-emgslxas.mq.eu-west-1.amazonaws.com:5671", "broker_url = 'amqp://worker:qyrIIp843pBEbqL0@rabbitmq:5672//'"],
    negatives: ["AMQP_URL=amqp://guest:guest@localhost:5672/", "AMQP_URL=amqp://user:%s@%s:5672/"],
  }),
  urlRule({
    id: "smtp-connection-string",
    title: "SMTP URL with password",
    risk: "Sends mail through the server as the account, passing the domain's SPF and DKIM, ideal for phishing; the same password often opens the mailbox too.",
    provider: "SMTP",
    schemes: "smtp|smtps",
    keywords: ["smtp://", "smtps://"],
    remediation: "Change the mailbox or SMTP credential's password with the mail provider and update senders: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    positives: ["MAIL_URL=smtps://notifications%40acme.dev:Bt9KGODClZE3phUi@smtp.gmail.com:465", "EMAIL_URL=smtp://apikey:Y3wOLuhkqRzsE0AjOxOZerTD@smtp.relay.acme-mail.net:587"],
    negatives: ["MAIL_URL=smtp://localhost:1025", "MAIL_URL=smtp://user:pass@smtp.mailtrap.io:2525"],
  }),
  urlRule({
    id: "ldap-connection-string",
    title: "LDAP URL with bind password",
    risk: "Binds to the directory as that account: read user and group entries, often the whole organization, and with write rights change passwords or group membership.",
    provider: "LDAP",
    schemes: "ldap|ldaps",
    keywords: ["ldap://", "ldaps://"],
    remediation: "Change the bind account's password in the directory and update its clients: https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html",
    positives: ["LDAP_URL=ldaps://svc-bind:jRLwMeMgSDMD98mG5N@dc01.corp.internal:636", "url: ldap://readonly:6ihZhxOXYVG2@ldap.acme.dev:389/dc=acme,dc=dev"],
    negatives: ["LDAP_URL=ldaps://dc01.corp.internal:636", "LDAP_URL=ldap://cn=admin:{{ ldap_password }}@ldap:389"],
  }),
  urlRule({
    id: "ftp-connection-string",
    title: "FTP / SFTP URL with password",
    risk: "Logs in to the file server as the account: download, upload or replace files, including web content that visitors load.",
    provider: "FTP",
    schemes: "ftp|ftps|sftp",
    keywords: ["ftp://", "ftps://", "sftp://"],
    remediation: "Change the account's password on the file server and prefer key-based SFTP: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    positives: ["FTP_URL=ftp://uploader:pLHcuYnOacZnBT@files.acme.dev/incoming", "sftp://deploy:Z68XTNpnCJSUTWt8jaE1@sftp.partner.net:22/inbox"],
    negatives: ["FTP_URL=ftp://anonymous:anonymous@ftp.gnu.org/gnu", "FTP_URL=sftp://deploy@sftp.partner.net"],
  }),
  urlRule({
    id: "sqlserver-connection-string",
    title: "SQL Server connection URL with password",
    risk: "Connects as the login: read and change the databases it can reach and, for a sysadmin, run operating system commands through `xp_cmdshell`.",
    provider: "SQL Server",
    schemes: "sqlserver|mssql",
    keywords: ["sqlserver://", "mssql://"],
    remediation: `ALTER LOGIN ... WITH PASSWORD (https://learn.microsoft.com/sql/t-sql/statements/alter-login-transact-sql). ${DB_ROTATE}`,
    positives: ["DATABASE_URL=sqlserver://app:Dv2eeaQfOqVz4MlT3xIT@sql.internal:1433?database=erp", "conn: mssql://etl:BKJlSsNgmw17tSsL@10.0.0.12/warehouse"],
    negatives: ["DATABASE_URL=sqlserver://sql.internal:1433?database=erp", "DATABASE_URL=mssql://sa:$SA_PASSWORD@localhost"],
  }),
  urlRule({
    id: "basic-auth-url",
    title: "HTTP(S) URL with embedded basic-auth password",
    risk: "Logs in to the service in the URL as that user, whatever it is: an internal API, a package index, a Git host or an admin console.",
    provider: "HTTP",
    schemes: "https?",
    keywords: ["http://", "https://"],
    // Each line of a .git-credentials file is such a URL: the format rule (credential-files.ts) owns them.
    exceptPaths: /(?:^|\/)\.?git-credentials$/,
    remediation: "Change the password or token used in the URL at the service it authenticates to, and pass credentials out of band: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    positives: [
      "PIP_INDEX_URL=https://ci-reader:LHC0SfbiyT9BD57pwYOFUK@pypi.internal.acme.dev/simple",
      "git clone https://deploy:WGN1h1Ny3yoTpE7KPRr7@git.internal.acme.dev/platform/infra.git",
      // Written by hand, as in .git-credentials: an e-mail as the user, `@` and `#` unencoded.
      "https://jane.doe@acme.dev:Xq7@zL2#mRt9@git.internal.acme.dev",
    ],
    negatives: ["see https://user:pass@host.example/path", "https://github.com/acme/api.git", "https://${USER}:${TOKEN}@git.acme.dev/x.git"],
  }),
  {
    id: "jdbc-password",
    provider: "JDBC",
    title: "JDBC URL with password parameter",
    risk: "Connects to the database as the user: read and change the tables it can reach, usually all of the application's data.",
    pattern: /\bjdbc:[a-z0-9:]{2,30}[^\s"'<>]{0,300}?[?;&]password=(?<secret>[^&;\s"'<>]{3,128})/,
    keywords: ["jdbc:"],
    validate: (secret) => isRealPassword(secret),
    severity: "high",
    remediation: `Change the database password and pass it through the driver's properties from a secret store. ${DB_ROTATE}`,
    samples: {
      positives: ["spring.datasource.url=jdbc:postgresql://db:5432/orders?user=app&password=qojAc5KYHoOdRT4c", "url=jdbc:sqlserver://sql01:1433;databaseName=erp;user=etl;password=IMUPys6RAikPjwE5YH;encrypt=true"],
      negatives: ["spring.datasource.url=jdbc:postgresql://db:5432/orders?user=app&password=${DB_PASSWORD}", "spring.datasource.url=jdbc:mysql://db:3306/shop?useSSL=true"],
    },
  },
  {
    id: "ado-net-connection-string",
    provider: "SQL Server",
    title: "ADO.NET / ODBC connection string with password",
    risk: "Connects to the database as the login: read and change the data it can reach, often the application's whole database.",
    pattern: /\b(?:Server|Data Source|Host)=[^;"'\n]{1,200};[^"'\n]{0,300}?\b(?:Password|Pwd)=(?<secret>[^;"'\s]{3,128})/,
    keywords: ["server=", "data source=", "host="],
    validate: (secret) => isRealPassword(secret),
    severity: "high",
    remediation: `Change the login's password and move the connection string to a secret store or managed identity. ${DB_ROTATE}`,
    samples: {
      positives: [
        '"Default": "Server=tcp:sql-0td5lh.database.windows.net,1433;Initial Catalog=erp;User ID=app;Password=wrabUCCWUUxachIm7Ign;Encrypt=True;"',
        "ConnectionString=Data Source=sql01;Initial Catalog=crm;User Id=crm_app;Pwd=RhJjG6tICfOYsHFf;",
      ],
      negatives: ['"Default": "Server=(localdb)\\\\mssqllocaldb;Database=app;Trusted_Connection=True;"', '"Default": "Server=db;Database=app;User Id=sa;Password=<YourStrong@Passw0rd>;"'],
    },
  },
];
