/**
 * S3 buckets opened to everyone: public canned ACLs (`public-read`, `public-read-write`,
 * `authenticated-read`, which is any AWS account), ACL grants to the AllUsers or
 * AuthenticatedUsers groups, public access blocks switched off, and bucket policies that let
 * `Principal: "*"` read or write objects without a condition (checkov CKV_AWS_20/57/53-56,
 * tfsec `aws-s3-no-public-access-with-acl`). Most public data leaks are a bucket made public by
 * one of these lines.
 *
 * Not reported: an ACL on a bucket whose public access block (in the same file, or the account's)
 * ignores public ACLs, and a policy on a bucket whose block restricts public policies, since S3
 * then refuses or ignores them; statements with a condition (CloudFront OAC's `aws:SourceArn`,
 * `aws:SourceVpce`), `Deny` statements, and `aws_iam_policy_document`s that no bucket policy of
 * the file uses (VPC endpoint policies are written the same way, with `Principal: "*"`). A file that configures a static website is still
 * reported, at medium confidence: the bucket is public on purpose, but usually it should sit
 * behind CloudFront instead.
 */
import type { Severity } from "../../../../core/types.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import { attribute, blocks, readBool, readString, referenceText, resourcesOf, type TerraformBlock, type TerraformDocument } from "../../domains/terraform.js";
import { statementsOfExpression, statementsOfPolicyDocument, type PolicyStatement } from "../../terraform/policy-document.js";
import { stringOf } from "../../terraform/values.js";

const PUBLIC_ACLS: ReadonlyMap<string, { severity: Severity; what: string }> = new Map([
  ["public-read", { severity: "high", what: "anyone on the internet can list and read its objects" }],
  ["public-read-write", { severity: "critical", what: "anyone on the internet can read, overwrite and delete its objects" }],
  ["authenticated-read", { severity: "high", what: "any AWS account in the world can read its objects" }],
]);
const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
const PUBLIC_GROUPS = /\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

/**
 * The `aws_s3_bucket` resource a bucket-level resource configures: `aws_s3_bucket.site.id`,
 * `aws_s3_bucket.site[0].bucket`, or the literal name of a bucket declared in the file.
 */
function bucketName(resource: TerraformBlock, namesByLiteral: ReadonlyMap<string, string>): string | undefined {
  const bucket = attribute(resource.body, "bucket");
  if (bucket === undefined) return undefined;
  const literal = stringOf(bucket.value);
  if (literal !== undefined) return namesByLiteral.get(literal);
  const ref = referenceText(bucket.value);
  const match = ref === undefined ? undefined : /^aws_s3_bucket\.([^.[]+)(?:\[[^\]]*\])?\.(?:id|bucket)$/.exec(ref);
  return match?.[1];
}

interface Protection {
  readonly ignoresAcls: boolean;
  readonly restrictsPolicies: boolean;
}

/** What public access blocks in the file switch on, per bucket name and for the whole account. */
function protections(doc: TerraformDocument, namesByLiteral: ReadonlyMap<string, string>): { byBucket: Map<string, Protection>; account: Protection } {
  const on = (r: TerraformBlock, flag: string) => {
    const v = readBool(r.body, flag);
    return v.state === "known" && v.value;
  };
  const read = (r: TerraformBlock): Protection => ({
    ignoresAcls: on(r, "ignore_public_acls") || on(r, "block_public_acls"),
    restrictsPolicies: on(r, "restrict_public_buckets") || on(r, "block_public_policy"),
  });
  const byBucket = new Map<string, Protection>();
  for (const block of resourcesOf(doc, "aws_s3_bucket_public_access_block")) {
    const name = bucketName(block, namesByLiteral);
    if (name !== undefined) byBucket.set(name, read(block));
  }
  let account: Protection = { ignoresAcls: false, restrictsPolicies: false };
  for (const block of resourcesOf(doc, "aws_s3_account_public_access_block")) account = read(block);
  return { byBucket, account };
}

function isWebsite(doc: TerraformDocument): boolean {
  return resourcesOf(doc, "aws_s3_bucket_website_configuration").length > 0 || resourcesOf(doc, "aws_s3_bucket").some((b) => blocks(b.body, "website").length > 0);
}

/** What a public statement's actions let anyone do, worst first; undefined when nothing in S3. */
function publicActions(statement: PolicyStatement, anyService: boolean): { severity: Severity; what: string } | undefined {
  let read = false;
  for (const { value } of statement.actions?.values ?? []) {
    const a = value.trim().toLowerCase();
    if (a === "s3:*" || (anyService && (a === "*" || a === "*:*"))) return { severity: "high", what: "do anything to the bucket and its objects" };
    if (a.startsWith("s3:put") || a.startsWith("s3:delete")) return { severity: "high", what: `write to the bucket (\`${value.trim()}\`)` };
    if (a === "s3:getobject" || a === "s3:get*" || a === "s3:getobject*" || a === "s3:listbucket") read = true;
  }
  return read ? { severity: "medium", what: "read its objects" } : undefined;
}

export const publicS3Bucket = defineAudit<TerraformDocument>({
  id: "public-s3-bucket",
  domain: "terraform",
  title: "S3 bucket open to the public",
  description: "An S3 bucket's ACL, public access block or bucket policy lets anyone on the internet read (or write) its objects, the most common way cloud data leaks.",
  severity: "high",
  confidence: "high",
  remediation: "Use the `private` ACL (or none, with object ownership `BucketOwnerEnforced`), set all four `aws_s3_bucket_public_access_block` flags to `true`, and serve public content through CloudFront with origin access control instead of a public bucket.",
  link: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
  samples: {
    valid: [
      {
        note: "a private bucket: public access block all true, SSE with KMS, ownership enforced",
        text: `resource "aws_s3_bucket" "uploads" {
  bucket = "acme-uploads-prod"
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn
    }
  }
}
`,
      },
      {
        note: "CloudFront reads through origin access control: Principal is the service, with a condition; TLS-only Deny for everyone",
        text: `data "aws_iam_policy_document" "assets" {
  statement {
    sid       = "CloudFrontRead"
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.assets.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.assets.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.assets.arn, "\${aws_s3_bucket.assets.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = "log-delivery-write"
}
`,
      },
    ],
    invalid: [
      {
        text: `resource "aws_s3_bucket" "exports" {
  bucket = "acme-exports"
  acl    = "public-read"
}

resource "aws_s3_bucket_public_access_block" "exports" {
  bucket                  = aws_s3_bucket.exports.id
  block_public_acls       = false
  block_public_policy     = true
  ignore_public_acls      = false
  restrict_public_buckets = true
}
`,
        lines: [3, 8, 10],
      },
      {
        note: "a website bucket is public on purpose, and still reported (medium confidence)",
        text: `resource "aws_s3_bucket" "site" {
  bucket = "www.example.org"
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicRead"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "\${aws_s3_bucket.site.arn}/*"
    }]
  })
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  access_control_policy {
    owner {
      id = data.aws_canonical_user_id.current.id
    }
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
    }
  }
}
`,
        lines: [19, 35],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    const namesByLiteral = new Map<string, string>();
    for (const bucket of resourcesOf(doc, "aws_s3_bucket")) {
      const name = readString(bucket.body, "bucket");
      if (name.state === "known") namesByLiteral.set(name.value, bucket.name);
    }
    const { byBucket, account } = protections(doc, namesByLiteral);
    const website = isWebsite(doc);
    const confidence = website ? ("medium" as const) : undefined;
    const siteNote = website ? " This file configures a static website; if the content is meant to be public, serve it through CloudFront with origin access control rather than a public bucket." : "";
    const protectedFor = (resource: TerraformBlock): Protection => {
      const own = resource.type === "aws_s3_bucket" ? byBucket.get(resource.name) : (() => {
        const name = bucketName(resource, namesByLiteral);
        return name === undefined ? undefined : byBucket.get(name);
      })();
      return { ignoresAcls: account.ignoresAcls || own?.ignoresAcls === true, restrictsPolicies: account.restrictsPolicies || own?.restrictsPolicies === true };
    };
    const push = (f: AuditFinding) => findings.push({ ...f, message: f.message + siteNote, ...(confidence ? { confidence } : {}) });

    for (const resource of resourcesOf(doc, "aws_s3_bucket", "aws_s3_bucket_acl")) {
      if (protectedFor(resource).ignoresAcls) continue;
      const acl = readString(resource.body, "acl");
      const grade = acl.state === "known" ? PUBLIC_ACLS.get(acl.value) : undefined;
      if (acl.state === "known" && grade !== undefined) {
        push({ line: acl.attribute.line, message: `\`${resource.address}\` has the \`${acl.value}\` ACL: ${grade.what}.`, key: `${resource.address}:acl=${acl.value}`, severity: grade.severity });
      }
      for (const policy of blocks(resource.body, "access_control_policy")) {
        for (const grant of blocks(policy.body, "grant")) {
          const permission = readString(grant.body, "permission");
          for (const grantee of blocks(grant.body, "grantee")) {
            const uri = readString(grantee.body, "uri");
            const group = uri.state === "known" ? PUBLIC_GROUPS.exec(uri.value)?.[1] : undefined;
            if (uri.state !== "known" || group === undefined) continue;
            const perm = permission.state === "known" ? permission.value : "a permission";
            const writes = perm === "WRITE" || perm === "FULL_CONTROL" || perm === "WRITE_ACP";
            push({
              line: uri.attribute.line,
              message: `\`${resource.address}\` grants ${perm} to the ${group} group: ${group === "AllUsers" ? "anyone on the internet" : "any AWS account"}.`,
              key: `${resource.address}:grant=${group}:${perm}`,
              severity: writes ? "critical" : "high",
            });
          }
        }
      }
    }

    for (const resource of resourcesOf(doc, "aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block")) {
      for (const flag of FLAGS) {
        const value = readBool(resource.body, flag);
        if (value.state !== "known" || value.value) continue;
        push({ line: value.attribute.line, message: `\`${resource.address}\` turns \`${flag}\` off, so public ACLs or policies on ${resource.type === "aws_s3_account_public_access_block" ? "every bucket of the account" : "the bucket"} take effect.`, key: `${resource.address}:${flag}`, severity: "medium" });
      }
    }

    const judgePolicy = (address: string, where: string, statements: readonly PolicyStatement[], anyService: boolean) => {
      for (const s of statements) {
        if (s.effect !== "Allow" || s.publicPrincipal === undefined || s.hasCondition) continue;
        const grant = publicActions(s, anyService);
        if (grant === undefined) continue;
        push({
          line: s.publicPrincipal.line,
          message: `\`${address}\` lets anyone (\`Principal: "*"\`, no condition) ${grant.what}.`,
          key: `${address}:${where}:${s.sid ?? `#${s.index}`}:Principal=*`,
          severity: grant.severity,
        });
      }
    };
    // A policy document is judged when an unprotected bucket policy of this file uses it: the
    // same document with `Principal: "*"` is also how VPC endpoint policies are written.
    const bucketDocuments = new Set<string>();
    for (const resource of resourcesOf(doc, "aws_s3_bucket_policy", "aws_s3_bucket")) {
      const policy = attribute(resource.body, "policy");
      if (policy === undefined || protectedFor(resource).restrictsPolicies) continue;
      const ref = referenceText(policy.value);
      if (ref !== undefined && ref.startsWith("data.aws_iam_policy_document.")) bucketDocuments.add(ref.replace(/\.json$/, ""));
      const statements = statementsOfExpression(policy.value);
      if (statements !== undefined) judgePolicy(resource.address, "policy", statements, true);
    }
    for (const document of doc.dataSources) {
      if (document.type !== "aws_iam_policy_document" || !bucketDocuments.has(document.address)) continue;
      judgePolicy(document.address, "statement", statementsOfPolicyDocument(document.body), false);
    }
    return findings;
  },
});
