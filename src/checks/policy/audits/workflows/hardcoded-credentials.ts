/**
 * A credential written into a workflow is readable by everyone who can read the repository (on a
 * public one: everyone, forever, in its history), and it is never masked in logs the way
 * `${{ secrets.X }}` is. Looked for where credentials go: `with:` inputs named like one
 * (`password`, `token`, `api-key`, `aws-secret-access-key`, …), `env:` variables (`*_PASSWORD`,
 * `*_TOKEN`, `*_SECRET`, `*_API_KEY`) at workflow, job, step, container and service level,
 * registry logins (`container.credentials.password`, `services.*.credentials.password`,
 * `docker/login-action`'s `password`), and literal values passed to a reusable workflow's `secrets:`.
 *
 * Precision (workflow/credentials.ts): expressions and `$VAR` references are not literals; the
 * throwaway passwords of CI service containers (`POSTGRES_PASSWORD: postgres`, `root`, `test`,
 * `YourStrong!Passw0rd`) are not reported; only vendor-format tokens (the secrets check's rules)
 * and long random-looking values are, except in registry logins and `secrets:`, where any literal
 * real-looking password logs in to something real, and in an action's credential inputs, where a
 * chosen password (not a throwaway word) is reported at low confidence. The value is never shown,
 * only redacted.
 *
 * Key: the place and name plus a digest of the value (never the value), so a different literal in
 * the same place is a new finding and a moved one is not.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { TextMap, WorkflowDocument, WorkflowJob, WorkflowStep } from "../../domains/workflow.js";
import { lineOfPath } from "../../../../core/yaml.js";
import { isCredentialName, judgeCredentialLiteral, type CredentialPlace } from "../../workflow/credentials.js";
import { stepKey, stepLabel } from "../../workflow/step-label.js";
import { usesAction } from "../../workflow/steps.js";

interface Candidate {
  readonly value: string;
  readonly line: number;
  /** For the message: "`env.DEPLOY_TOKEN` of job `deploy`". */
  readonly where: string;
  readonly key: string;
  readonly place: CredentialPlace;
}

export const hardcodedCredentials = defineAudit<WorkflowDocument>({
  id: "hardcoded-credentials",
  domain: "workflow",
  title: "Credential written into a workflow",
  description:
    "A token or password written as a literal in a workflow is readable by everyone who can read the repository and its history, and is not masked in logs.",
  severity: "high",
  confidence: "medium",
  remediation: "Revoke the credential, store a new one as an encrypted secret (Settings > Secrets and variables > Actions) and reference it as `${{ secrets.NAME }}`.",
  link: "https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions",
  samples: {
    valid: [
      {
        note: "throwaway service passwords and secrets by reference",
        text: `name: Test
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:16
        env:
          POSTGRES_PASSWORD: postgres
          POSTGRES_USER: postgres
        ports: ["5432:5432"]
      mysql:
        image: mysql:8
        env:
          MYSQL_ROOT_PASSWORD: root
          MYSQL_PASSWORD: test
      mssql:
        image: mcr.microsoft.com/mssql/server:2022-latest
        env:
          SA_PASSWORD: YourStrong!Passw0rd
          ACCEPT_EULA: "Y"
    env:
      DATABASE_URL: postgres://postgres:postgres@localhost:5432/test
      SECRET_KEY_BASE: test-secret-key-base
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: \${{ github.actor }}
          password: \${{ secrets.GITHUB_TOKEN }}
      - uses: mirromutth/mysql-action@v1.1
        with:
          mysql root password: root
          mysql password: password
      - run: make test
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
          GH_TOKEN: $GITHUB_TOKEN
          JWT_SECRET: example
`,
      },
      {
        note: "names that only mention a credential, and non-credential values",
        text: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    container:
      image: ghcr.io/acme/build:1
      credentials:
        username: \${{ github.actor }}
        password: \${{ secrets.GITHUB_TOKEN }}
    steps:
      - uses: acme/fetch-token@v1
        with:
          token-format: jwt
          password-file: /run/secrets/db
          token: \${{ secrets.ACME_TOKEN }}
      - run: ./build.sh
        env:
          TOKEN_PATH: /tmp/token
          API_KEY_HEADER: X-Api-Key
`,
      },
    ],
    invalid: [
      {
        note: "a vendor token in env, a generated password in a registry login",
        text: `name: Publish
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/login-action@v3
        with:
          username: ci-bot
          password: Hk3Lq8Zt2Wp9
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: 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
`,
        lines: [12, 15],
      },
      {
        note: "service registry credentials, a random-looking API key in env, a literal passed as a secret",
        text: `on: push
env:
  DD_API_KEY: 9f8e7d6c5b4a39281706f5e4d3c2b1a0
jobs:
  integration:
    runs-on: ubuntu-latest
    services:
      cache:
        image: registry.example.com/cache:7
        credentials:
          username: deploy
          password: s3cr3tRegistryPassw
    steps:
      - run: ./integration.sh
  release:
    uses: ./.github/workflows/release.yml
    secrets:
      signing-key: Qm9v7XcT2zLp8RkW4nYs6HbJ
`,
        lines: [3, 12, 18],
      },
      {
        note: "a chosen password in an action's input (low confidence)",
        text: `on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: appleboy/ssh-action@v1
        with:
          host: deploy.example.com
          username: deployer
          password: Winter2024deploy
          script: ./restart.sh
`,
        lines: [12],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const candidate of candidates(doc)) {
      const verdict = judgeCredentialLiteral(candidate.value, candidate.place);
      if (!verdict) continue;
      const kind = verdict.kind ? `a ${verdict.kind}` : candidate.place === "registry-login" ? "a password" : "a credential";
      findings.push({
        line: candidate.line,
        key: `${candidate.key}:${verdict.digest}`,
        confidence: verdict.confidence,
        message: `${candidate.where} holds ${kind} written as a literal (${verdict.redacted}): everyone who can read the repository can use it, and logs do not mask it. Revoke it and pass it as \`\${{ secrets.NAME }}\`.`,
      });
    }
    return findings;
  },
});

function candidates(doc: WorkflowDocument): Candidate[] {
  const out: Candidate[] = [];
  out.push(...fromMap(doc.env, "workflow `env`", "env", "credential"));
  for (const job of doc.jobs) {
    const label = `job \`${job.id}\``;
    out.push(...fromMap(job.env, `\`env\` of ${label}`, `${job.id}:env`, "credential"));
    out.push(...fromMap(job.with, `\`with\` of ${label}`, `${job.id}:with`, "credential"));
    if (job.secrets && !job.secrets.inherit) {
      // A value passed as a secret is a secret by declaration: any literal counts.
      for (const [name, text] of job.secrets.values) out.push({ value: text.value, line: text.line, where: `secret \`${name}\` passed by ${label}`, key: `${job.id}:secrets.${name}`, place: "registry-login" });
    }
    out.push(...containerCandidates(doc, job));
    for (const step of job.steps) out.push(...stepCandidates(step, `${stepLabel(step)} of ${label}`));
  }
  for (const step of doc.runs?.steps ?? []) out.push(...stepCandidates(step, `${stepLabel(step)} of the action`));
  return out;
}

function stepCandidates(step: WorkflowStep, label: string): Candidate[] {
  const login = usesAction(step, "docker/login-action");
  return [
    ...fromMap(step.env, `\`env\` of ${label}`, `${stepKey(step)}:env`, "credential"),
    ...fromMap(step.with, `\`with\` of ${label}`, `${stepKey(step)}:with`, step.uses === undefined ? "credential" : "action-input", (name) => (login && name === "password") || /registry[-_]?password/i.test(name)),
  ];
}

function fromMap(map: TextMap, where: string, key: string, place: CredentialPlace, isLogin: (name: string) => boolean = () => false): Candidate[] {
  const out: Candidate[] = [];
  for (const [name, text] of map) {
    if (!isCredentialName(name)) continue;
    out.push({ value: text.value, line: text.line, where: `\`${name}\` in the ${where}`, key: `${key}.${name}`, place: isLogin(name) ? "registry-login" : place });
  }
  return out;
}

/** `container:` and `services:` are not in the model's named fields: read from the job's plain data. */
function containerCandidates(doc: WorkflowDocument, job: WorkflowJob): Candidate[] {
  const out: Candidate[] = [];
  const raw = asRecord(job.raw);
  if (!raw) return out;
  const containers: { path: (string | number)[]; label: string; value: Record<string, unknown> }[] = [];
  const container = asRecord(raw.container);
  if (container) containers.push({ path: ["container"], label: `the container of job \`${job.id}\``, value: container });
  const services = asRecord(raw.services);
  for (const [name, service] of Object.entries(services ?? {})) {
    const value = asRecord(service);
    if (value) containers.push({ path: ["services", name], label: `service \`${name}\` of job \`${job.id}\``, value });
  }
  for (const c of containers) {
    const line = (...rest: string[]) => lineOfPath(doc.yaml, [...job.yamlPath, ...c.path, ...rest]) ?? job.line;
    const password = asRecord(c.value.credentials)?.password;
    if (typeof password === "string") {
      out.push({ value: password, line: line("credentials", "password"), where: `the registry password of ${c.label}`, key: `${job.id}:${c.path.join(".")}.credentials.password`, place: "registry-login" });
    }
    for (const [name, value] of Object.entries(asRecord(c.value.env) ?? {})) {
      if (!isCredentialName(name) || (typeof value !== "string" && typeof value !== "number")) continue;
      out.push({ value: String(value), line: line("env", name), where: `\`${name}\` in the \`env\` of ${c.label}`, key: `${job.id}:${c.path.join(".")}.env.${name}`, place: "credential" });
    }
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
