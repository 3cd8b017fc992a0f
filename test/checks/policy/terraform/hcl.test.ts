import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  hclText,
  MAX_NESTING,
  parseHcl,
  type HclAttribute,
  type HclBlock,
  type HclBody,
  type HclExpression,
} from "../../../../src/checks/policy/terraform/hcl.js";
import { literalValue, referenceText } from "../../../../src/checks/policy/terraform/values.js";
import { policyParseErrorOf } from "../audit-harness.js";

const SAFE_DIR = new URL("../../../fixtures/policy/terraform/safe/", import.meta.url);

function attr(body: HclBody, name: string): HclAttribute {
  const found = body.items.find((i): i is HclAttribute => i.kind === "attribute" && i.name === name);
  if (!found) throw new Error(`no attribute ${name}`);
  return found;
}

function block(body: HclBody, type: string, index = 0): HclBlock {
  const found = body.items.filter((i): i is HclBlock => i.kind === "block" && i.type === type)[index];
  if (!found) throw new Error(`no block ${type}`);
  return found;
}

const parseError = (text: string) => policyParseErrorOf(() => parseHcl(text));

describe("parseHcl: bodies", () => {
  it("reads attributes and labelled blocks with their lines", () => {
    const body = parseHcl(`# a comment
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"

  versioning {
    enabled = true
  }
}
`);
    const resource = block(body, "resource");
    expect(resource.labels).toEqual(["aws_s3_bucket", "logs"]);
    expect([resource.line, resource.endLine]).toEqual([2, 8]);
    const bucket = attr(resource.body, "bucket");
    expect(bucket.line).toBe(3);
    expect(literalValue(bucket.value)).toBe("acme-logs");
    const versioning = block(resource.body, "versioning");
    expect([versioning.line, versioning.endLine]).toEqual([5, 7]);
    expect(literalValue(attr(versioning.body, "enabled").value)).toBe(true);
  });

  it("reads one-line blocks, empty blocks, bare-word labels and CRLF line ends", () => {
    const body = parseHcl('variable "region" { default = "eu-west-1" }\r\ndata "aws_caller_identity" "current" {}\r\nresource aws_iam_role "x" {\r\n  name = "x"\r\n}\r\n');
    expect(literalValue(attr(block(body, "variable").body, "default").value)).toBe("eu-west-1");
    expect(block(body, "data").body.items).toEqual([]);
    expect(block(body, "resource").labels).toEqual(["aws_iam_role", "x"]);
    expect(attr(block(body, "resource").body, "name").line).toBe(4);
  });

  it("keeps line numbers across every comment style, including multi-line block comments", () => {
    const body = parseHcl(`// line comment
/* a block
   comment over
   three lines */
a = 1 # trailing
b = /* inline */ 2
c = 3 // trailing
`);
    expect(["a", "b", "c"].map((n) => attr(body, n).line)).toEqual([5, 6, 7]);
    expect(literalValue(attr(body, "b").value)).toBe(2);
  });

  it("accepts identifiers with dashes and an empty file", () => {
    expect(parseHcl("").items).toEqual([]);
    expect(parseHcl("\n\n# nothing\n").items).toEqual([]);
    const body = parseHcl('resource "aws_iam_role_policy_attachment" "demo-cluster-Policy" {\n  role = aws_iam_role.demo-cluster.name\n}\n');
    expect(referenceText(attr(block(body, "resource").body, "role").value)).toBe("aws_iam_role.demo-cluster.name");
  });
});

describe("parseHcl: literals and templates", () => {
  const value = (text: string) => attr(parseHcl(`x = ${text}\n`), "x").value;

  it("reads numbers, bools, null and negative numbers", () => {
    expect(literalValue(value("42"))).toBe(42);
    expect(literalValue(value("1.5e3"))).toBe(1500);
    expect(literalValue(value("-1"))).toBe(-1);
    expect(literalValue(value("true"))).toBe(true);
    expect(literalValue(value("null"))).toBe(null);
  });

  it("decodes escapes and the literal $${ and %%{", () => {
    expect(literalValue(value(String.raw`"a\"b\\c\n\t\u00e9\U0001F600"`))).toBe('a"b\\c\n\té😀');
    expect(literalValue(value('"$${not.interpolated} %%{ nor this }"'))).toBe("${not.interpolated} %{ nor this }");
  });

  it("parses interpolations and directives into template parts", () => {
    const t = value('"arn:aws:s3:::${var.bucket}/*${var.suffix == "" ? "" : "-x"}%{ if var.on }on%{ endif }"');
    expect(t.kind).toBe("template");
    if (t.kind !== "template") return;
    expect(t.parts.map((p) => p.kind)).toEqual(["literal", "traversal", "literal", "conditional", "directive", "literal", "directive"]);
    expect(referenceText(t.parts[1] as HclExpression)).toBe("var.bucket");
  });

  it("handles nested quotes and braces inside interpolations", () => {
    const t = value('"${jsonencode({ a = "}" })}-${lookup(var.m, "k", "{")}"');
    expect(t.kind).toBe("template");
  });

  it("reads heredocs, and <<- removes the common indentation", () => {
    const body = parseHcl(`a = <<EOF
  {
    "k": "v"
  }
EOF
b = <<-EOT
    line one
      indented
    \${var.x}
    EOT
c = 1
`);
    const a = attr(body, "a");
    expect(literalValue(a.value)).toBe('  {\n    "k": "v"\n  }\n');
    expect(a.value.kind === "literal" && a.value.heredoc).toEqual({ marker: "EOF", flush: false, contentLine: 2 });
    expect([a.line, a.endLine]).toEqual([1, 5]);
    const b = attr(body, "b").value;
    expect(b.kind).toBe("template");
    if (b.kind === "template") {
      expect(b.parts.filter((p) => p.kind === "literal").map((p) => (p.kind === "literal" ? p.value : ""))).toEqual(["line one\n", "  indented\n", "\n"]);
    }
    expect(attr(body, "c").line).toBe(11);
  });

  it("does not treat # or // inside strings and heredocs as comments", () => {
    const body = parseHcl('a = "http://example.com/#anchor"\nb = <<EOF\n# not a comment\nEOF\n');
    expect(literalValue(attr(body, "a").value)).toBe("http://example.com/#anchor");
    expect(literalValue(attr(body, "b").value)).toBe("# not a comment\n");
  });
});

describe("parseHcl: collections, calls and traversals", () => {
  it("reads lists and objects over several lines, with = and : and trailing commas", () => {
    const body = parseHcl(`tags = {
  Name        = "web"
  "team:owner" = "platform",
  (var.key)   = 1
}
cidrs = [
  "10.0.0.0/8",
  "0.0.0.0/0",
]
`);
    const tags = attr(body, "tags").value;
    expect(tags.kind).toBe("object");
    if (tags.kind === "object") expect(tags.items.map((i) => [i.name, i.line])).toEqual([["Name", 2], ["team:owner", 3], [undefined, 4]]);
    const cidrs = attr(body, "cidrs").value;
    expect(cidrs.kind === "tuple" && cidrs.items.map((i) => i.line)).toEqual([7, 8]);
  });

  it("reads jsonencode policies with the lines of their keys", () => {
    const body = parseHcl(`policy = jsonencode({
  Version = "2012-10-17"
  Statement = [{
    Effect   = "Allow"
    Action   = ["s3:GetObject"]
    Resource = "*"
  }]
})
`);
    const call = attr(body, "policy").value;
    expect(call.kind === "call" && call.name).toBe("jsonencode");
    expect(call.kind === "call" && literalValue(call.args[0]!)).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }] });
  });

  it("reads calls with expansion, provider functions and traversals", () => {
    const body = parseHcl(`a = concat(var.a, var.b...)
b = provider::aws::arn_parse(var.arn).region
c = aws_instance.web[*].private_ip
d = aws_subnet.private[0].id
e = module.vpc.private_subnets.0
f = data.aws_iam_policy_document.x.json
g = var.list[count.index % 2]
`);
    const a = attr(body, "a").value;
    expect(a.kind === "call" && [a.args.length, a.expandFinal]).toEqual([2, true]);
    const b = attr(body, "b").value;
    expect(b.kind === "traversal" && b.source.kind === "call" && b.source.name).toBe("provider::aws::arn_parse");
    expect(referenceText(attr(body, "c").value)).toBe("aws_instance.web[*].private_ip");
    expect(referenceText(attr(body, "d").value)).toBe("aws_subnet.private[0].id");
    expect(referenceText(attr(body, "e").value)).toBe("module.vpc.private_subnets[0]");
    expect(referenceText(attr(body, "f").value)).toBe("data.aws_iam_policy_document.x.json");
    expect(referenceText(attr(body, "g").value)).toBe("var.list[…]");
  });

  it("applies operator precedence and reads conditionals", () => {
    const text = 'x = !var.a || var.b && 1 + 2 * 3 > 6 ? "yes" : "no"\n';
    const x = attr(parseHcl(text), "x").value;
    expect(x.kind).toBe("conditional");
    if (x.kind !== "conditional") return;
    expect(x.condition.kind === "operation" && x.condition.operator).toBe("||");
    expect(hclText(text, x.condition)).toBe("!var.a || var.b && 1 + 2 * 3 > 6");
  });

  it("reads for expressions of both kinds, with grouping and conditions", () => {
    const body = parseHcl(`a = [for s in var.subnets : s.id if s.public]
b = { for k, v in var.users : v.team => k... }
c = {
  for name, rule in var.rules :
  name => rule
  if rule.enabled
}
d = [for x in [1, 2] : { id = x }]
`);
    const a = attr(body, "a").value;
    expect(a.kind === "for" && [a.result, a.valueVar, a.condition !== undefined]).toEqual(["tuple", "s", true]);
    const b = attr(body, "b").value;
    expect(b.kind === "for" && [b.result, b.keyVar, b.valueVar, b.grouping]).toEqual(["object", "k", "v", true]);
    expect(attr(body, "c").value.kind).toBe("for");
    expect(attr(body, "d").line).toBe(8);
  });

  it("does not mistake an object key named for for a for expression", () => {
    const x = attr(parseHcl("x = { for = 1, in = 2 }\n"), "x").value;
    expect(literalValue(x)).toEqual({ for: 1, in: 2 });
  });

  it("reads dynamic blocks and nested module-style bodies", () => {
    const body = parseHcl(`resource "aws_security_group" "this" {
  dynamic "ingress" {
    for_each = var.ingress_rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }
}
`);
    const dyn = block(block(body, "resource").body, "dynamic");
    expect(dyn.labels).toEqual(["ingress"]);
    expect(attr(block(dyn.body, "content").body, "protocol").line).toBe(8);
  });
});

describe("parseHcl: errors name the line", () => {
  it.each([
    ['a = "unclosed\nb = 1\n', 1, /not closed/],
    ["a = <<EOF\nline\n", 1, /heredoc <<EOF is not closed/],
    ['resource "a" "b" {\n  x = 1\n', 3, /"}"/],
    ["a = 1\nb = [1, 2\nc = 3\n", 3, /"," or "]"/],
    ["a = 1\n}\n", 2, /an attribute or a block/],
    ["a = 1 b = 2\n", 1, /new line/],
    ["a = @\n", 1, /unexpected "@"/],
    ['a = "\\q"\n', 1, /invalid escape/],
    ["x {\n  a = 1\n  a = 2\n}\n", 3, /set twice.*line 2/],
    ['resource "a" "${var.x}" {}\n', 1, /plain string/],
    ["a = 1\n/* never closed\n", 2, /comment is not closed/],
    ["a = \n", 1, /an expression/],
    ['a = "${var.x"\n', 1, /not closed/],
    ['a = "${var.x}\n', 1, /not closed/],
    ["a = (1\nb = 2\n", 2, /"\)"/],
  ])("%j → line %i", (text, line, message) => {
    const error = parseError(text);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
  });
});

describe("parseHcl: hostile input", () => {
  it("refuses nesting deeper than the limit with a PolicyParseError, for every kind of nesting", () => {
    const n = 10_000;
    for (const text of [`a = ${"[".repeat(n)}${"]".repeat(n)}\n`, `a = ${"{ b = ".repeat(n)}1${" }".repeat(n)}\n`, `a = ${"(".repeat(n)}1${")".repeat(n)}\n`, `a = ${"!".repeat(n)}true\n`, `a = ${'"${'.repeat(n)}1${'}"'.repeat(n)}\n`, `${"b {\n".repeat(n)}${"}\n".repeat(n)}`, `a = ${"f(".repeat(n)}1${")".repeat(n)}\n`, `a = ${"x ? ".repeat(n)}1${" : 2".repeat(n)}\n`]) {
      const error = parseError(text);
      expect(error.message).toMatch(new RegExp(`deeper than ${MAX_NESTING}`));
      expect(error.line).toBeGreaterThanOrEqual(1);
    }
  });

  it("accepts nesting just under the limit", () => {
    const n = 60;
    expect(() => parseHcl(`a = ${"[".repeat(n)}${"]".repeat(n)}\n`)).not.toThrow();
  });

  it("parses a large file in linear time", () => {
    const resource = (i: number) => `resource "aws_security_group_rule" "r${i}" {
  type        = "ingress"
  from_port   = ${i % 65535}
  to_port     = ${i % 65535}
  protocol    = "tcp"
  cidr_blocks = ["10.${i % 256}.0.0/16", var.extra]
  description = "rule \${var.name}-${i}"
}
`;
    const small = Array.from({ length: 2_000 }, (_, i) => resource(i)).join("");
    const large = Array.from({ length: 20_000 }, (_, i) => resource(i)).join("");
    parseHcl(small);
    const t0 = performance.now();
    parseHcl(small);
    const t1 = performance.now();
    const body = parseHcl(large);
    const t2 = performance.now();
    expect(body.items).toHaveLength(20_000);
    // Ten times the input should cost about ten times the time, far from a hundred.
    expect(t2 - t1).toBeLessThan(Math.max(40 * (t1 - t0), 2_000));
  });

  it("copes with long runs of operators, blank lines and huge strings without recursion trouble", () => {
    expect(() => parseHcl(`a = ${Array.from({ length: 50_000 }, (_, i) => `var.x${i}`).join(" + ")}\n`)).not.toThrow();
    expect(() => parseHcl(`a = [\n${"\n".repeat(100_000)}1\n]\n`)).not.toThrow();
    expect(literalValue(attr(parseHcl(`a = "${"x".repeat(1_000_000)}"\n`), "a").value)).toHaveLength(1_000_000);
  });
});

describe("parseHcl: real-style files", () => {
  it("parses every safe fixture, in the style of public modules", () => {
    const names = readdirSync(SAFE_DIR).filter((n) => n.endsWith(".tf"));
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) expect(() => parseHcl(readFileSync(new URL(name, SAFE_DIR), "utf8")), name).not.toThrow();
  });

  it("reads a module with variables, locals, for expressions, dynamic blocks and heredoc and jsonencode policies", () => {
    const text = `variable "rules" {
  type = map(object({
    port  = number
    cidrs = optional(list(string), [])
  }))
  default = {}
}

locals {
  enabled_rules = { for name, rule in var.rules : name => rule if length(rule.cidrs) > 0 }
  ports         = sort(distinct([for r in values(var.rules) : r.port]))
}

resource "aws_security_group" "this" {
  count  = var.create ? 1 : 0
  name   = "\${var.name}-sg"
  vpc_id = var.vpc_id

  dynamic "ingress" {
    for_each = local.enabled_rules
    content {
      description = ingress.key
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }
}

resource "aws_iam_policy" "heredoc" {
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{ "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "\${var.bucket_arn}" }]
    }
  EOF
}

resource "aws_iam_policy" "json" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for arn in var.bucket_arns : { Effect = "Allow", Action = ["s3:GetObject"], Resource = "\${arn}/*" }]
  })
}
`;
    const body = parseHcl(text);
    expect(body.items.map((i) => (i.kind === "block" ? `${i.type}:${i.line}` : i.name))).toEqual(["variable:1", "locals:9", "resource:14", "resource:31", "resource:40"]);
    const heredoc = attr(block(body, "resource", 1).body, "policy");
    expect([heredoc.line, heredoc.endLine]).toEqual([32, 37]);
  });
});
