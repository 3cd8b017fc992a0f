/**
 * Security group ingress from the whole internet (`0.0.0.0/0`, `::/0`) to remote administration
 * (SSH, RDP, Telnet, SMB, the Docker API), databases and caches, or to every port: the first thing
 * internet-wide scanners try (checkov CKV_AWS_24/25/277, tfsec `aws-vpc-no-public-ingress-sgr`).
 * 80 and 443 open to the world are what a public load balancer is for and are not reported.
 *
 * Read from `aws_security_group` and `aws_default_security_group` (`ingress` blocks, the
 * `ingress = [{…}]` attribute form, literal `dynamic "ingress"` content),
 * `aws_security_group_rule` of `type = "ingress"` and `aws_vpc_security_group_ingress_rule`.
 * Only what the file fixes is judged: a port, protocol or CIDR list from a variable is not.
 * Keyed by resource address, attribute, CIDR and port range, so moving a rule is not new but
 * opening another port is.
 */
import type { Severity } from "../../../../core/types.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import { attribute, blocks, listElements, readString, resourcesOf, type TerraformDocument } from "../../domains/terraform.js";
import type { HclBody, HclExpression, HclObject } from "../../terraform/hcl.js";
import { numberOf, stringOf } from "../../terraform/values.js";

const WORLD = new Set(["0.0.0.0/0", "::/0", "0::/0", "::0/0", "0:0:0:0:0:0:0:0/0"]);

const SENSITIVE_PORTS: ReadonlyMap<number, string> = new Map([
  [22, "SSH"],
  [23, "Telnet"],
  [445, "SMB"],
  [1433, "SQL Server"],
  [1521, "Oracle"],
  [2375, "the Docker API"],
  [2379, "etcd"],
  [3306, "MySQL"],
  [3389, "RDP"],
  [5432, "PostgreSQL"],
  [5439, "Redshift"],
  [6379, "Redis"],
  [9200, "Elasticsearch"],
  [11211, "Memcached"],
  [27017, "MongoDB"],
]);

/** One ingress rule, wherever it is written: a block body, an object, or a rule resource. */
interface IngressRule {
  readonly address: string;
  /** `ingress.` for a group's inline rules, empty for rule resources. */
  readonly prefix: string;
  get(name: string): HclExpression | undefined;
  readonly protocolField: string;
  readonly cidrFields: readonly string[];
}

type Exposure = { readonly all: true; readonly protocol: string } | { readonly all: false; readonly protocol: string; readonly from: number; readonly to: number; readonly ports: readonly number[] };

function fromBody(body: HclBody) {
  return (name: string) => attribute(body, name)?.value;
}

function fromObject(object: HclObject) {
  return (name: string) => object.items.find((item) => item.name === name)?.value;
}

function ingressRules(doc: TerraformDocument): IngressRule[] {
  const rules: IngressRule[] = [];
  const inline = { prefix: "ingress.", protocolField: "protocol", cidrFields: ["cidr_blocks", "ipv6_cidr_blocks"] } as const;
  for (const group of resourcesOf(doc, "aws_security_group", "aws_default_security_group")) {
    for (const block of blocks(group.body, "ingress")) rules.push({ address: group.address, ...inline, get: fromBody(block.body) });
    for (const block of blocks(group.body, "dynamic")) {
      if (block.labels[0] !== "ingress") continue;
      for (const content of blocks(block.body, "content")) rules.push({ address: group.address, ...inline, get: fromBody(content.body) });
    }
    const list = attribute(group.body, "ingress")?.value;
    if (list?.kind === "tuple") {
      for (const item of list.items) if (item.kind === "object") rules.push({ address: group.address, ...inline, get: fromObject(item) });
    }
  }
  for (const rule of resourcesOf(doc, "aws_security_group_rule")) {
    const type = readString(rule.body, "type");
    if (type.state !== "known" || type.value !== "ingress") continue;
    rules.push({ address: rule.address, prefix: "", get: fromBody(rule.body), protocolField: "protocol", cidrFields: ["cidr_blocks", "ipv6_cidr_blocks"] });
  }
  for (const rule of resourcesOf(doc, "aws_vpc_security_group_ingress_rule")) {
    rules.push({ address: rule.address, prefix: "", get: fromBody(rule.body), protocolField: "ip_protocol", cidrFields: ["cidr_ipv4", "cidr_ipv6"] });
  }
  return rules;
}

/** What the rule opens, or undefined when it opens nothing sensitive or the file does not say. */
function exposure(rule: IngressRule): Exposure | undefined {
  const protocolExpr = rule.get(rule.protocolField);
  if (protocolExpr === undefined) return undefined;
  const protocol = stringOf(protocolExpr)?.toLowerCase();
  if (protocol === "-1" || protocol === "all") return { all: true, protocol: "all" };
  const name = protocol === "tcp" || protocol === "6" ? "tcp" : protocol === "udp" || protocol === "17" ? "udp" : undefined;
  // ICMP's "ports" are message types; other protocols and expressions are not judged.
  if (name === undefined) return undefined;
  const fromExpr = rule.get("from_port");
  const toExpr = rule.get("to_port");
  const from = fromExpr === undefined ? undefined : numberOf(fromExpr);
  const to = toExpr === undefined ? undefined : numberOf(toExpr);
  if (from === undefined || to === undefined) return undefined;
  if (from <= 1 && to >= 65535) return { all: true, protocol: name };
  const ports = [...SENSITIVE_PORTS.keys()].filter((p) => p >= from && p <= to);
  return ports.length === 0 ? undefined : { all: false, protocol: name, from, to, ports };
}

function describe(e: Exposure): string {
  if (e.all) return e.protocol === "all" ? "every port and protocol" : `every ${e.protocol.toUpperCase()} port`;
  const named = e.ports.slice(0, 4).map((p) => `${SENSITIVE_PORTS.get(p)} (${p})`);
  const more = e.ports.length > 4 ? ` and ${e.ports.length - 4} more` : "";
  const range = e.from === e.to ? "" : `ports ${e.from}-${e.to}, which include `;
  return `${range}${named.join(", ")}${more}`;
}

function rangeKey(e: Exposure): string {
  return e.all ? `${e.protocol}/all` : `${e.protocol}/${e.from}-${e.to}`;
}

export const openIngress = defineAudit<TerraformDocument>({
  id: "open-ingress",
  domain: "terraform",
  title: "Ingress open to the internet",
  description: "A security group lets the whole internet (0.0.0.0/0 or ::/0) reach SSH, RDP, a database or every port, which scanners find within minutes.",
  severity: "high",
  confidence: "high",
  remediation: "Limit the rule's CIDR to known networks (an office range, a VPN, the VPC) or reference a security group; reach instances through SSM Session Manager or a bastion instead of opening SSH or RDP.",
  link: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
  samples: {
    valid: [
      {
        note: "a public load balancer open on 80 and 443; SSH only from the VPN",
        text: `resource "aws_security_group" "alb" {
  name   = "web-alb"
  vpc_id = module.vpc.vpc_id

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
      },
      {
        note: "the database is reachable only from the app's security group; a CIDR from a variable is not judged",
        text: `resource "aws_vpc_security_group_ingress_rule" "postgres_from_app" {
  security_group_id            = aws_security_group.db.id
  referenced_security_group_id = aws_security_group.app.id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

resource "aws_security_group_rule" "ssh_admin" {
  type              = "ingress"
  security_group_id = aws_security_group.bastion.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = var.admin_cidrs
}

resource "aws_security_group_rule" "icmp" {
  type              = "ingress"
  security_group_id = aws_security_group.bastion.id
  from_port         = 8
  to_port           = 0
  protocol          = "icmp"
  cidr_blocks       = ["0.0.0.0/0"]
}
`,
      },
    ],
    invalid: [
      {
        text: `resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
        lines: [9],
      },
      {
        note: "all traffic (critical), a database range, and an IPv6 RDP rule",
        text: `resource "aws_security_group_rule" "everything" {
  type              = "ingress"
  security_group_id = aws_security_group.debug.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks = [
    "10.0.0.0/8",
    "0.0.0.0/0",
  ]
}

resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_security_group.windows.id
  cidr_ipv6         = "::/0"
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
}

resource "aws_security_group" "db" {
  ingress = [{
    from_port        = 5000
    to_port          = 6000
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    description      = "legacy"
    prefix_list_ids  = []
    security_groups  = []
    self             = false
  }]
}
`,
        lines: [9, 15, 26],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const rule of ingressRules(doc)) {
      const open = exposure(rule);
      if (open === undefined) continue;
      for (const field of rule.cidrFields) {
        const expr = rule.get(field);
        if (expr === undefined) continue;
        for (const element of listElements(expr) ?? []) {
          if (element.value === undefined || !WORLD.has(element.value.trim())) continue;
          const severity: Severity = open.all ? "critical" : "high";
          findings.push({
            line: element.line,
            message: `\`${rule.address}\` lets the whole internet (${element.value.trim()}) reach ${describe(open)}.`,
            key: `${rule.address}:${rule.prefix}${field}=${element.value.trim()}:${rangeKey(open)}`,
            severity,
          });
        }
      }
    }
    return findings;
  },
});
