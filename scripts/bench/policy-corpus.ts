/**
 * A generated pull request for the policy check's speed target: 2,000 MODIFIED files (about 700
 * workflows, 500 Kubernetes manifests, 400 Dockerfiles and 400 Terraform files), each 1-10 KB, built
 * from templates in the style of real projects with seeded variations. Head differs from base by a
 * few lines, as in a real change: a version bump, an added step, resource or instruction, a changed
 * value; about one file in twenty gains a real problem (so the new-at-head comparison has work to do
 * and a few findings come out). Deterministic: the same seed gives the same files.
 */

export interface GeneratedFile {
  readonly domain: "workflows" | "kubernetes" | "dockerfile" | "terraform";
  readonly path: string;
  readonly base: string;
  readonly head: string;
}

/** mulberry32: small, seeded, good enough to vary templates. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const hex = (r: Rand, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(r() * 16)]).join("");
const WORDS = ["api", "web", "worker", "billing", "search", "auth", "gateway", "reports", "ingest", "notify", "cache", "admin", "media", "orders", "ledger"];

// ---- Workflows ----

interface Step {
  lines: string[];
}
interface Job {
  name: string;
  steps: Step[];
  env: string[];
}

function workflowStep(r: Rand, i: number): Step {
  switch (int(r, 0, 6)) {
    case 0:
      return { lines: [`      - uses: actions/setup-node@v4`, `        with:`, `          node-version: ${pick(r, [18, 20, 22])}`, `          cache: npm`] };
    case 1:
      return { lines: [`      - name: Cache ${i}`, `        uses: actions/cache@v4`, `        with:`, `          path: ~/.cache/tool-${i}`, `          key: tool-\${{ runner.os }}-\${{ hashFiles('**/lock-${i}.json') }}`] };
    case 2: {
      const body = Array.from({ length: int(r, 2, 8) }, (_, k) => `          ./scripts/task-${i}-${k}.sh --target "$TARGET" --jobs ${int(r, 1, 16)}`);
      return { lines: [`      - name: Run task ${i}`, `        env:`, `          TARGET: ${pick(r, WORDS)}`, `        run: |`, `          set -euo pipefail`, ...body] };
    }
    case 3:
      return {
        lines: [`      - uses: ${pick(r, ["docker/setup-buildx-action", "aws-actions/configure-aws-credentials", "hashicorp/setup-terraform", "codecov/codecov-action"])}@${hex(r, 40)} # v${int(r, 1, 5)}.${int(r, 0, 9)}.${int(r, 0, 9)}`, `        with:`, `          version: "${int(r, 1, 3)}.${int(r, 0, 20)}"`],
      };
    case 4:
      return { lines: [`      - run: npm run ${pick(r, ["lint", "test", "build", "typecheck"])} -- --shard=${i}`] };
    case 5:
      return { lines: [`      - name: Upload report ${i}`, `        uses: actions/upload-artifact@v4`, `        with:`, `          name: report-${i}`, `          path: reports/${i}/`] };
    default:
      return { lines: [`      - name: Deploy ${i}`, `        run: ./deploy.sh ${pick(r, WORDS)}`, `        env:`, `          DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN_${i % 7} }}`] };
  }
}

function renderWorkflow(name: string, jobs: readonly Job[], trigger: string): string {
  const out = [`name: ${name}`, "", "on:", ...trigger.split("\n"), "", "permissions:", "  contents: read", "", "jobs:"];
  for (const job of jobs) {
    out.push(`  ${job.name}:`, "    runs-on: ubuntu-latest", "    timeout-minutes: 30");
    if (job.env.length > 0) out.push("    env:", ...job.env.map((e) => `      ${e}`));
    out.push("    steps:", "      - uses: actions/checkout@v4", "        with:", "          persist-credentials: false");
    for (const step of job.steps) out.push(...step.lines);
  }
  return `${out.join("\n")}\n`;
}

function workflow(seed: number): GeneratedFile {
  const r = rng(seed);
  const target = int(r, 1_000, 10_000);
  const trigger = pick(r, ["  push:\n    branches: [main]\n  pull_request:", "  pull_request:\n    paths: ['src/**']", "  schedule:\n    - cron: '0 4 * * 1'\n  workflow_dispatch:"]);
  const jobs: Job[] = [];
  let step = 0;
  while (renderWorkflow("CI", jobs, trigger).length < target) {
    const job: Job = { name: `${pick(r, WORDS)}-${jobs.length}`, steps: [], env: [`NODE_OPTIONS: --max-old-space-size=${pick(r, [2048, 4096])}`, `LOG_LEVEL: ${pick(r, ["info", "debug"])}`] };
    for (let n = int(r, 3, 9); n > 0; n--) job.steps.push(workflowStep(r, step++));
    jobs.push(job);
  }
  const name = `${pick(r, WORDS)}-${seed}`;
  const base = renderWorkflow(name, jobs, trigger);
  // The change: one version bumped, one step added to some job, and now and then a real problem.
  const m = rng(seed ^ 0x5eed);
  const changed = jobs.map((j) => ({ ...j, steps: [...j.steps], env: [...j.env] }));
  const target2 = changed[int(m, 0, changed.length - 1)]!;
  target2.env[1] = `LOG_LEVEL: ${target2.env[1]!.endsWith("info") ? "debug" : "info"}`;
  target2.steps.splice(int(m, 0, target2.steps.length), 0, { lines: [`      - name: Added check ${seed}`, `        run: make check-${seed % 13}`] });
  if (m() < 0.05) changed[0]!.steps.push({ lines: [`      - uses: some-vendor/scan-action@v${int(m, 1, 4)}`] });
  return { domain: "workflows", path: `.github/workflows/${name}.yml`, base, head: renderWorkflow(name, changed, trigger) };
}

// ---- Kubernetes ----

function container(r: Rand, i: number, app: string): string[] {
  const env = Array.from({ length: int(r, 2, 10) }, (_, k) => [`            - name: SETTING_${i}_${k}`, `              value: "${pick(r, WORDS)}-${int(r, 1, 999)}"`]).flat();
  return [
    `        - name: ${app}-${i}`,
    `          image: ghcr.io/acme/${app}:${int(r, 1, 4)}.${int(r, 0, 30)}.${int(r, 0, 9)}`,
    "          ports:",
    `            - containerPort: ${int(r, 3000, 9000)}`,
    "          env:",
    ...env,
    "            - name: DB_PASSWORD",
    "              valueFrom:",
    `                secretKeyRef: {name: ${app}-db, key: password}`,
    "          resources:",
    `            requests: {cpu: ${int(r, 50, 500)}m, memory: ${int(r, 64, 512)}Mi}`,
    `            limits: {memory: ${int(r, 512, 2048)}Mi}`,
    "          securityContext:",
    "            allowPrivilegeEscalation: false",
    "            readOnlyRootFilesystem: true",
    "            capabilities:",
    "              drop: [ALL]",
  ];
}

function renderManifest(app: string, replicas: number, containers: readonly string[][], extra: readonly string[]): string {
  return `${[
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${app}`,
    `  labels: {app: ${app}}`,
    "spec:",
    `  replicas: ${replicas}`,
    "  selector:",
    `    matchLabels: {app: ${app}}`,
    "  template:",
    "    metadata:",
    `      labels: {app: ${app}}`,
    "    spec:",
    "      securityContext:",
    "        runAsNonRoot: true",
    "        runAsUser: 10001",
    "      containers:",
    ...containers.flat(),
    "---",
    "apiVersion: v1",
    "kind: Service",
    "metadata:",
    `  name: ${app}`,
    "spec:",
    `  selector: {app: ${app}}`,
    "  ports:",
    "    - port: 80",
    "      targetPort: 8080",
    "---",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    `  name: ${app}-config`,
    "data:",
    ...extra,
  ].join("\n")}\n`;
}

function manifest(seed: number): GeneratedFile {
  const r = rng(seed);
  const target = int(r, 1_000, 10_000);
  const app = `${pick(r, WORDS)}-${seed}`;
  const containers: string[][] = [];
  const extra = Array.from({ length: int(r, 3, 12) }, (_, k) => `  key_${k}: "${pick(r, WORDS)}"`);
  while (renderManifest(app, 2, containers, extra).length < target) containers.push(container(r, containers.length, app));
  const m = rng(seed ^ 0x5eed);
  const head = containers.map((c) => [...c]);
  const c = head[int(m, 0, head.length - 1)]!;
  c[1] = c[1]!.replace(/:(\d+)\.(\d+)\.(\d+)$/, (_, a, b) => `:${a}.${Number(b) + 1}.0`);
  if (m() < 0.05) c.splice(c.length - 4, 0, "            privileged: true");
  return { domain: "kubernetes", path: `deploy/${app}.yaml`, base: renderManifest(app, 2, containers, extra), head: renderManifest(app, 3, head, [...extra, `  added_${seed}: "yes"`]) };
}

// ---- Dockerfiles ----

function dockerStage(r: Rand, i: number): string[] {
  const packages = Array.from({ length: int(r, 3, 14) }, () => pick(r, ["curl", "git", "make", "gcc", "libpq-dev", "jq", "unzip", "ca-certificates", "tzdata", "openssl", "python3", "g++"]));
  return [
    `FROM ${pick(r, ["node:20-bookworm-slim", "python:3.12-slim", "golang:1.23", "debian:bookworm-slim", "rust:1.83-slim"])} AS stage${i}`,
    `WORKDIR /src/stage${i}`,
    "RUN apt-get update \\",
    `    && apt-get install -y --no-install-recommends ${packages.join(" ")} \\`,
    "    && rm -rf /var/lib/apt/lists/*",
    `ENV STAGE=${i} \\`,
    `    BUILD_FLAGS="-O${int(r, 0, 3)} -j${int(r, 1, 16)}"`,
    `COPY ${pick(r, ["package.json", "go.mod", "requirements.txt", "Cargo.toml"])} ./`,
    ...Array.from({ length: int(r, 1, 6) }, (_, k) => `RUN ./build.sh step-${i}-${k} --release --output /out/${i}/${k}`),
    "",
  ];
}

function renderDockerfile(stages: readonly string[][], final: readonly string[]): string {
  return `${["# syntax=docker/dockerfile:1.7", "", ...stages.flat(), ...final].join("\n")}\n`;
}

function dockerfile(seed: number): GeneratedFile {
  const r = rng(seed);
  const target = int(r, 1_000, 10_000);
  const stages: string[][] = [];
  const final = ["FROM gcr.io/distroless/base-debian12:nonroot", "COPY --from=stage0 /out /app", "USER nonroot:nonroot", 'ENTRYPOINT ["/app/run"]'];
  while (renderDockerfile(stages, final).length < target) stages.push(dockerStage(r, stages.length));
  const m = rng(seed ^ 0x5eed);
  const head = stages.map((s) => [...s]);
  const s = head[int(m, 0, head.length - 1)]!;
  s.splice(s.length - 1, 0, `RUN ./verify.sh ${seed}`);
  s[0] = s[0]!.replace(/:(\S+) AS/, (_, tag) => `:${tag}-${seed % 3 === 0 ? "1" : "2"} AS`);
  if (m() < 0.05) s.splice(2, 0, "RUN curl -fsSL https://get.example.com/install.sh | sh");
  const dir = `${pick(r, WORDS)}-${seed}`;
  return { domain: "dockerfile", path: `services/${dir}/Dockerfile`, base: renderDockerfile(stages, final), head: renderDockerfile(head, final) };
}

// ---- Terraform ----

function tfResource(r: Rand, i: number): string[] {
  switch (int(r, 0, 4)) {
    case 0:
      return [
        `resource "aws_security_group" "sg_${i}" {`,
        `  name   = "sg-${i}"`,
        "  vpc_id = var.vpc_id",
        "  ingress {",
        `    from_port   = ${pick(r, [443, 8080, 5432, 6379])}`,
        `    to_port     = ${pick(r, [443, 8080, 5432, 6379])}`,
        '    protocol    = "tcp"',
        `    cidr_blocks = ["10.${int(r, 0, 255)}.0.0/16"]`,
        "  }",
        "}",
        "",
      ];
    case 1:
      return [
        `resource "aws_s3_bucket" "b_${i}" {`,
        `  bucket = "acme-${pick(r, WORDS)}-${i}"`,
        "  tags   = local.tags",
        "}",
        "",
        `resource "aws_s3_bucket_public_access_block" "b_${i}" {`,
        `  bucket                  = aws_s3_bucket.b_${i}.id`,
        "  block_public_acls       = true",
        "  block_public_policy     = true",
        "  ignore_public_acls      = true",
        "  restrict_public_buckets = true",
        "}",
        "",
      ];
    case 2:
      return [
        `resource "aws_iam_role_policy" "p_${i}" {`,
        `  role = aws_iam_role.r_${i % 5}.id`,
        "  policy = jsonencode({",
        '    Version = "2012-10-17"',
        "    Statement = [{",
        '      Effect   = "Allow"',
        `      Action   = ["s3:GetObject", "s3:PutObject", "sqs:SendMessage"]`,
        `      Resource = ["arn:aws:s3:::acme-${i}/*", aws_sqs_queue.q_${i % 3}.arn]`,
        "    }]",
        "  })",
        "}",
        "",
      ];
    case 3:
      return [
        `resource "aws_db_instance" "db_${i}" {`,
        `  identifier                  = "db-${i}"`,
        '  engine                      = "postgres"',
        `  instance_class              = "db.t3.${pick(r, ["small", "medium", "large"])}"`,
        `  allocated_storage           = ${int(r, 20, 500)}`,
        "  manage_master_user_password = true",
        "  storage_encrypted           = true",
        "  publicly_accessible         = false",
        "}",
        "",
      ];
    default:
      return [`variable "setting_${i}" {`, "  type    = string", `  default = "${pick(r, WORDS)}"`, `  description = "Setting ${i} for the ${pick(r, WORDS)} service"`, "}", ""];
  }
}

function terraform(seed: number): GeneratedFile {
  const r = rng(seed);
  const target = int(r, 1_000, 10_000);
  const blocks: string[][] = [];
  const render = (bs: readonly string[][]) => `${["locals {", `  tags = { Project = "p${seed}" }`, "}", "", ...bs.flat()].join("\n")}\n`;
  while (render(blocks).length < target) blocks.push(tfResource(r, blocks.length));
  const m = rng(seed ^ 0x5eed);
  const head = blocks.map((b) => [...b]);
  head.splice(int(m, 0, head.length), 0, [`resource "aws_cloudwatch_log_group" "added_${seed}" {`, `  name              = "/app/${seed}"`, "  retention_in_days = 30", "}", ""]);
  if (m() < 0.05) head.push(['resource "aws_ebs_volume" "scratch" {', '  availability_zone = "eu-west-1a"', "  size              = 10", "}", ""]);
  return { domain: "terraform", path: `infra/module-${seed % 40}/file-${seed}.tf`, base: render(blocks), head: render(head) };
}

export function generatePolicyCorpus(counts = { workflows: 700, kubernetes: 500, dockerfile: 400, terraform: 400 }): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  let seed = 1;
  for (let i = 0; i < counts.workflows; i++) files.push(workflow(seed++));
  for (let i = 0; i < counts.kubernetes; i++) files.push(manifest(seed++));
  for (let i = 0; i < counts.dockerfile; i++) files.push(dockerfile(seed++));
  for (let i = 0; i < counts.terraform; i++) files.push(terraform(seed++));
  return files;
}
