/** Where each check's and rule's documentation lives; help URLs are built from ids, never written by hand. */
export const DOCS_BASE_URL = "https://github.com/pr-sentinel/pr-sentinel/blob/main/docs";

export function checkDocsUrl(checkId: string, base: string = DOCS_BASE_URL): string {
  return `${base.replace(/\/+$/, "")}/checks/${checkId}.md`;
}

export function ruleDocsUrl(checkId: string, localRuleId: string, base: string = DOCS_BASE_URL): string {
  return `${checkDocsUrl(checkId, base)}#${localRuleId}`;
}

/** The project's home for a docs base URL: `…/blob/main/docs` without the docs path. */
export function projectUrlOf(base: string = DOCS_BASE_URL): string {
  return base.replace(/\/+$/, "").replace(/\/blob\/[^/]+\/docs$/, "").replace(/\/docs$/, "");
}
