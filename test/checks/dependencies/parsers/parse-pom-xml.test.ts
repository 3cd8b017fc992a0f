import { describe, expect, it } from "vitest";
import { pomXmlFormat } from "../../../../src/checks/dependencies/parsers/parse-pom-xml.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("pom-xml");
const parse = (text: string) => pomXmlFormat.parse(text, "pom.xml");
const parseError = parseErrorFrom(parse);

const pom = (body: string) => `<project>\n  <modelVersion>4.0.0</modelVersion>\n${body}\n</project>\n`;

describe("pomXmlFormat", () => {
  it("matches pom.xml only", () => {
    expect(pomXmlFormat.matches("pom.xml")).toBe(true);
    expect(pomXmlFormat.matches("modules/core/pom.xml")).toBe(true);
    expect(pomXmlFormat.matches("build.gradle")).toBe(false);
    expect(pomXmlFormat.matches("pom.xml.orig")).toBe(false);
    expect(pomXmlFormat).toMatchObject({ id: "pom-xml", ecosystem: "Maven", kind: "manifest" });
  });

  it("reads project and profile dependencies on their <dependency> lines", () => {
    const parsed = parse(fixture("service-with-parent.pom.xml"));
    expect(parsed).toMatchObject({ ecosystem: "Maven", kind: "manifest" });
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.dev])).toEqual([
      ["org.springframework.boot:spring-boot-starter-web", undefined, 44, false],
      ["com.fasterxml.jackson.core:jackson-databind", "2.16.1", 48, false],
      ["org.apache.commons:commons-text", "1.10.0", 53, false],
      ["com.google.guava:guava", "33.0.0-jre", 57, false],
      ["com.example:orders-api", "1.4.0-SNAPSHOT", 68, false],
      ["org.postgresql:postgresql", undefined, 73, false],
      ["org.apache.logging.log4j:log4j-core", undefined, 79, false],
      ["jakarta.servlet:jakarta.servlet-api", "6.0.0", 84, false],
      ["org.junit.jupiter:junit-jupiter", "5.10.2", 90, true],
      ["io.micrometer:micrometer-registry-prometheus", "1.12.4", 130, false],
    ]);
    expect(parsed.dependencies.every((d) => d.direct)).toBe(true);
  });

  it("says why a version is unknown", () => {
    const deps = parse(fixture("service-with-parent.pom.xml")).dependencies;
    expect(deps.find((d) => d.line === 44)?.unpinned).toBe("version managed elsewhere");
    expect(deps.find((d) => d.line === 73)).toMatchObject({ unpinned: "property ${postgresql.version} not defined in this pom", requirement: "${postgresql.version}" });
    expect(deps.find((d) => d.line === 79)).toMatchObject({ unpinned: "version range [2.17.1,3.0)", requirement: "[2.17.1,3.0)" });
  });

  it("keeps the requirement as written when a property gives the version", () => {
    expect(parse(fixture("service-with-parent.pom.xml")).dependencies.find((d) => d.line === 48)).toEqual({
      ecosystem: "Maven",
      name: "com.fasterxml.jackson.core:jackson-databind",
      version: "2.16.1",
      line: 48,
      direct: true,
      dev: false,
      requirement: "${jackson.version}",
    });
  });

  it("does not take management entries, BOM imports, plugins or plugin dependencies for dependencies", () => {
    const names = parse(fixture("service-with-parent.pom.xml")).dependencies.map((d) => d.name);
    expect(names).not.toContain("software.amazon.awssdk:bom");
    expect(names).not.toContain("org.apache.maven.plugins:maven-surefire-plugin");
    expect(names).not.toContain("org.springframework.boot:spring-boot-maven-plugin");
    expect(names).not.toContain("org.ow2.asm:asm");
    expect(names.filter((n) => n === "org.apache.commons:commons-text")).toHaveLength(1);
  });

  it("matches managed versions by type and classifier too", () => {
    const text = pom(`  <dependencyManagement><dependencies>
    <dependency><groupId>g</groupId><artifactId>a</artifactId><version>1.0</version></dependency>
    <dependency><groupId>g</groupId><artifactId>a</artifactId><version>2.0</version><type>test-jar</type></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>a</artifactId></dependency>
    <dependency><groupId>g</groupId><artifactId>a</artifactId><type>test-jar</type><scope>test</scope></dependency>
    <dependency><groupId>g</groupId><artifactId>a</artifactId><classifier>sources</classifier></dependency>
  </dependencies>`);
    expect(parse(text).dependencies.map((d) => [d.version, d.unpinned, d.line])).toEqual([
      ["1.0", undefined, 8],
      ["2.0", undefined, 9],
      [undefined, "version managed elsewhere", 10],
    ]);
  });

  it("resolves ${project.parent.version}, and a project version inherited from the parent", () => {
    const text = pom(`  <parent><groupId>org.acme</groupId><artifactId>parent</artifactId><version>7.1</version></parent>
  <artifactId>child</artifactId>
  <dependencies>
    <dependency><groupId>\${project.groupId}</groupId><artifactId>sibling</artifactId><version>\${project.version}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>other</artifactId><version>\${project.parent.version}</version></dependency>
  </dependencies>`);
    expect(parse(text).dependencies.map((d) => [d.name, d.version])).toEqual([
      ["org.acme:sibling", "7.1"],
      ["org.acme:other", "7.1"],
    ]);
  });

  it("refuses to loop or balloon on properties that refer to each other", () => {
    const laughs = Array.from({ length: 12 }, (_, i) => `<p${i}>\${p${i + 1}}\${p${i + 1}}</p${i}>`).join("") + "<p12>lol</p12>";
    const huge = `<big>${"x".repeat(100_000)}</big><many>${"${big}".repeat(5_000)}</many>`;
    const text = pom(`  <properties><a>\${b}</a><b>\${a}</b>${laughs}${huge}</properties>
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>loop</artifactId><version>\${a}</version></dependency>
    <dependency><groupId>g</groupId><artifactId>laughs</artifactId><version>\${p0}</version></dependency>
    <dependency><groupId>g</groupId><artifactId>huge</artifactId><version>\${many}</version></dependency>
  </dependencies>`);
    const [loop, laughsDep, hugeDep] = parse(text).dependencies;
    expect(loop?.version).toBeUndefined();
    expect(loop?.unpinned).toMatch(/loop/);
    expect(laughsDep?.version).toBeUndefined();
    expect(laughsDep?.unpinned).toMatch(/expand beyond/);
    expect(hugeDep?.unpinned).toMatch(/expand beyond/);
  });

  it("makes system-scoped dependencies local files", () => {
    const text = pom(`  <dependencies>
    <dependency><groupId>com.vendor</groupId><artifactId>driver</artifactId><version>4.2</version><scope>system</scope><systemPath>\${project.basedir}/lib/driver.jar</systemPath></dependency>
  </dependencies>`);
    expect(parse(text).dependencies[0]).toMatchObject({ version: "4.2", source: { kind: "file", spec: "${project.basedir}/lib/driver.jar" } });
  });

  it("finds the line of a start tag that spans lines, with CRLF and a BOM", () => {
    const text = "\ufeff" + pom(`  <dependencies>\n    <dependency\n      >\n      <groupId>g</groupId><artifactId>a</artifactId><version>1</version>\n    </dependency>\n  </dependencies>`).replace(/\n/g, "\r\n");
    expect(parse(text).dependencies.map((d) => [d.name, d.line])).toEqual([["g:a", 4]]);
  });

  it("reads CDATA and entity-escaped text", () => {
    const text = pom(`  <dependencies><dependency><groupId><![CDATA[org.a]]></groupId><artifactId>b&#45;c</artifactId><version> 1.0 </version></dependency></dependencies>`);
    expect(parse(text).dependencies.map((d) => [d.name, d.version])).toEqual([["org.a:b-c", "1.0"]]);
  });

  it("returns no dependencies for a pom without any", () => {
    expect(parse(pom("  <groupId>g</groupId><artifactId>a</artifactId><version>1</version>")).dependencies).toEqual([]);
  });


  it("only ever throws DependencyParseError on damaged input, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("service-with-parent.pom.xml")]);
  });
  describe("hostile and malformed files", () => {
    it("refuses a DOCTYPE instead of expanding its entities", () => {
      const error = parseError(fixture("xxe.pom.xml"));
      expect(error.line).toBe(4);
      expect(error.message).toMatch(/DOCTYPE/);
      expect(error.message).not.toContain("root:");
    });

    it.each([
      ["a mismatched close tag", pom("  <dependencies>\n    <dependency>\n    </dependencie>\n  </dependencies>"), 5],
      ["an undefined entity", pom("  <version>&nope;</version>"), 3],
      ["an empty document", "", 1],
      ["a second root", "<project/>\n<project/>", 2],
      ["a root that is not <project>", '<?xml version="1.0"?>\n<settings/>', 2],
      ["a dependency without a groupId", pom("  <dependencies>\n    <dependency><artifactId>a</artifactId></dependency>\n  </dependencies>"), 4],
      ["an unclosed document", "<project>\n  <dependencies>\n", 3],
    ])("refuses %s, naming the line", (_what, text, line) => {
      expect(parseError(text).line).toBe(line);
    });
  });
});
