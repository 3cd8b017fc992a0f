/**
 * The fake's own reading of a patch, independent of the app's diff parser so the rule it enforces
 * is not the app grading itself: GitHub accepts a review comment on the RIGHT side only on lines a
 * hunk covers, i.e. from `+c` to `+c+d-1` of each `@@ -a,b +c,d @@` header.
 */
export function rightSideLines(patch: string): Set<number> {
  const lines = new Set<number>();
  for (const match of patch.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    for (let n = start; n < start + count; n++) lines.add(n);
  }
  return lines;
}
