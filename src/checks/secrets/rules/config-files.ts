/**
 * Credentials in tool configuration files: `.npmrc`, `.pypirc`, `.netrc`, Docker's
 * `config.json`, kubeconfig and XML settings files (Maven, NuGet). These formats name the secret
 * explicitly, so a match is precise even where the value itself has no structure.
 */
import type { SecretRule } from "../rule.js";
import { decodeBase64 } from "../validators/base64.js";
import { hasRealPassword, isRealPassword } from "./url-credentials.js";

/** Base64 of `user:password` with a real password (Docker `auth`, npm `_auth`, HTTP Basic). */
export function isBase64UserPassword(value: string): boolean {
  const text = decodeBase64(value)?.toString("utf8") ?? "";
  return /^[\x20-\x7e]{1,128}:[\x20-\x7e]{3,256}$/.test(text) && hasRealPassword(text);
}

export const configFileRules: readonly SecretRule[] = [
  {
    id: "npmrc-auth-token",
    provider: "npm",
    title: "Registry auth token in .npmrc",
    risk: "Publishes or reads private packages on the registry as its user: a malicious version of any package they maintain reaches everyone who installs it.",
    pattern: /:_authToken\s{0,4}=\s{0,4}["']?(?<secret>[A-Za-z0-9_.+/=-]{20,512})(?:[^A-Za-z0-9_.+/=-]|$)/,
    keywords: ["_authtoken"],
    minEntropy: 3,
    severity: "critical",
    remediation: "Revoke the token at the registry (npm: `npm token revoke`, https://docs.npmjs.com/revoking-access-tokens) and use `${NPM_TOKEN}` in .npmrc instead.",
    samples: {
      positives: ["//registry.npmjs.org/:_authToken=89ba673c-ae75-c98e-28cb-76705da03a65", "//npm.pkg.acme.dev/:_authToken=Gk7QiU26pH7ktcaWvdsBTqY1hVsjqrzkqfCGRBzG"],
      negatives: ["//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "//registry.npmjs.org/:_authToken="],
    },
  },
  {
    id: "npmrc-basic-auth",
    provider: "npm",
    title: "Base64 `_auth` credentials in .npmrc",
    risk: "Decodes to the registry username and password: log in as the user, publish packages in their name or read private ones.",
    pattern: /(?:^|[^A-Za-z0-9])_auth\s{0,4}=\s{0,4}["']?(?<secret>[A-Za-z0-9+/]{8,512}={0,2})(?:[^A-Za-z0-9+/=]|$)/,
    keywords: ["_auth"],
    validate: isBase64UserPassword,
    severity: "critical",
    remediation: "Change the registry password or token encoded in `_auth` and move it to an environment variable: https://docs.npmjs.com/cli/v11/configuring-npm/npmrc#auth-related-configuration",
    samples: {
      positives: ["_auth=Y2ktcHVibGlzaGVyOlhMWjZrSndwV01xMXhBS1BsSFNM", "//artifactory.acme.dev/api/npm/npm/:_auth=c3ZjLW5wbTpOOVU3Y2k1S3hLMmNjNVVWM2gyag=="],
      negatives: ["_auth=${NPM_AUTH}", "_auth=T5Yxm7T7syeOlCYcoeeIC573"],
    },
  },
  {
    id: "npmrc-password",
    provider: "npm",
    title: "Base64 `_password` in .npmrc",
    risk: "Decodes to the registry password: with the username beside it, log in as the user, publish in their name or read private packages.",
    pattern: /:_password\s{0,4}=\s{0,4}["']?(?<secret>[A-Za-z0-9+/]{8,512}={0,2})(?:[^A-Za-z0-9+/=]|$)/,
    keywords: ["_password"],
    // The value is the password in base64: it must decode to printable text that is not a placeholder.
    validate: (secret) => {
      const text = decodeBase64(secret)?.toString("utf8") ?? "";
      return /^[\x20-\x7e]{4,256}$/.test(text) && isRealPassword(text);
    },
    minEntropy: 3,
    severity: "critical",
    remediation: "Change the registry password and move it to an environment variable: https://docs.npmjs.com/cli/v11/configuring-npm/npmrc#auth-related-configuration",
    samples: {
      positives: ["//npm.pkg.acme.dev/:_password=bzVhakhvNzkyV1pwT0JTYg==", '//nexus.acme.dev/repository/npm/:_password="M0dSTnlDMjY5TFJXbGRQcVgxQ3g="'],
      negatives: ["//npm.pkg.acme.dev/:_password=${NPM_PASSWORD}", "//npm.pkg.acme.dev/:_password=cGFzc3dvcmQ="],
    },
  },
  {
    id: "pypirc-password",
    provider: "PyPI",
    title: "Password in a .pypirc section",
    risk: "Uploads releases to the index as the user (the password is often an API token): a malicious version is installed by everyone who upgrades the package.",
    pattern: /\[(?:pypi|testpypi|[A-Za-z0-9_.-]{1,40})\][^[]{0,400}?\bpassword\s{0,4}[:=]\s{0,4}(?<secret>[^\s]{6,200})/,
    keywords: ["[pypi]", "[testpypi]"],
    multiline: true,
    // Upload tokens are reported by the PyPI token rule with their checksum; this rule covers plain passwords.
    validate: (secret) => !secret.startsWith("pypi-") && isRealPassword(secret),
    minEntropy: 3,
    severity: "high",
    remediation: "Change the index password, switch to API tokens or Trusted Publishing, and keep credentials out of the repository: https://packaging.python.org/en/latest/specifications/pypirc/",
    samples: {
      positives: ["[pypi]\nusername = acme-release\npassword = 6AWJEBdITO8Il#ya6V", "[testpypi]\nrepository = https://test.pypi.org/legacy/\nusername = acme\npassword: X0DRKDgJI7bT7Onw"],
      negatives: ["[pypi]\nusername = __token__\npassword = %(PYPI_TOKEN)s", "[pypi]\nusername = acme-release"],
    },
  },
  {
    id: "netrc-password",
    provider: ".netrc",
    title: "Password in a .netrc machine entry",
    risk: "Logs in to that host as the user, typically a Git host, API or file server that curl, git or pip reach with it.",
    pattern: /\bmachine\s{1,10}[^\s]{1,255}\s{1,10}(?:login\s{1,10}[^\s]{1,255}\s{1,10})?password\s{1,10}(?<secret>[^\s]{4,200})/,
    keywords: ["machine"],
    multiline: true,
    // In a .netrc file the format rule (credential-files.ts) reports every password, weak ones too.
    exceptPaths: /(?:^|\/)[._]?netrc$/,
    // .netrc values may be quoted: judge what is inside the quotes.
    validate: (secret) => isRealPassword(secret.replace(/^(["'])(.*)\1$/, "$2")),
    minEntropy: 3,
    severity: "high",
    remediation: "Change the password or token for that host and keep .netrc out of the repository (add it to .gitignore): https://everything.curl.dev/usingcurl/netrc.html",
    samples: {
      positives: ["machine api.heroku.com\n  login ops@acme.dev\n  password 6Wf1lIcPNhTH1uiC2Jl3v0Bn", "machine git.acme.dev login ci-bot password Tmc5oYkmzQbydEP3l1xU"],
      negatives: ["machine git.acme.dev login ci-bot password $GIT_TOKEN", "machine git.acme.dev login ci-bot", "machine ftp.acme.dev login \"{user}\" password \"{password}\""],
    },
  },
  {
    id: "docker-config-auth",
    provider: "Docker",
    title: "Registry credentials in Docker config.json",
    risk: "Decodes to the registry login: pull private images and push over tags, so a backdoored image runs where deployments pull it next.",
    pattern: /"auth"\s{0,4}:\s{0,4}"(?<secret>[A-Za-z0-9+/]{12,1000}={0,2})"/,
    keywords: ['"auth"'],
    validate: isBase64UserPassword,
    severity: "critical",
    remediation: "Change the registry password or token and use a credential helper (`credsStore`) instead of inline auths: https://docs.docker.com/reference/cli/docker/login/#credential-stores",
    samples: {
      positives: ['{"auths": {"registry.acme.dev": {"auth": "Y2ktcHVzaGVyOktTTk44UFVHajhKQTA5TVRPcDdz"}}}', '      "auth": "cm9ib3QkYWNtZStjaTpnQjJadklHVU9ud0FESVV1NENDbQ=="'],
      negatives: ['      "auth": ""', '      "auth": "lbg4N4el6/wIIgf5x+Jp+LrBmf+/GpWpR2jL4JU4"'],
    },
  },
  {
    id: "kubeconfig-client-key-data",
    provider: "Kubernetes",
    title: "Client private key embedded in a kubeconfig",
    risk: "Authenticates to the cluster's API as the certificate's user, often cluster-admin, until the certificate expires: Kubernetes cannot revoke client certificates.",
    pattern: /client-key-data:\s{0,4}["']?(?<secret>LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,}={0,2})/,
    keywords: ["client-key-data"],
    severity: "critical",
    redactPrefix: "LS0tLS1CRUdJTi",
    remediation: "Revoke the client certificate (rotate the cluster CA or remove the user's RBAC bindings) and issue a new kubeconfig: https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/",
    samples: {
      positives: ["    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo0FzED+C0F5FfPEbIjCRp7IuJc0nCokGVSd0Q8dFD0qkV9KpuBTX+5t2swj12fGJ3vznkDdqEfArCA30/jkktWri9OkTcW+hPd1O/tLFl24EsiOtjr/S8EXQpFAWZfkx+b3h5qsjBNn6F44wYNb0mn26N+rj6synvPcK3V7Tgu3X5bonkG+idE2Ul0GNyFk/SdjuqQW7v9CcfNmNDs49TTY3Sc95eGLAC8vwbybcNYTryhGvWvvMQueZHahqx1jHCbInaYr5pW5JVW6ZsfNNb7bPR9eKkX3wH9La9feS8r23J==", "client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IFvvEivYE8sFu5nghuvS97JKV6rvzw2Q3hMeSgJ+8XxTajRUmdrXo8XDtfwx9C1UV9m0H1Ua4OSb+ya2Amj4TA79cf6WZqJC7EJQ4n23De2Xbf8W7lJHJ05ECmLCgIrn4/LFkoOkcjnIVcIIMlRbE7QtLYqaTYalg3XEMwAmB5Tsqi6iJ4WkexzAFmbulBo9D0HwD+tOK"],
      negatives: ["    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JJz2YJhRIinQVhDnCSBpD0BJvni8DNT7pT3lXEkq79Ut5VCMljLRWmxOtuseUdLBLCFrXQbaFlFD9dk4+ygixWALc38H68v8BLLprhtzyCzgmf499rcEgixgq5F+Be4PsI/00AxMXRxYKhvBbrLRFx0SDaCYxuL/W9zW7U3tUVvnGeQzOWWA1gbqeG1DhU/oTWIXFqi8kbNhRFbl81GdXMwXrdCgcFbvECjK0uku9P4djljVF9BjH3npNnPCiZJZW3TBPrmsPSVkiCzl9DVzRthwYcWT2q6rtbBitGz5/NMNm", "    client-key-data: REDACTED"],
    },
  },
  {
    id: "xml-password-element",
    provider: "XML configuration",
    title: "Password or secret in an XML settings file (Maven, NuGet, ...)",
    risk: "A password in Maven, NuGet or similar settings usually unlocks a package repository or server: publish or read artifacts, or deploy; found by element name, hence medium.",
    pattern: /<(?<tag>password|passphrase|privateKeyPassphrase|secret|apiKey|token)>(?<secret>[^<\s]{6,200})<\/(?:password|passphrase|privateKeyPassphrase|secret|apiKey|token)>/,
    keywords: ["<password>", "<passphrase>", "<privatekeypassphrase>", "<secret>", "<apikey>", "<token>"],
    validate: (secret) => isRealPassword(secret) && !/^\$\{|^\{\{|^#\{/.test(secret),
    minEntropy: 3,
    confidence: "medium",
    severity: "medium",
    remediation: "Change the credential and use Maven's encrypted passwords or environment variables (`${env.X}`): https://maven.apache.org/guides/mini/guide-encryption.html",
    samples: {
      positives: ["      <password>AkY+s9YHUY+Rk%p4</password>", "<server><id>releases</id><username>deployer</username><password>xhfcYI4v#ylrxssWTTsy</password></server>"],
      negatives: ["      <password>${env.MAVEN_PASSWORD}</password>", "      <password>{UJfsE4Nv1mZuNapP83rTdsLyohJDK1tFEiiZBm2m=}</password>"],
    },
  },
];
