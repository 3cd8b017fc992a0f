/**
 * What the dependency graph of a `pnpm-lock.yaml` says about each install: whether only
 * devDependencies reach it, and which direct dependencies pull it in.
 *
 * Both walks are linear in the graph's size (a 20,000-package lockfile is tens of thousands of
 * edges): reachability is one breadth-first pass per group, and "required by" propagates at most
 * `MAX_REQUIRED_BY` labels through each node rather than walking once per direct dependency.
 */

export const MAX_REQUIRED_BY = 5;

/** Dependency path -> the dependency paths it depends on. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** Every dependency path reachable from `starts` (the starts included). */
export function reachableFrom(graph: DependencyGraph, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>(starts);
  const queue = [...seen];
  for (let i = 0; i < queue.length; i++) {
    for (const next of graph.get(queue[i]!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/**
 * For each reachable dependency path, up to `MAX_REQUIRED_BY` labels of the starts that reach it
 * (a start carries its own label). A node that holds the maximum stops passing new labels on, so a
 * package deep below a popular one may list fewer than the maximum: "up to" is the contract.
 */
export function requiredByLabels(graph: DependencyGraph, starts: readonly { depPath: string; label: string }[]): Map<string, Set<string>> {
  const labels = new Map<string, Set<string>>();
  const queue: [string, string][] = starts.map((s) => [s.depPath, s.label]);
  for (let i = 0; i < queue.length; i++) {
    const [depPath, label] = queue[i]!;
    let held = labels.get(depPath);
    if (!held) labels.set(depPath, (held = new Set()));
    if (held.has(label) || held.size >= MAX_REQUIRED_BY) continue;
    held.add(label);
    for (const next of graph.get(depPath) ?? []) queue.push([next, label]);
  }
  return labels;
}
