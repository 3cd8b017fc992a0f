/**
 * "What did this change add?" for things that are not lines: dependencies, workflow steps, audit
 * findings. A thing is new at head when head has more of it than base, compared by a key that says
 * what makes it itself (a package name and version; an audit id and the job it sits in), never by
 * line number: a dependency or a step that only moved is not new, and neither is one a renamed
 * workspace still has. Counts matter: a second copy of the same thing is new.
 */
export function newAtHead<T>(base: Iterable<T>, head: Iterable<T>, keyOf: (item: T) => string): T[] {
  const remaining = new Map<string, number>();
  for (const item of base) {
    const key = keyOf(item);
    remaining.set(key, (remaining.get(key) ?? 0) + 1);
  }
  const added: T[] = [];
  for (const item of head) {
    const key = keyOf(item);
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else added.push(item);
  }
  return added;
}
