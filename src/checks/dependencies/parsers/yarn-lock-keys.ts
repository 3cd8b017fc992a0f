/**
 * What Yarn classic and Yarn Berry lockfiles share: unindented entry headers listing the
 * descriptors (`name@range`) that resolved to one package (merge-conflict markers: conflict-markers.ts).
 *
 * Neither parser library reports positions, so entry lines come from one scan of the unindented
 * lines here. Classic quotes each descriptor (`"@babel/core@^7.0.0", "@babel/core@^7.1.0":`),
 * Berry the whole key (`"lodash@npm:4.17.15, x@npm:lodash@4.17.15":`); both are read as YAML and
 * JSON quoting (the only quoting either tool writes).
 */

export interface EntryHeader {
  /** The key as written, quotes included, without the trailing `:`. */
  readonly raw: string;
  readonly line: number;
}

/** Every unindented `key:` line (comments and blank lines skipped). */
export function entryHeaders(lines: readonly string[]): EntryHeader[] {
  const headers: EntryHeader[] = [];
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index]!.trimEnd();
    if (text === "" || text.startsWith("#") || text.startsWith(" ") || text.startsWith("\t")) continue;
    // YAML writes keys longer than 1024 characters as `? key` with the `:` on the next line.
    const raw = text.startsWith("? ") ? text.slice(2).trim() : text.endsWith(":") ? text.slice(0, -1) : inlineKey(text);
    if (raw !== undefined) headers.push({ raw, line: index + 1 });
  }
  return headers;
}

/** The key of a `key: value` line (YAML allows a value on the key's line; neither tool writes one for an entry). */
function inlineKey(text: string): string | undefined {
  const end = text.startsWith('"') ? closingQuote(text) + 1 : text.startsWith("'") ? text.indexOf("'", 1) + 1 : text.indexOf(": ");
  return end > 0 && text.startsWith(": ", end) ? text.slice(0, end) : undefined;
}

/** `a@1, "b@^2 || ^3"` -> `["a@1", "b@^2 || ^3"]`. */
export function splitDescriptors(raw: string): string[] {
  const parts: string[] = [];
  let rest = raw.trim();
  while (rest !== "") {
    let part: string;
    if (rest.startsWith('"')) {
      const end = closingQuote(rest);
      part = unquote(rest.slice(0, end + 1)) ?? rest;
      rest = rest.slice(end + 1);
    } else {
      const comma = rest.indexOf(",");
      part = (comma === -1 ? rest : rest.slice(0, comma)).trim();
      rest = comma === -1 ? "" : rest.slice(comma);
    }
    parts.push(part);
    rest = rest.replace(/^\s*,\s*/, "").trim();
  }
  return parts;
}

/** `@scope/name@^1.0.0` -> name `@scope/name`, range `^1.0.0`; a bare name has range `""`. */
export function splitDescriptor(descriptor: string): { name: string; range: string } {
  const at = descriptor.indexOf("@", 1);
  return at === -1 ? { name: descriptor, range: "" } : { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

/** A YAML/JSON double-quoted or single-quoted scalar's text; plain text as is; `undefined` if the quoting is broken. */
export function unquote(raw: string): string | undefined {
  if (raw.startsWith('"')) {
    try {
      const value: unknown = JSON.parse(raw);
      return typeof value === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  }
  if (raw.startsWith("'")) return raw.endsWith("'") && raw.length > 1 ? raw.slice(1, -1).replaceAll("''", "'") : undefined;
  return raw;
}

/**
 * The name the project wrote, when every descriptor of an entry is an alias of the package
 * (`x@npm:lodash@4.17.15`). An entry that some descriptor also names directly has no alias to report.
 */
export function aliasName(declaredNames: readonly string[], name: string): string | undefined {
  return declaredNames.length > 0 && !declaredNames.includes(name) ? declaredNames[0] : undefined;
}
