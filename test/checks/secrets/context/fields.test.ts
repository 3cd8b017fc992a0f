import { describe, expect, it } from "vitest";
import { lineFields, type FieldToken } from "../../../../src/checks/secrets/context/fields.js";

const fields = (tokens: readonly FieldToken[]) => tokens.map((t) => (t.type === "field" ? `${t.key}=${t.value ?? "∅"}` : t.type));

describe("lineFields", () => {
  it("reads JSON objects with escapes, on one line", () => {
    expect(fields(lineFields(String.raw`  { "name": "A", "value": "x\"y\\z\/w\n" },`, "braces"))).toEqual([
      "open",
      "name=A",
      String.raw`value=x"y\z/w\n`,
      "close",
    ]);
  });

  it("reads HCL and stops at its comments; `==` and `=>` are no assignment", () => {
    expect(fields(lineFields('name  = "DD_API_KEY" // from the old stack', "braces"))).toEqual(["name=DD_API_KEY"]);
    expect(fields(lineFields("{ name = var.name, value = local.v }", "braces"))).toEqual(["open", "name=var.name", "value=local.v", "close"]);
    expect(fields(lineFields("if a == b", "braces"))).toEqual([]);
    expect(fields(lineFields("'value' => 'x'", "braces"))).toEqual([]);
  });

  it("reads YAML block and flow fields, comments, quotes and block scalars", () => {
    expect(fields(lineFields("  - name: DD_API_KEY   # the agent's", "yaml"))).toEqual(["name=DD_API_KEY"]);
    expect(fields(lineFields("    value: 'it''s # not a comment'", "yaml"))).toEqual(["value=it's # not a comment"]);
    expect(fields(lineFields("- {name: A, value: b c}", "yaml"))).toEqual(["open", "name=A", "value=b c", "close"]);
    expect(fields(lineFields("value: |", "yaml"))).toEqual(["value=∅"]);
    expect(fields(lineFields("valueFrom:", "yaml"))).toEqual(["valueFrom=∅"]);
    expect(fields(lineFields("value: {", "yaml"))).toEqual(["value=∅", "open"]);
    expect(fields(lineFields("url: http://x.acme.dev:8080/a#b", "yaml"))).toEqual(["url=http://x.acme.dev:8080/a#b"]);
  });

  it("takes no key from a URL or a plain sentence, and no value from an unterminated string", () => {
    expect(fields(lineFields("http://example.com:8080", "yaml"))).toEqual([]);
    expect(fields(lineFields("see the value below", "yaml"))).toEqual([]);
    expect(fields(lineFields('"value": "never closed', "braces"))).toEqual(["value=∅"]);
  });
});
