/**
 * docs/checks/policy.md carries a table of every audit, generated from the registry; this test fails
 * when it is stale, and `UPDATE_DOCS=1 npx vitest run test/checks/policy/docs.test.ts` rewrites it.
 */
import { describe, it } from "vitest";
import { POLICY_AUDITS } from "../../../src/checks/policy/audits/index.js";
import { CUSTOM_RULE_METAS } from "../../../src/checks/policy/custom-rules.js";
import { POLICY_DOMAINS } from "../../../src/checks/policy/domains/index.js";
import { expectGeneratedSection } from "../../helpers/generated-section.js";

const PAGE = new URL("../../../docs/checks/policy.md", import.meta.url);
const REFRESH = "UPDATE_DOCS=1 npx vitest run test/checks/policy/docs.test.ts";
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function auditsTable(): string {
  const rows: string[] = [];
  for (const domain of POLICY_DOMAINS) {
    for (const a of POLICY_AUDITS.filter((x) => x.domain === domain.id)) {
      rows.push(`| <a id="${a.id}"></a>\`${a.id}\` | ${domain.id} | ${cell(a.description)} | ${a.severity} | ${a.confidence} |`);
    }
  }
  for (const r of CUSTOM_RULE_METAS) rows.push(`| <a id="${r.id}"></a>\`${r.id}\` | config | ${cell(r.description ?? r.title)} | ${r.severity} | high |`);
  return [
    `${POLICY_AUDITS.length} audits, and the rules from config.`,
    "",
    "| audit id | domain | what it catches | default severity | confidence |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

describe("docs/checks/policy.md", () => {
  it("has the current audits table", () => {
    expectGeneratedSection(PAGE, { start: "<!-- audits:start -->", end: "<!-- audits:end -->" }, auditsTable(), REFRESH);
  });
});
