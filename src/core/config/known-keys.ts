/**
 * What keys a config object accepts at a given path, read from the zod schema itself, so an
 * "unknown key" error can list the right ones and suggest the nearest spelling.
 */
import type { z } from "zod";

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly keyType?: z.ZodType;
  readonly entries?: Record<string, unknown>;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Unwraps default/prefault/optional/nullable/readonly wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const def = defOf(current);
    if (def.innerType && ["default", "prefault", "optional", "nullable", "readonly", "catch", "nonoptional"].includes(def.type)) {
      current = def.innerType;
    } else break;
  }
  return current;
}

export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const key of path) {
    const def = defOf(current);
    if (def.type === "object" && def.shape && typeof key === "string" && key in def.shape) current = unwrap(def.shape[key]!);
    else if (def.type === "array" && def.element && typeof key === "number") current = unwrap(def.element);
    else if (def.type === "record" && def.innerType === undefined) return [];
    else return [];
  }
  const def = defOf(current);
  if (def.type === "object" && def.shape) return Object.keys(def.shape);
  if (def.type === "record" && def.keyType) {
    const keyDef = defOf(unwrap(def.keyType));
    if (keyDef.type === "enum" && keyDef.entries) return Object.keys(keyDef.entries);
  }
  return [];
}

/** The known key within a small edit distance (a third of the key's length, at most 3), if any. */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  if (unknown.length < 3) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(unknown.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const limit = Math.min(3, Math.max(1, Math.floor(unknown.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
