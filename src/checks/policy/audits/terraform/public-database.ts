/**
 * A database with `publicly_accessible = true` gets a public DNS name and address, so its login
 * page is one security group rule (or one routing mistake) away from the internet, where
 * credential stuffing and engine exploits wait (checkov CKV_AWS_17, tfsec
 * `aws-rds-no-public-db-access`, CKV_AWS_87 for Redshift). Only an explicit `true` is reported:
 * the providers' defaults are private, and a variable is not judged.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import { readBool, resourcesOf, type TerraformDocument } from "../../domains/terraform.js";

const DATABASES: ReadonlyMap<string, string> = new Map([
  ["aws_db_instance", "RDS instance"],
  ["aws_rds_cluster_instance", "Aurora instance"],
  ["aws_redshift_cluster", "Redshift cluster"],
  ["aws_redshiftserverless_workgroup", "Redshift Serverless workgroup"],
]);

export const publicDatabase = defineAudit<TerraformDocument>({
  id: "public-database",
  domain: "terraform",
  title: "Database publicly accessible",
  description: "A database marked publicly accessible gets an internet-resolvable address, so a permissive security group or route exposes its login to the whole internet.",
  severity: "high",
  confidence: "high",
  remediation: "Set `publicly_accessible = false`, place the database in private subnets, and reach it through the application, a VPN or SSM port forwarding.",
  link: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding",
  samples: {
    valid: [
      {
        text: `resource "aws_db_instance" "app" {
  identifier           = "app"
  engine               = "postgres"
  instance_class       = "db.t4g.small"
  allocated_storage    = 20
  storage_encrypted    = true
  publicly_accessible  = false
  db_subnet_group_name = aws_db_subnet_group.private.name
}
`,
      },
      {
        note: "a variable is not judged; a missing attribute is private by default",
        text: `resource "aws_rds_cluster_instance" "this" {
  count               = 2
  identifier          = "aurora-\${count.index}"
  cluster_identifier  = aws_rds_cluster.this.id
  instance_class      = "db.r6g.large"
  engine              = aws_rds_cluster.this.engine
  publicly_accessible = var.publicly_accessible
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier = "warehouse"
  node_type          = "ra3.xlplus"
  encrypted          = true
}
`,
      },
    ],
    invalid: [
      {
        text: `resource "aws_db_instance" "reporting" {
  identifier          = "reporting"
  engine              = "mysql"
  instance_class      = "db.t3.medium"
  allocated_storage   = 100
  storage_encrypted   = true
  publicly_accessible = true
}
`,
        lines: [7],
      },
      {
        text: `resource "aws_redshift_cluster" "bi" {
  cluster_identifier  = "bi"
  node_type           = "dc2.large"
  publicly_accessible = "true"
}

resource "aws_rds_cluster_instance" "writer" {
  cluster_identifier  = aws_rds_cluster.main.id
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = true
}
`,
        lines: [4, 11],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const resource of resourcesOf(doc, ...DATABASES.keys())) {
      const value = readBool(resource.body, "publicly_accessible");
      if (value.state !== "known" || !value.value) continue;
      findings.push({
        line: value.attribute.line,
        message: `\`${resource.address}\` is publicly accessible: this ${DATABASES.get(resource.type)} gets an internet-resolvable address.`,
        key: `${resource.address}:publicly_accessible`,
      });
    }
    return findings;
  },
});
