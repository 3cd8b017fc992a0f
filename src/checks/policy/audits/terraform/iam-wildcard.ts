/**
 * IAM identity policies that allow everything (`Action: "*"` on `Resource: "*"`: administrator)
 * or all of IAM (`iam:*` on `*`: the right to grant oneself anything). Whoever holds the role,
 * user or group, including a CI job or a compromised instance, owns the account (checkov
 * CKV_AWS_1/62/63/355, tfsec `aws-iam-no-policy-wildcards`).
 *
 * Read from `aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`,
 * `aws_iam_group_policy` and `aws_iam_role` `inline_policy` (as `jsonencode({…})`, heredoc or
 * string JSON), from `data "aws_iam_policy_document"` `statement` blocks, and from attachments
 * of the AWS-managed `AdministratorAccess` policy. Not reported: `Deny` statements, wildcards
 * limited to a service's reads (`ec2:Describe*`, `s3:Get*`), `*` on named resources, statements
 * with a principal (bucket, key and trust policies are resource policies: `kms:*` for the
 * account root is the default key policy), documents the file does not fix (`file(…)`,
 * variables), and what only limits others: a policy used as a `permissions_boundary` and a
 * document that is an organization's service control policy (AWS's own `FullAWSAccess` SCP
 * allows `*` on `*`), when the file shows that use. `NotAction` is not judged.
 */
import type { Severity } from "../../../../core/types.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import { attribute, blocks, listElements, referencesByAddress, resourcesOf, type TerraformDocument } from "../../domains/terraform.js";
import { stringOf } from "../../terraform/values.js";
import { statementsOfExpression, statementsOfPolicyDocument, type PolicyStatement } from "../../terraform/policy-document.js";

const POLICY_RESOURCES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];
const ATTACHMENTS = ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"];

function grade(action: string): { severity: Severity; what: string } | undefined {
  const a = action.trim().toLowerCase();
  if (a === "*" || a === "*:*") return { severity: "critical", what: "every action on every resource: full administrator access" };
  if (a === "iam:*") return { severity: "high", what: "every IAM action on every resource, enough to grant itself anything" };
  return undefined;
}

function isAdministratorAccess(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/.test(arn.trim());
}

function statementFindings(address: string, where: string, statements: readonly PolicyStatement[]): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const s of statements) {
    if (s.effect !== "Allow" || s.hasPrincipal || s.actions === undefined || s.resources === undefined) continue;
    if (!s.resources.values.some((r) => r.value.trim() === "*")) continue;
    for (const action of s.actions.values) {
      const g = grade(action.value);
      if (g === undefined) continue;
      const name = s.sid !== undefined ? `Sid ${s.sid}` : `statement ${s.index + 1}`;
      findings.push({
        line: action.line,
        message: `\`${address}\` (${name}) allows ${g.what} (\`${action.value.trim()}\` on \`*\`).`,
        key: `${address}:${where}:${s.sid ?? `#${s.index}`}:${action.value.trim().toLowerCase()}`,
        severity: g.severity,
      });
    }
  }
  return findings;
}

export const iamWildcard = defineAudit<TerraformDocument>({
  id: "iam-wildcard",
  domain: "terraform",
  title: "IAM policy allows everything",
  description: "An IAM policy allows `*` (or all of IAM) on every resource, so whoever holds it, a CI job or a compromised instance included, controls the whole AWS account.",
  severity: "critical",
  confidence: "high",
  remediation: "List the actions the role needs on the resources it needs (start from IAM Access Analyzer's generated policy); keep administrator access for break-glass roles behind MFA or IAM Identity Center.",
  link: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
  samples: {
    valid: [
      {
        note: "least privilege: named actions on named resources; read-only wildcards; a Deny of everything",
        text: `data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "Artifacts"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["\${aws_s3_bucket.artifacts.arn}/*"]
  }

  statement {
    sid       = "Describe"
    actions   = ["ec2:Describe*", "s3:Get*"]
    resources = ["*"]
  }

  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
`,
      },
      {
        note: "a permissions boundary and a service control policy that allow everything only cap what others grant",
        text: `data "aws_iam_policy_document" "full_access_scp" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_organizations_policy" "full_access" {
  name    = "FullAccess"
  content = data.aws_iam_policy_document.full_access_scp.json
}

resource "aws_iam_policy" "boundary" {
  name = "developer-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "*", Resource = "*" },
      { Effect = "Deny", Action = ["iam:CreateUser", "organizations:*"], Resource = "*" },
    ]
  })
}

resource "aws_iam_role" "developer" {
  name                 = "developer"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = aws_iam_policy.boundary.arn
}
`,
      },
      {
        note: "a KMS key policy gives the account root kms:* (a resource policy, with a principal); a trust policy",
        text: `resource "aws_kms_key" "logs" {
  description = "logs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EnableRoot"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["logs:*"],
          "Resource": "arn:aws:logs:*:*:log-group:/app/*"
        }
      ]
    }
  EOF
}
`,
      },
    ],
    invalid: [
      {
        text: `resource "aws_iam_policy" "admin" {
  name = "ci-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
`,
        lines: [8],
      },
      {
        note: "a heredoc JSON policy with iam:*, a policy document with *, and an AdministratorAccess attachment",
        text: `resource "aws_iam_role_policy" "ops" {
  role   = aws_iam_role.ops.id
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "IamEverything",
      "Effect": "Allow",
      "Action": [
        "iam:*"
      ],
      "Resource": "*"
    }
  ]
}
EOF
}

data "aws_iam_policy_document" "runner" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy_attachment" "runner_admin" {
  role       = aws_iam_role.runner.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`,
        lines: [11, 22, 29],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    const references = referencesByAddress(doc);
    // Boundaries and SCPs cap what others may do; allowing `*` there grants nothing by itself.
    const boundaries = new Set(resourcesOf(doc, "aws_iam_policy").filter((p) => (references.get(p.address) ?? []).some((r) => r.attribute === "permissions_boundary")).map((p) => p.address));
    const limitsOnly = (address: string) =>
      boundaries.has(address) || (references.get(address) ?? []).some((r) => r.from.type === "aws_organizations_policy" || boundaries.has(r.from.address));
    for (const resource of resourcesOf(doc, ...POLICY_RESOURCES)) {
      if (limitsOnly(resource.address)) continue;
      const policy = attribute(resource.body, "policy");
      const statements = policy === undefined ? undefined : statementsOfExpression(policy.value);
      if (statements !== undefined) findings.push(...statementFindings(resource.address, "policy", statements));
    }
    for (const role of resourcesOf(doc, "aws_iam_role")) {
      for (const inline of blocks(role.body, "inline_policy")) {
        const policy = attribute(inline.body, "policy");
        const statements = policy === undefined ? undefined : statementsOfExpression(policy.value);
        if (statements !== undefined) findings.push(...statementFindings(role.address, "inline_policy", statements));
      }
      const managed = attribute(role.body, "managed_policy_arns");
      for (const arn of managed === undefined ? [] : (listElements(managed.value) ?? [])) {
        if (arn.value !== undefined && isAdministratorAccess(arn.value)) {
          findings.push({ line: arn.line, message: `\`${role.address}\` has the AWS-managed AdministratorAccess policy: full access to the account.`, key: `${role.address}:managed_policy_arns:AdministratorAccess`, severity: "high" });
        }
      }
    }
    for (const document of doc.dataSources) {
      if (document.type !== "aws_iam_policy_document" || limitsOnly(document.address)) continue;
      findings.push(...statementFindings(document.address, "statement", statementsOfPolicyDocument(document.body)));
    }
    for (const attachment of resourcesOf(doc, ...ATTACHMENTS)) {
      const arn = attribute(attachment.body, "policy_arn");
      const value = arn === undefined ? undefined : stringOf(arn.value);
      if (arn === undefined || value === undefined || !isAdministratorAccess(value)) continue;
      findings.push({ line: arn.line, message: `\`${attachment.address}\` attaches the AWS-managed AdministratorAccess policy: full access to the account.`, key: `${attachment.address}:policy_arn:AdministratorAccess`, severity: "high" });
    }
    return findings;
  },
});
