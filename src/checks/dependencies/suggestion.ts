/**
 * The one-line fix a reviewer can apply with a click: the declaration of a direct dependency with
 * its version moved to the fixed one, the rest of the line as it was. Offered only where the edit is
 * unambiguous: the requirement appears once on the line and holds a single version after a simple
 * operator (`4.17.15`, `^4.17.15`, `~=2.19`, `==2.19.0`, `npm:lodash@^4.17.15`); compound ranges
 * (`>=1,<2`, `1 || 2`) are left to people.
 */
const SIMPLE_REQUIREMENT = /^(npm:(?:@[^@/\s]+\/)?[^@/\s]+@)?(\^|~|=|==|===|>=|~=|v)?\s*(\d+(?:\.\d+)*(?:[-.+]?[0-9A-Za-z]+)*)$/;

export function suggestFixedLine(lineText: string, requirement: string | undefined, fixedVersion: string): string | undefined {
  if (!requirement) return undefined;
  const match = SIMPLE_REQUIREMENT.exec(requirement.trim());
  if (!match) return undefined;
  const [, alias = "", operator = "", version] = match;
  if (version === fixedVersion) return undefined;
  const first = lineText.indexOf(requirement);
  if (first === -1 || lineText.indexOf(requirement, first + 1) !== -1) return undefined;
  // `v`-prefixed npm versions are written without it in the fix: `v` is not an operator.
  const replacement = `${alias}${operator === "v" ? "" : operator}${fixedVersion}`;
  return `${lineText.slice(0, first)}${replacement}${lineText.slice(first + requirement.length)}`;
}
