/**
 * Duplicate-key detection in linear time, for YAML tables with tens of thousands of keys.
 *
 * The `yaml` library's own `uniqueKeys` check compares each new key with every key before it in
 * its mapping: a `pnpm-lock.yaml` with 20,000 packages took about a minute to parse with it and a
 * few seconds without it. Lockfiles are parsed with the check off and checked here instead, one
 * `Set` per mapping. The walk uses an explicit stack (hostile nesting cannot overflow the call
 * stack) and does not follow aliases (what they point at is checked where it is defined).
 */
import { isMap, isPair, isScalar, isSeq } from "yaml";
import { lineOfNode, type ParsedYaml } from "../../../core/yaml.js";
import { DependencyParseError } from "../model.js";

export function assertUniqueKeys(parsed: Pick<ParsedYaml, "doc" | "lineCounter">): void {
  const stack: unknown[] = [parsed.doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (isScalar(pair.key) || key === null) {
          if (seen.has(key)) {
            const line = lineOfNode(parsed, pair.key);
            throw new DependencyParseError(`duplicate key ${JSON.stringify(String(key).slice(0, 120))}${line !== undefined ? ` at line ${line}` : ""}`, line);
          }
          seen.add(key);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(isPair(item) ? item.value : item);
    }
  }
}
