import { describe, expect, it } from "vitest";
import { ContextView } from "../../../../src/checks/secrets/context/context-view.js";
import { nameValuePairLines } from "../../../../src/checks/secrets/context/name-value-pairs.js";
import type { FieldSyntax } from "../../../../src/checks/secrets/context/fields.js";
import { arrayView, linesOf } from "./fixtures.js";

const derive = (syntax: FieldSyntax, ...lines: string[]) => nameValuePairLines(new ContextView(arrayView(linesOf(lines.join("\n")))), syntax);

describe("nameValuePairLines: YAML", () => {
  it("pairs a value with the name of its list entry, in either order", () => {
    expect(derive("yaml", "env:", "  - name: DD_API_KEY", "    image: x", '    value: "v1"')).toEqual([{ line: 4, text: 'DD_API_KEY: "v1"' }]);
    expect(derive("yaml", "env:", "- value: v2  # note", "  name: TOKEN")).toEqual([{ line: 2, text: 'TOKEN: "v2"' }]);
    expect(derive("yaml", "- key: Datadog API Key", "  value: v3")).toEqual([{ line: 2, text: 'Datadog_API_Key: "v3"' }]);
    expect(derive("yaml", "  - {name: FLOW, value: 'v4'}")).toEqual([{ line: 1, text: 'FLOW: "v4"' }]);
  });

  it("does not pair across entries, with nested values, or with valueFrom", () => {
    expect(derive("yaml", "- name: A", "  image: x", "- value: y")).toEqual([]);
    expect(derive("yaml", "- value: y", "- name: A")).toEqual([]);
    expect(derive("yaml", "- name: A", "  config:", "    value: nested")).toEqual([]);
    expect(derive("yaml", "- name: A", "  valueFrom:", "    secretKeyRef:", "      name: s", "      key: password")).toEqual([]);
    expect(derive("yaml", "- name: A", "  value: |", "    multi-line")).toEqual([]);
  });

  it("leaves references to the rules: they are derived as written", () => {
    expect(derive("yaml", "- name: DB_PASSWORD", "  value: ${DB_PASSWORD}")).toEqual([{ line: 2, text: 'DB_PASSWORD: "${DB_PASSWORD}"' }]);
  });
});

describe("nameValuePairLines: JSON and HCL", () => {
  it("pairs name/value and key/value objects on one line or over several, any casing", () => {
    expect(derive("braces", '[{"name":"A","value":"a1"},{"name":"B","value":"b1"}]')).toEqual([
      { line: 1, text: 'A: "a1"' },
      { line: 1, text: 'B: "b1"' },
    ]);
    expect(derive("braces", "{", '  "Value": "c1",', '  "tags": {"name": "not-this"},', '  "Name": "C"', "}")).toEqual([{ line: 2, text: 'C: "c1"' }]);
    expect(derive("braces", "{", '  "key": "api_key",', '  "type": "secret",', '  "value": "d1"', "}")).toEqual([{ line: 4, text: 'api_key: "d1"' }]);
    expect(derive("braces", "{", '  name  = "E"', '  value = "e1"', "}")).toEqual([{ line: 3, text: 'E: "e1"' }]);
  });

  it("does not pair across objects, with a nested object's value, or with valueFrom", () => {
    expect(derive("braces", '{"name": "A"},', '{"value": "x"}')).toEqual([]);
    expect(derive("braces", '{"name": "A", "child": {"value": "x"}}')).toEqual([]);
    expect(derive("braces", "{", '  "name": "A",', '  "child": {', '    "value": "x"', "  }", "}")).toEqual([]);
    expect(derive("braces", '{"name": "A", "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/a"}')).toEqual([]);
    expect(derive("braces", '{"value": "x", "label": "no name"}')).toEqual([]);
  });
});
