/**
 * The Terraform audits' tricky cases, run on parsed documents (lines, severities, keys), and
 * through the policy check where what matters is what is new in a change.
 */
import { readFileSync, readdirSync } from "node:fs";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { terraformAudits } from "../../../../src/checks/policy/audits/terraform/index.js";
import { parseTerraform } from "../../../../src/checks/policy/domains/terraform.js";
import { policyCheck } from "../../../../src/checks/policy/index.js";
import { policyOptionsSchema } from "../../../../src/checks/policy/options.js";
import { configFromObject } from "../../../../src/core/config/load-config.js";
import { runScan } from "../../../../src/core/engine.js";
import { fileChange } from "../../dependencies/harness.js";
import { reportsOf } from "../audit-harness.js";

const OPTIONS = policyOptionsSchema.parse({});
const SAFE_DIR = new URL("../../../fixtures/policy/terraform/safe/", import.meta.url);

const run = (text: string, only?: string) => reportsOf(terraformAudits, parseTerraform(text, "main.tf"), OPTIONS, only);
const lines = (text: string, audit: string) => run(text, audit).map((f) => f.line);

async function scan(path: string, base: string | null, head: string) {
  const config = configFromObject({ checks: { policy: {} } }, "test", [policyCheck]);
  return runScan({ files: [fileChange(path, base, head)], checks: [policyCheck], config, logger: pino({ level: "silent" }), services: {}, offline: true });
}

const sg = (ingress: string, type = "aws_security_group") => `resource "${type}" "web" {
  name = "web"
  ingress {
${ingress}
  }
}
`;

describe("open-ingress", () => {
  it("grades SSH high, every port critical, and names the ports of a range", () => {
    const ssh = run(sg('    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]'), "open-ingress");
    expect(ssh.map((f) => [f.line, f.severity])).toEqual([[7, "high"]]);
    expect(ssh[0]!.key).toBe("aws_security_group.web:ingress.cidr_blocks=0.0.0.0/0:tcp/22-22");

    const range = run(sg('    from_port = 3000\n    to_port = 6000\n    protocol = "6"\n    cidr_blocks = ["0.0.0.0/0"]'), "open-ingress");
    expect(range[0]!.message).toMatch(/ports 3000-6000, which include MySQL \(3306\), RDP \(3389\), PostgreSQL \(5432\), Redshift \(5439\)/);

    for (const rule of ['    from_port = 0\n    to_port = 65535\n    protocol = "tcp"', '    from_port = 0\n    to_port = 0\n    protocol = "-1"', '    from_port = 0\n    to_port = 0\n    protocol = "all"', "    from_port = 0\n    to_port = 0\n    protocol = -1"]) {
      expect(run(sg(`${rule}\n    cidr_blocks = ["0.0.0.0/0"]`), "open-ingress").map((f) => f.severity)).toEqual(["critical"]);
    }
  });

  it("reads ports written as strings and IPv6 worlds", () => {
    expect(lines(sg('    from_port = "3389"\n    to_port = "3389"\n    protocol = "tcp"\n    ipv6_cidr_blocks = ["::/0"]'), "open-ingress")).toEqual([7]);
  });

  it("leaves web ports, ICMP, egress, private ranges and security-group sources alone", () => {
    const safe = [
      sg('    from_port = 443\n    to_port = 443\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]'),
      sg('    from_port = 80\n    to_port = 443\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]'),
      sg('    from_port = -1\n    to_port = -1\n    protocol = "icmp"\n    cidr_blocks = ["0.0.0.0/0"]'),
      sg('    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["10.0.0.0/8", "192.168.1.0/24"]'),
      sg('    from_port = 5432\n    to_port = 5432\n    protocol = "tcp"\n    security_groups = [aws_security_group.app.id]'),
      sg('    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    self = true'),
      `resource "aws_security_group" "web" {\n  egress {\n    from_port = 0\n    to_port = 0\n    protocol = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`,
      `resource "aws_security_group_rule" "out" {\n  type = "egress"\n  from_port = 0\n  to_port = 65535\n  protocol = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n  security_group_id = "sg-1"\n}\n`,
    ];
    for (const text of safe) expect(run(text, "open-ingress"), text).toEqual([]);
  });

  it("does not judge what the file does not fix: variable CIDRs, ports, protocols or rule types", () => {
    const unknown = [
      sg('    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = var.admin_cidrs'),
      sg('    from_port = var.port\n    to_port = var.port\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]'),
      sg('    from_port = 22\n    to_port = 22\n    protocol = var.protocol\n    cidr_blocks = ["0.0.0.0/0"]'),
      `resource "aws_security_group_rule" "r" {\n  type = var.direction\n  from_port = 22\n  to_port = 22\n  protocol = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n`,
      `resource "aws_security_group" "d" {\n  dynamic "ingress" {\n    for_each = var.rules\n    content {\n      from_port = ingress.value.port\n      to_port = ingress.value.port\n      protocol = "tcp"\n      cidr_blocks = ["0.0.0.0/0"]\n    }\n  }\n}\n`,
    ];
    for (const text of unknown) expect(run(text, "open-ingress"), text).toEqual([]);
  });

  it("reads only the world element of a mixed list, on its own line", () => {
    const text = sg('    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = [\n      var.office_cidr,\n      "10.0.0.0/8",\n      "0.0.0.0/0",\n    ]');
    expect(lines(text, "open-ingress")).toEqual([10]);
  });

  it("reads literal dynamic content, default security groups and both rule resources", () => {
    const text = `resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "d" {
  dynamic "ingress" {
    for_each = toset(["a"])
    content {
      from_port   = 6379
      to_port     = 6379
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_security_group_rule" "mongo" {
  type              = "ingress"
  from_port         = 27017
  to_port           = 27017
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.d.id
}

resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = aws_security_group.d.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
`;
    expect(run(text, "open-ingress").map((f) => [f.line, f.severity])).toEqual([
      [7, "critical"],
      [18, "high"],
      [28, "high"],
      [34, "critical"],
    ]);
  });

  it("through the check: moving an open rule is not new, opening another port is", async () => {
    const base = `resource "aws_security_group" "bastion" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
    const moved = `# Bastion host access.\n\nresource "aws_security_group" "bastion" {\n  description = "bastion"\n\n  ingress {\n    protocol    = "tcp"\n    from_port   = 22\n    to_port     = 22\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
    const moreOpen = base.replace("  }\n}\n", '  }\n  ingress {\n    from_port = 3389\n    to_port = 3389\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n');
    const movedResult = await scan("infra/bastion.tf", base, moved);
    expect(movedResult.findings.filter((f) => f.ruleId === "policy/open-ingress")).toEqual([]);
    const opened = await scan("infra/bastion.tf", base, moreOpen);
    expect(opened.findings.filter((f) => f.ruleId === "policy/open-ingress").map((f) => f.startLine)).toEqual([12]);
  });
});

describe("unencrypted-storage", () => {
  const db = (extra: string, type = "aws_db_instance") => `resource "${type}" "main" {\n  engine = "postgres"\n${extra}}\n`;

  it("grades an explicit false high on its line, a missing attribute medium on the resource's line", () => {
    expect(run(db('  storage_encrypted = false\n'), "unencrypted-storage").map((f) => [f.line, f.severity, f.key])).toEqual([[3, "high", "aws_db_instance.main:storage_encrypted"]]);
    expect(run(db(""), "unencrypted-storage").map((f) => [f.line, f.severity, f.key])).toEqual([[1, "medium", "aws_db_instance.main:storage_encrypted"]]);
    expect(run(db("  storage_encrypted = null\n"), "unencrypted-storage").map((f) => f.severity)).toEqual(["medium"]);
    expect(run(db('  storage_encrypted = "false"\n', "aws_rds_cluster"), "unencrypted-storage").map((f) => f.severity)).toEqual(["high"]);
  });

  it("does not judge variables and expressions", () => {
    for (const value of ["var.storage_encrypted", "local.encrypt", 'var.env == "prod"', "coalesce(var.a, true)"]) {
      expect(run(db(`  storage_encrypted = ${value}\n`), "unencrypted-storage"), value).toEqual([]);
    }
  });

  it("does not report a missing attribute where encryption is inherited or the default", () => {
    const inherited = [
      db("  replicate_source_db = aws_db_instance.primary.identifier\n"),
      db("  snapshot_identifier = var.snapshot\n"),
      `resource "aws_db_instance" "member" {\n  engine = "aurora-mysql"\n  cluster_identifier = aws_rds_cluster.x.id\n}\n`,
      `resource "aws_rds_cluster" "v1" {\n  engine_mode = "serverless"\n}\n`,
      `resource "aws_rds_cluster" "secondary" {\n  global_cluster_identifier = aws_rds_global_cluster.g.id\n}\n`,
      `resource "aws_ebs_volume" "restored" {\n  snapshot_id = "snap-1"\n  availability_zone = "eu-west-1a"\n}\n`,
      `resource "aws_ebs_encryption_by_default" "on" {}\nresource "aws_ebs_volume" "v" {\n  size = 10\n  availability_zone = "eu-west-1a"\n}\n`,
      `resource "aws_elasticache_replication_group" "v" {\n  engine = "valkey"\n  description = "x"\n}\n`,
    ];
    for (const text of inherited) expect(run(text, "unencrypted-storage"), text).toEqual([]);
  });

  it("still reports when account-wide EBS encryption is turned off", () => {
    const text = `resource "aws_ebs_encryption_by_default" "off" {\n  enabled = false\n}\nresource "aws_ebs_volume" "v" {\n  size = 10\n  availability_zone = "eu-west-1a"\n}\n`;
    expect(lines(text, "unencrypted-storage")).toEqual([4]);
  });

  it("covers EFS and ElastiCache", () => {
    const text = `resource "aws_efs_file_system" "a" {\n  encrypted = false\n}\nresource "aws_elasticache_replication_group" "b" {\n  description = "b"\n}\n`;
    expect(run(text, "unencrypted-storage").map((f) => [f.line, f.severity])).toEqual([
      [2, "high"],
      [4, "medium"],
    ]);
  });
});

describe("public-s3-bucket", () => {
  it("grades canned ACLs and reports the attribute's line", () => {
    const text = `resource "aws_s3_bucket" "a" {\n  acl = "public-read-write"\n}\nresource "aws_s3_bucket_acl" "b" {\n  bucket = aws_s3_bucket.b.id\n  acl    = "authenticated-read"\n}\nresource "aws_s3_bucket_acl" "c" {\n  bucket = aws_s3_bucket.c.id\n  acl    = "private"\n}\n`;
    expect(run(text, "public-s3-bucket").map((f) => [f.line, f.severity, f.key])).toEqual([
      [2, "critical", "aws_s3_bucket.a:acl=public-read-write"],
      [6, "high", "aws_s3_bucket_acl.b:acl=authenticated-read"],
    ]);
  });

  it("does not report an ACL that the bucket's or the account's public access block ignores", () => {
    const bucketBlock = `resource "aws_s3_bucket_acl" "b" {\n  bucket = aws_s3_bucket.b.id\n  acl = "public-read"\n}\nresource "aws_s3_bucket_public_access_block" "b" {\n  bucket = aws_s3_bucket.b.bucket\n  block_public_acls = true\n  block_public_policy = true\n  ignore_public_acls = true\n  restrict_public_buckets = true\n}\n`;
    expect(run(bucketBlock, "public-s3-bucket")).toEqual([]);
    const account = `resource "aws_s3_account_public_access_block" "all" {\n  ignore_public_acls = true\n  restrict_public_buckets = true\n}\nresource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n`;
    expect(run(account, "public-s3-bucket")).toEqual([]);
    // A block on another bucket protects nothing here.
    const other = bucketBlock.replace("aws_s3_bucket.b.bucket", "aws_s3_bucket.other.id");
    expect(lines(other, "public-s3-bucket")).toEqual([3]);
  });

  it("reports each public access block flag set to false, not the ones left out", () => {
    const text = `resource "aws_s3_bucket_public_access_block" "b" {\n  bucket = aws_s3_bucket.b.id\n  block_public_acls = false\n  restrict_public_buckets = false\n}\n`;
    expect(run(text, "public-s3-bucket").map((f) => [f.line, f.severity, f.key])).toEqual([
      [3, "medium", "aws_s3_bucket_public_access_block.b:block_public_acls"],
      [4, "medium", "aws_s3_bucket_public_access_block.b:restrict_public_buckets"],
    ]);
  });

  it("reads public statements in heredoc JSON on their lines, and grades writes higher than reads", () => {
    const text = `resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::\${aws_s3_bucket.b.id}/*"
    },
    {
      "Sid": "Upload",
      "Effect": "Allow",
      "Principal": "*",
      "Action": ["s3:PutObject"],
      "Resource": "arn:aws:s3:::\${aws_s3_bucket.b.id}/uploads/*"
    },
    {
      "Sid": "FromVpc",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "*",
      "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}
    }
  ]
}
POLICY
}
`;
    expect(run(text, "public-s3-bucket").map((f) => [f.line, f.severity, f.key])).toEqual([
      [10, "medium", "aws_s3_bucket_policy.b:policy:Read:Principal=*"],
      [17, "high", "aws_s3_bucket_policy.b:policy:Upload:Principal=*"],
    ]);
  });

  it("judges a policy document on its principal's line unless the bucket it serves restricts public policies", () => {
    const doc = `data "aws_iam_policy_document" "public" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.public.json
}
`;
    expect(lines(doc, "public-s3-bucket")).toEqual([7]);
    const restricted = `${doc}resource "aws_s3_bucket_public_access_block" "b" {\n  bucket = aws_s3_bucket.b.id\n  block_public_policy = true\n}\n`;
    expect(run(restricted, "public-s3-bucket")).toEqual([]);
  });

  it("does not judge a public policy document that no bucket policy uses (a VPC endpoint policy)", () => {
    const text = `data "aws_iam_policy_document" "ecr_layers" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-1.s3"
  policy       = data.aws_iam_policy_document.ecr_layers.json
}
`;
    expect(run(text, "public-s3-bucket")).toEqual([]);
  });

  it("matches public access blocks to buckets by indexed reference and by literal name", () => {
    const indexed = `resource "aws_s3_bucket" "b" {\n  count = 1\n  bucket = "acme-b"\n  acl = "public-read"\n}\nresource "aws_s3_bucket_public_access_block" "b" {\n  count = 1\n  bucket = aws_s3_bucket.b[0].id\n  ignore_public_acls = true\n}\n`;
    expect(run(indexed, "public-s3-bucket")).toEqual([]);
    const literal = indexed.replace("aws_s3_bucket.b[0].id", '"acme-b"');
    expect(run(literal, "public-s3-bucket")).toEqual([]);
    expect(lines(indexed.replace("aws_s3_bucket.b[0].id", '"acme-other"'), "public-s3-bucket")).toEqual([4]);
  });

  it("marks findings in a file that configures a website at medium confidence and says so", () => {
    const text = `resource "aws_s3_bucket" "site" {\n  bucket = "www.example.com"\n  acl    = "public-read"\n  website {\n    index_document = "index.html"\n  }\n}\n`;
    const [finding] = run(text, "public-s3-bucket");
    expect([finding!.line, finding!.confidence]).toEqual([3, "medium"]);
    expect(finding!.message).toMatch(/static website/);
  });

  it("does not judge a Deny, a conditioned statement, or a named principal", () => {
    const text = `resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [
      { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } },
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "s3:GetObject", Resource = "*" },
      { Effect = "Allow", Principal = { Service = "logging.s3.amazonaws.com" }, Action = "s3:PutObject", Resource = "*" },
    ]
  })
}
`;
    expect(run(text, "public-s3-bucket")).toEqual([]);
  });
});

describe("iam-wildcard", () => {
  const policy = (statement: string, type = "aws_iam_policy") => `resource "${type}" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
${statement}
    }]
  })
}
`;

  it("grades * and *:* critical and iam:* high, on the action's line", () => {
    expect(run(policy('      Effect = "Allow"\n      Action = "*"\n      Resource = "*"'), "iam-wildcard").map((f) => [f.line, f.severity, f.key])).toEqual([[6, "critical", "aws_iam_policy.p:policy:#0:*"]]);
    expect(run(policy('      Effect = "Allow"\n      Action = ["s3:GetObject", "*:*"]\n      Resource = ["arn:aws:s3:::a", "*"]', "aws_iam_group_policy"), "iam-wildcard").map((f) => f.severity)).toEqual(["critical"]);
    expect(run(policy('      Sid = "Iam"\n      Effect = "Allow"\n      Action = ["IAM:*"]\n      Resource = "*"', "aws_iam_user_policy"), "iam-wildcard").map((f) => [f.line, f.severity, f.key])).toEqual([[7, "high", "aws_iam_user_policy.p:policy:Iam:iam:*"]]);
  });

  it("leaves Deny, read-only wildcards, service wildcards on named resources and NotAction alone", () => {
    const safe = [
      policy('      Effect = "Deny"\n      Action = "*"\n      Resource = "*"'),
      policy('      Effect = "Allow"\n      Action = ["ec2:Describe*", "s3:Get*", "s3:List*"]\n      Resource = "*"'),
      policy('      Effect = "Allow"\n      Action = "*"\n      Resource = "arn:aws:s3:::bucket/*"'),
      policy('      Effect = "Allow"\n      Action = "iam:*"\n      Resource = "arn:aws:iam::111122223333:role/app-*"'),
      policy('      Effect = "Allow"\n      NotAction = "iam:*"\n      Resource = "*"'),
      policy('      Effect = "Allow"\n      Action = "*"\n      Resource = var.resources'),
      policy('      Effect = var.effect\n      Action = "*"\n      Resource = "*"'),
      `resource "aws_iam_policy" "p" {\n  policy = file("\${path.module}/admin.json")\n}\n`,
      `resource "aws_iam_policy" "p" {\n  policy = var.policy_json\n}\n`,
    ];
    for (const text of safe) expect(run(text, "iam-wildcard"), text).toEqual([]);
  });

  it("reads JSON strings, inline role policies, policy documents and AdministratorAccess in every partition", () => {
    const text = `resource "aws_iam_role_policy" "quoted" {
  role   = aws_iam_role.r.id
  policy = "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"*\\",\\"Resource\\":\\"*\\"}]}"
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  managed_policy_arns = ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"]

  inline_policy {
    name = "all-iam"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }]
    })
  }
}

data "aws_iam_policy_document" "admin" {
  statement {
    effect    = "Allow"
    actions   = ["*"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy_attachment" "read" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`;
    expect(run(text, "iam-wildcard").map((f) => [f.line, f.severity])).toEqual([
      [3, "critical"],
      [14, "high"],
      [9, "high"],
      [22, "critical"],
      [34, "high"],
    ]);
  });
});

describe("iam-wildcard: policies that only limit others", () => {
  it("skips a permissions boundary and an SCP shown in the file, but not the same policy attached to a role", () => {
    const boundary = `resource "aws_iam_policy" "b" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
resource "aws_iam_user" "dev" {
  name                 = "dev"
  permissions_boundary = aws_iam_policy.b.arn
}
`;
    expect(run(boundary, "iam-wildcard")).toEqual([]);
    const attached = boundary.replace('resource "aws_iam_user" "dev" {\n  name                 = "dev"\n  permissions_boundary = aws_iam_policy.b.arn\n}', 'resource "aws_iam_user_policy_attachment" "dev" {\n  user       = "dev"\n  policy_arn = aws_iam_policy.b.arn\n}');
    expect(lines(attached, "iam-wildcard")).toEqual([2]);
    const boundaryDocument = `data "aws_iam_policy_document" "b" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "b" {
  policy = data.aws_iam_policy_document.b.json
}
resource "aws_iam_role" "r" {
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = aws_iam_policy.b.arn
}
`;
    expect(run(boundaryDocument, "iam-wildcard")).toEqual([]);
  });
});

describe("public-database", () => {
  it("reports true on its line, and not false, a variable or a missing attribute", () => {
    const text = `resource "aws_db_instance" "a" {\n  publicly_accessible = true\n}\nresource "aws_db_instance" "b" {\n  publicly_accessible = false\n}\nresource "aws_rds_cluster_instance" "c" {\n  publicly_accessible = var.public\n}\nresource "aws_redshift_cluster" "d" {\n  cluster_identifier = "d"\n}\nresource "aws_redshiftserverless_workgroup" "e" {\n  publicly_accessible = "true"\n}\n`;
    expect(run(text, "public-database").map((f) => [f.line, f.key])).toEqual([
      [2, "aws_db_instance.a:publicly_accessible"],
      [14, "aws_redshiftserverless_workgroup.e:publicly_accessible"],
    ]);
  });
});

describe("safe real-style Terraform", () => {
  const names = readdirSync(SAFE_DIR).filter((n) => n.endsWith(".tf"));

  it("has at least eight files", () => expect(names.length).toBeGreaterThanOrEqual(8));

  it.each(names)("%s gives no finding of any Terraform audit", (name) => {
    expect(run(readFileSync(new URL(name, SAFE_DIR), "utf8"))).toEqual([]);
  });

  it("gives no finding through the policy check either, as added files", async () => {
    for (const name of names) {
      const result = await scan(`infra/${name}`, null, readFileSync(new URL(name, SAFE_DIR), "utf8"));
      expect(result.outcomes.find((o) => o.checkId === "policy")?.status, name).not.toBe("error");
      expect(result.findings.map((f) => `${f.ruleId}:${f.startLine}`), name).toEqual([]);
    }
  });
});

describe("the terraform domain through the check", () => {
  it("reports a file that does not parse as an error outcome naming the line", async () => {
    const result = await scan("main.tf", null, 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  acl = "public-read\n}\n');
    const outcome = result.outcomes.find((o) => o.checkId === "policy");
    expect(outcome?.status).toBe("error");
    expect(outcome?.message).toMatch(/main\.tf line 3: not a valid Terraform/);
  });

  it("does not read provider caches under .terraform/ or JSON-syntax files", async () => {
    const text = 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n';
    for (const path of [".terraform/modules/x/main.tf", "infra/.terraform/providers/main.tf", "main.tf.json"]) {
      const result = await scan(path, null, text);
      expect(result.findings.filter((f) => f.ruleId.startsWith("policy/public-s3")), path).toEqual([]);
    }
    expect((await scan("infra/terraform/main.tf", null, text)).findings.map((f) => f.startLine)).toEqual([2]);
  });
});
