/**
 * Where a YAML block line sits in its structure, from its indentation alone: enough to tell a
 * sibling key from a nested one or from the next sequence entry without parsing the document (the
 * change holds only added lines, which are rarely a whole document).
 */

export interface YamlLineShape {
  /** Column of the line's first key or scalar (after a sequence dash and its spaces). */
  readonly keyColumn: number;
  /** Column of the sequence dash, when the line starts a sequence entry. */
  readonly dashColumn: number | undefined;
  /** Blank or only a comment: no structure of its own. */
  readonly empty: boolean;
}

export function yamlLineShape(text: string): YamlLineShape {
  let i = 0;
  while (text[i] === " " || text[i] === "\t") i++;
  if (i === text.length || text[i] === "#") return { keyColumn: i, dashColumn: undefined, empty: true };
  if (text[i] === "-" && (i + 1 === text.length || text[i + 1] === " " || text[i + 1] === "\t")) {
    const dash = i;
    i++;
    while (text[i] === " " || text[i] === "\t") i++;
    return { keyColumn: i, dashColumn: dash, empty: false };
  }
  return { keyColumn: i, dashColumn: undefined, empty: false };
}
