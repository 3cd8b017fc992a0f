/**
 * Storage created without encryption at rest: RDS instances and Aurora clusters, EBS volumes, EFS
 * file systems and ElastiCache replication groups (checkov CKV_AWS_16/96/3/42/29, tfsec
 * `aws-rds-encrypt-instance-storage-data` and kin). Encryption cannot be switched on later: the
 * data has to be copied into a new, encrypted resource, so the time to catch it is the pull request.
 *
 * An explicit `false` is high; a missing attribute (the provider's default is unencrypted) is
 * medium, on the resource's line. A value from a variable (`storage_encrypted = var.encrypted`)
 * is decided at plan time and is not judged. Resources that inherit their encryption are not
 * judged when the attribute is missing: read replicas (`replicate_source_db`), restores from a
 * snapshot, Aurora instances declared as `aws_db_instance`, secondary clusters of a global
 * cluster, Aurora Serverless v1 (always encrypted), EBS volumes from a snapshot or in a file that
 * turns on `aws_ebs_encryption_by_default`, and Valkey replication groups (encrypted by default).
 * The block devices of `aws_instance` and `aws_launch_template` are judged only on an explicit
 * `encrypted = false`: left out, they follow the account's default encryption, which most
 * accounts turn on once rather than per instance.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import { blocks, isSet, readBool, readString, resourcesOf, type TerraformBlock, type TerraformDocument } from "../../domains/terraform.js";
import type { HclBody } from "../../terraform/hcl.js";

interface StorageKind {
  readonly type: string;
  readonly attribute: string;
  readonly what: string;
  /** Why a missing attribute does not mean unencrypted here; undefined when it does. */
  inherits(resource: TerraformBlock, doc: TerraformDocument): boolean;
}

const stringIs = (resource: TerraformBlock, name: string, test: (value: string) => boolean) => {
  const r = readString(resource.body, name);
  return r.state === "known" && test(r.value.toLowerCase());
};

const KINDS: readonly StorageKind[] = [
  {
    type: "aws_db_instance",
    attribute: "storage_encrypted",
    what: "RDS instance",
    inherits: (r) => isSet(r.body, "replicate_source_db") || isSet(r.body, "snapshot_identifier") || stringIs(r, "engine", (e) => e.startsWith("aurora")),
  },
  {
    type: "aws_rds_cluster",
    attribute: "storage_encrypted",
    what: "Aurora cluster",
    inherits: (r) =>
      isSet(r.body, "snapshot_identifier") ||
      isSet(r.body, "replication_source_identifier") ||
      isSet(r.body, "global_cluster_identifier") ||
      stringIs(r, "engine_mode", (m) => m === "serverless"),
  },
  {
    type: "aws_ebs_volume",
    attribute: "encrypted",
    what: "EBS volume",
    inherits: (r, doc) =>
      isSet(r.body, "snapshot_id") ||
      resourcesOf(doc, "aws_ebs_encryption_by_default").some((d) => {
        const enabled = readBool(d.body, "enabled");
        return enabled.state === "absent" || (enabled.state === "known" && enabled.value);
      }),
  },
  { type: "aws_efs_file_system", attribute: "encrypted", what: "EFS file system", inherits: () => false },
  {
    type: "aws_elasticache_replication_group",
    attribute: "at_rest_encryption_enabled",
    what: "ElastiCache replication group",
    inherits: (r) => stringIs(r, "engine", (e) => e === "valkey"),
  },
];

export const unencryptedStorage = defineAudit<TerraformDocument>({
  id: "unencrypted-storage",
  domain: "terraform",
  title: "Storage not encrypted at rest",
  description: "A database, volume, file system or cache is created without encryption at rest, so its snapshots, backups and disks can be read by whoever obtains them, and it cannot be encrypted later without a copy.",
  severity: "high",
  confidence: "high",
  remediation: "Set `storage_encrypted = true` (RDS, Aurora), `encrypted = true` (EBS, EFS) or `at_rest_encryption_enabled = true` (ElastiCache), with `kms_key_id` for a customer-managed key; an existing resource must be copied into an encrypted one.",
  link: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
  samples: {
    valid: [
      {
        note: "encrypted RDS in a private subnet group, encrypted EFS",
        text: `resource "aws_db_instance" "orders" {
  identifier             = "orders"
  engine                 = "postgres"
  engine_version         = "16.3"
  instance_class         = "db.t4g.medium"
  allocated_storage      = 50
  storage_encrypted      = true
  kms_key_id             = aws_kms_key.rds.arn
  db_subnet_group_name   = aws_db_subnet_group.private.name
  vpc_security_group_ids = [aws_security_group.db.id]
  username               = "orders"
  manage_master_user_password = true
}

resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
  encrypted      = true
}
`,
      },
      {
        note: "a variable is not judged (its value is known only at plan time); a read replica inherits its source's encryption; Valkey is encrypted by default",
        text: `resource "aws_rds_cluster" "this" {
  cluster_identifier = var.name
  engine             = "aurora-postgresql"
  storage_encrypted  = var.storage_encrypted
}

resource "aws_db_instance" "replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.orders.identifier
  instance_class      = "db.t4g.medium"
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "session store"
  engine               = "valkey"
  node_type            = "cache.t4g.small"
}
`,
      },
      {
        note: "account-wide EBS encryption by default covers volumes that do not say; an instance's root volume that does not say follows the account default",
        text: `resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = "gp3"
}

resource "aws_instance" "worker" {
  ami           = var.ami_id
  instance_type = "m7i.large"

  root_block_device {
    volume_size = 40
    volume_type = "gp3"
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 100
    encrypted   = true
  }
}
`,
      },
    ],
    invalid: [
      {
        text: `resource "aws_db_instance" "legacy" {
  identifier        = "legacy"
  engine            = "mysql"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  storage_encrypted = false
}
`,
        lines: [6],
      },
      {
        note: "missing attributes: reported on the resource's line (medium)",
        text: `resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-east-1a"
  size              = 40
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "cache"
  description          = "app cache"
  engine               = "redis"
  node_type            = "cache.t4g.small"
  at_rest_encryption_enabled = "false"
}

resource "aws_rds_cluster" "analytics" {
  cluster_identifier = "analytics"
  engine             = "aurora-mysql"
  master_username    = "admin"
  manage_master_user_password = true
}
`,
        lines: [1, 11, 14],
      },
      {
        note: "an instance's root volume and a launch template's volume with encryption turned off",
        text: `resource "aws_instance" "jump" {
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.micro"

  root_block_device {
    volume_size = 20
    encrypted   = false
  }
}

resource "aws_launch_template" "workers" {
  name_prefix = "workers-"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 50
      encrypted   = "false"
    }
  }
}
`,
        lines: [7, 17],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const kind of KINDS) {
      for (const resource of resourcesOf(doc, kind.type)) {
        const value = readBool(resource.body, kind.attribute);
        const key = `${resource.address}:${kind.attribute}`;
        if (value.state === "known" && !value.value) {
          findings.push({ line: value.attribute.line, message: `\`${resource.address}\` turns encryption at rest off (\`${kind.attribute} = false\`): this ${kind.what}'s data, snapshots and backups are stored in the clear.`, key, severity: "high" });
        } else if (value.state === "absent" && !kind.inherits(resource, doc)) {
          findings.push({ line: resource.line, message: `\`${resource.address}\` does not set \`${kind.attribute} = true\`: this ${kind.what} is created unencrypted by default.`, key, severity: "medium" });
        }
      }
    }
    for (const { resource, path, body } of blockDevices(doc)) {
      const value = readBool(body, "encrypted");
      if (value.state !== "known" || value.value) continue;
      findings.push({
        line: value.attribute.line,
        message: `\`${resource.address}\` turns encryption off for its \`${path}\` volume (\`encrypted = false\`): the disk and its snapshots are stored in the clear.`,
        key: `${resource.address}:${path}.encrypted`,
        severity: "high",
      });
    }
    return findings;
  },
});

/** The EBS settings of instances' and launch templates' block devices, named by where they sit. */
function blockDevices(doc: TerraformDocument): { resource: TerraformBlock; path: string; body: HclBody }[] {
  const found: { resource: TerraformBlock; path: string; body: HclBody }[] = [];
  for (const resource of resourcesOf(doc, "aws_instance", "aws_spot_instance_request")) {
    for (const type of ["root_block_device", "ebs_block_device"]) {
      for (const device of blocks(resource.body, type)) {
        const name = readString(device.body, "device_name");
        found.push({ resource, path: name.state === "known" ? `${type}[${name.value}]` : type, body: device.body });
      }
    }
  }
  for (const resource of resourcesOf(doc, "aws_launch_template")) {
    for (const mapping of blocks(resource.body, "block_device_mappings")) {
      const name = readString(mapping.body, "device_name");
      for (const ebs of blocks(mapping.body, "ebs")) {
        found.push({ resource, path: name.state === "known" ? `block_device_mappings[${name.value}].ebs` : "block_device_mappings.ebs", body: ebs.body });
      }
    }
  }
  return found;
}
