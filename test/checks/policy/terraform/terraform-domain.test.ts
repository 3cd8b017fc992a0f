import { describe, expect, it } from "vitest";
import { PolicyParseError } from "../../../../src/checks/policy/audit.js";
import { listElements, parseTerraform, readBool, readNumber, readString, terraformDomain } from "../../../../src/checks/policy/domains/terraform.js";
import { parseHcl } from "../../../../src/checks/policy/terraform/hcl.js";
import { statementsOfExpression, statementsOfPolicyDocument } from "../../../../src/checks/policy/terraform/policy-document.js";

describe("terraformDomain.matches", () => {
  it.each([
    ["main.tf", true],
    ["infra/modules/vpc/variables.tf", true],
    [".terraform/modules/vpc/main.tf", false],
    ["envs/prod/.terraform/providers/x.tf", false],
    ["main.tf.json", false],
    ["prod.tfvars", false],
    ["terraform.tfstate", false],
    ["docs/main.tf.md", false],
  ])("%s → %s", (path, expected) => {
    expect(terraformDomain.matches(path)).toBe(expected);
  });
});

describe("parseTerraform", () => {
  it("lists resources and data sources with their addresses and header lines", () => {
    const doc = parseTerraform(
      `terraform {\n  required_version = ">= 1.5"\n}\n\nresource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\ndata "aws_iam_policy_document" "ci" {}\nmodule "x" {\n  source = "./x"\n}\n`,
      "main.tf",
    );
    expect(doc.resources.map((r) => [r.address, r.line, r.endLine])).toEqual([["aws_vpc.main", 5, 7]]);
    expect(doc.dataSources.map((r) => [r.address, r.line])).toEqual([["data.aws_iam_policy_document.ci", 9]]);
  });

  it("refuses a resource without its two labels, naming the line", () => {
    expect(() => parseTerraform('\nresource "aws_vpc" {\n}\n', "main.tf")).toThrow(PolicyParseError);
    try {
      parseTerraform('\nresource "aws_vpc" {\n}\n', "main.tf");
    } catch (error) {
      expect((error as PolicyParseError).line).toBe(2);
    }
  });
});

describe("attribute readers", () => {
  const body = parseHcl(`a = true
b = "false"
c = "22"
d = var.x
e = null
f = ["0.0.0.0/0", var.extra]
g = "0.0.0.0/0"
h = concat(var.a, ["x"])
i = -1
`);

  it("tell known values, expressions and absent attributes apart", () => {
    expect(readBool(body, "a")).toMatchObject({ state: "known", value: true });
    expect(readBool(body, "b")).toMatchObject({ state: "known", value: false });
    expect(readNumber(body, "c")).toMatchObject({ state: "known", value: 22 });
    expect(readNumber(body, "i")).toMatchObject({ state: "known", value: -1 });
    expect(readBool(body, "d")).toMatchObject({ state: "unknown", expression: "var.x" });
    expect(readBool(body, "e")).toEqual({ state: "absent" });
    expect(readString(body, "missing")).toEqual({ state: "absent" });
  });

  it("read list elements with their lines, a lone string as a list of one, and not a computed list", () => {
    const attr = (name: string) => {
      const found = body.items.find((i) => i.kind === "attribute" && i.name === name);
      if (found?.kind !== "attribute") throw new Error(`no attribute ${name}`);
      return found.value;
    };
    expect(listElements(attr("f"))).toEqual([
      { value: "0.0.0.0/0", line: 6 },
      { value: undefined, line: 6 },
    ]);
    expect(listElements(attr("g"))).toEqual([{ value: "0.0.0.0/0", line: 7 }]);
    expect(listElements(attr("h"))).toBeUndefined();
  });
});

describe("policy documents", () => {
  const policyOf = (text: string) => {
    const item = parseHcl(text).items[0]!;
    if (item.kind !== "attribute") throw new Error("expected an attribute");
    return statementsOfExpression(item.value);
  };

  it("maps heredoc JSON lines through interpolations", () => {
    const statements = policyOf(`policy = <<EOF
{
  "Statement": [
    {
      "Effect": "Allow",
      "Resource": "\${aws_s3_bucket.a.arn}/*",
      "Action": "*"
    },
    {
      "Effect": "\${var.effect}",
      "Action": ["iam:*"],
      "Resource": "*"
    }
  ]
}
EOF
`);
    expect(statements?.map((s) => [s.effect, s.actions?.values, s.resources?.values.length, s.resources?.hasUnknown])).toEqual([
      ["Allow", [{ value: "*", line: 7 }], 0, true],
      [undefined, [{ value: "iam:*", line: 11 }], 1, false],
    ]);
  });

  it("reads a single Statement object, and nothing from JSON that does not parse or is not a policy", () => {
    expect(policyOf('policy = jsonencode({ Statement = { Effect = "Allow", Action = "*", Resource = "*" } })\n')?.length).toBe(1);
    expect(policyOf("policy = <<EOF\n{ \"Statement\": [ ${jsonencode(local.s)} ] }\nEOF\n")).toBeUndefined();
    expect(policyOf('policy = "not json"\n')).toBeUndefined();
    expect(policyOf("policy = data.aws_iam_policy_document.x.json\n")).toBeUndefined();
    expect(policyOf(`policy = <<EOF\n${"[".repeat(5000)}\nEOF\n`)).toBeUndefined();
  });

  it("reads policy document blocks, with Allow as the default effect and principals", () => {
    const [data] = parseHcl(`data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
  statement {
    effect      = "Deny"
    not_actions = ["iam:*"]
    resources   = var.resources
  }
}
`).items;
    if (data?.kind !== "block") throw new Error("expected a block");
    const statements = statementsOfPolicyDocument(data.body);
    expect(statements.map((s) => [s.effect, s.hasPrincipal, s.publicPrincipal?.line, s.notActions?.values.length, s.resources?.hasUnknown])).toEqual([
      ["Allow", true, 7, undefined, false],
      ["Deny", false, undefined, 1, true],
    ]);
  });
});
