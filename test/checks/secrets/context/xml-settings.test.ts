import { describe, expect, it } from "vitest";
import { ContextView } from "../../../../src/checks/secrets/context/context-view.js";
import { xmlSettingLines } from "../../../../src/checks/secrets/context/xml-settings.js";
import { arrayView, linesOf } from "./fixtures.js";

const derive = (...lines: string[]) => xmlSettingLines(new ContextView(arrayView(linesOf(lines.join("\n")))));

describe("xmlSettingLines", () => {
  it("reads <add> with either attribute order, any quoting, over several lines", () => {
    expect(derive('<add key="DbPassword" value="v1" />')).toEqual([{ line: 1, text: 'DbPassword: "v1"' }]);
    expect(derive("<add value='v2' key='ApiKey'/>")).toEqual([{ line: 1, text: 'ApiKey: "v2"' }]);
    expect(derive("<add key=Token value=v3/>")).toEqual([{ line: 1, text: 'Token: "v3"' }]);
    expect(derive("<add", '  key="Secret"', '  value="v>4" />')).toEqual([{ line: 3, text: 'Secret: "v>4"' }]);
  });

  it("decodes entities in names and values", () => {
    expect(derive('<add key="Db&#80;assword" value="a&amp;b&quot;c&#x41;" />')).toEqual([{ line: 1, text: "DbPassword: 'a&b\"cA'" }]);
  });

  it("reads <setting><value> and <entry> text", () => {
    expect(derive('<setting name="ApiKey" serializeAs="String">', "  <value>v5</value>", "</setting>")).toEqual([{ line: 2, text: 'ApiKey: "v5"' }]);
    expect(derive('<setting name="ApiKey"><value>v6</value></setting>')).toEqual([{ line: 1, text: 'ApiKey: "v6"' }]);
    expect(derive('<entry key="db.password">v7</entry>')).toEqual([{ line: 1, text: 'db.password: "v7"' }]);
  });

  it("derives nothing without a name and a value of the same element", () => {
    expect(derive('<add name="Reports" connectionString="Server=db;Integrated Security=true" />')).toEqual([]);
    expect(derive('<address key="K" value="v" />')).toEqual([]);
    expect(derive('<setting name="ApiKey" serializeAs="String">', "</setting>", "<value>other</value>")).toEqual([]);
    expect(derive('<setting name="ApiKey" serializeAs="String" />')).toEqual([]);
    expect(derive('<add key="ApiKey"', '<other value="v" />')).toEqual([]);
    expect(derive('<entry key="db.password"/>')).toEqual([]);
  });
});

