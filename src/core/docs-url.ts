/** Where each check's and rule's documentation lives; help URLs are built from ids, never written by hand. */
export const DOCS_BASE_URL = "https://github.com/pr-sentinel/pr-sentinel/blob/main/docs";

export function checkDocsUrl(checkId: string): string {
  return `${DOCS_BASE_URL}/checks/${checkId}.md`;
}

export function ruleDocsUrl(checkId: string, localRuleId: string): string {
  return `${checkDocsUrl(checkId)}#${localRuleId}`;
}
