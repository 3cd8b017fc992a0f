/**
 * The shared assignment grammar (keyed.ts `ASSIGNMENT`): every declaration form, learnt once, is
 * understood by the generic rules and by every vendor rule built with `keyed()`.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { genericRules } from "../../../../src/checks/secrets/rules/generic.js";
import { secretRules } from "../../../../src/checks/secrets/rules/index.js";
import { keyed } from "../../../../src/checks/secrets/rules/keyed.js";
import { BASE62, randomFrom } from "../harness.js";
import { findings } from "./evaluate.js";

/** `name` declared with `value` in each language's typed (and untyped) forms. */
function declarations(camel: string, snake: string, value: string): string[] {
  const upper = snake.toUpperCase();
  return [
    `\t${camel} string = "${value}"`, // Go, in a var or const block
    `var ${camel} string = "${value}"`,
    `const ${camel}: string = "${value}";`, // TypeScript
    `    String ${camel} = "${value}";`, // Java, C#
    `    private static final String ${upper} = "${value}";`,
    `    val ${camel}: String = "${value}"`, // Kotlin, Scala
    `let ${camel}: String = "${value}"`, // Swift
    `let ${snake}: &str = "${value}";`, // Rust
    `static ${upper}: &'static str = "${value}";`,
    `${upper}: str = "${value}"`, // Python with a type hint
    `${snake}: Final = '${value}'`,
    `$${snake} = '${value}';`, // PHP
    `$config['${snake}'] = '${value}';`,
    `ENV["${upper}"] = "${value}"`, // Ruby
    `os.environ.setdefault("${upper}", "${value}")`,
  ];
}

const byId = (id: string) => secretRules.find((rule) => rule.id === id)!;

describe("typed declarations", () => {
  it("are found by the generic rules", () => {
    const value = randomFrom(BASE62, 32);
    const rule = genericRules.find((r) => r.id === "generic-api-key-assignment")!;
    for (const line of declarations("paymentsApiKey", "payments_api_key", value)) expect(findings(rule, line), line).toEqual([value]);
  });

  it("are found by vendor rules built with keyed()", () => {
    const hex32 = randomBytes(16).toString("hex");
    for (const line of declarations("datadogApiKey", "datadog_api_key", hex32)) expect(findings(byId("datadog-api-key"), line), line).toEqual([hex32]);
    const cf = randomFrom(`${BASE62}_-`, 40);
    for (const line of declarations("cfApiToken", "cf_api_token", cf)) expect(findings(byId("cloudflare-api-token"), line), line).toEqual([cf]);
  });

  it("keep the value's exact extent", () => {
    const pattern = keyed(["acme token"], "[a-z0-9]{8}", "a-z0-9");
    expect(pattern.exec('const acmeToken: string = "ab12cd34";')?.groups?.secret).toBe("ab12cd34");
    expect(pattern.test('const acmeToken: string = "ab12cd34x";')).toBe(false);
    expect(pattern.test("let acme_token: &str = 'ab12cd34e5';")).toBe(false);
  });
});

describe("what is not an assignment", () => {
  const pattern = keyed(["acme token"], "[A-Za-z0-9]{16}", "A-Za-z0-9");
  const value = "Xq7PzL2mRt9VbN4c";

  it("a name passed as an argument, unquoted", () => {
    expect(pattern.test(`login(user, acmeToken, "${value}")`)).toBe(false);
    expect(pattern.test(`login(user, "acmeToken", "${value}")`)).toBe(true);
  });

  it("a struct field or interface member with its type only", () => {
    expect(pattern.test("\tAcmeToken string `json:\"acme_token\"`")).toBe(false);
    expect(pattern.test("  acmeToken: string;")).toBe(false);
  });
});
