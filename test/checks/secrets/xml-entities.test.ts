import { describe, expect, it } from "vitest";
import { decodeXmlEntities } from "../../../src/checks/secrets/xml-entities.js";

describe("XML entities", () => {
  it("decodes the predefined entities and character references", () => {
    expect(decodeXmlEntities("p&amp;ss&lt;&gt;&quot;&apos;")).toBe("p&ss<>\"'");
    expect(decodeXmlEntities("&#65;&#x42;&#x1F511;")).toBe("AB\u{1F511}");
  });

  it("leaves unknown entities and impossible references as written", () => {
    expect(decodeXmlEntities("&nbsp;&#0;&#x110000;& amp;")).toBe("&nbsp;&#0;&#x110000;& amp;");
    expect(decodeXmlEntities("&#X43;&#xD800;&amp")).toBe("C&#xD800;&amp");
  });
});
