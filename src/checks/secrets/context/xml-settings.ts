/**
 * XML settings that hold the name in one place and the value in another:
 *   .NET `web.config`/`app.config`   `<add key="DbPassword" value="…" />` (attributes in either
 *                                    order, double, single or no quotes, the tag over several lines);
 *   .NET `Settings.settings`/config  `<setting name="ApiKey" …>` then `<value>…</value>`;
 *   Java properties XML              `<entry key="db.password">…</entry>`.
 * Names and values are entity-decoded first (`&amp;`, `&#x41;`), so the rules judge the value the
 * application reads. Known limits: a value in CDATA or split over lines is not read; the tag may
 * span at most MAX_CONTEXT_DISTANCE added lines.
 */
import type { AddedLine } from "../../../core/types.js";
import { MAX_CONTEXT_DISTANCE, type ContextView } from "./context-view.js";
import { syntheticLine } from "./synthetic-line.js";
import { decodeXmlEntities } from "../xml-entities.js";

const ELEMENT = /<(add|entry|setting)\b/gi;
const TRIGGER = /<(?:add|entry|setting)\b/i;
const ATTRIBUTE = /([A-Za-z_:][A-Za-z0-9_.:-]{0,80})[ \t\n]{0,16}=[ \t\n]{0,16}(?:"([^"]{0,4096})"|'([^']{0,4096})'|([^\s"'<>=`]{1,4096}))/g;
const VALUE_ELEMENT = /<value>([^<]{1,2048})<\/value>/i;

/** A start tag gathered from its `<` to its `>`, possibly over several lines. */
interface Tag {
  /** The tag's text, its lines joined by "\n". */
  readonly text: string;
  /** Line index where each of the tag's lines starts in `text`, first to last. */
  readonly lines: readonly { readonly index: number; readonly offset: number }[];
  /** Line index and column just after the `>`. */
  readonly endIndex: number;
  readonly endColumn: number;
  readonly selfClosing: boolean;
}

export function xmlSettingLines(view: ContextView): AddedLine[] {
  const derived: AddedLine[] = [];
  for (const index of view.candidates(TRIGGER)) {
    const text = view.text(index)!;
    for (const element of text.matchAll(ELEMENT)) {
      const tag = startTag(view, index, element.index);
      if (!tag) continue;
      const line = derive(view, element[1]!.toLowerCase(), tag);
      if (line) derived.push(line);
    }
  }
  return derived;
}

function derive(view: ContextView, element: string, tag: Tag): AddedLine | undefined {
  const attributes = attributesOf(tag.text);
  const name = attributes.get("key") ?? attributes.get("name");
  if (!name) return undefined;
  const value = attributes.get("value");
  if (value) return syntheticLine(decodeXmlEntities(name.value), decodeXmlEntities(value.value), lineAt(view, tag, value.offset));
  if (tag.selfClosing) return undefined;
  const content = element === "setting" ? settingValue(view, tag) : textContent(view, tag);
  return content ? syntheticLine(decodeXmlEntities(name.value), decodeXmlEntities(content.value), content.line) : undefined;
}

/** The start tag from `<` at `column` of line `index` to its `>` (quote-aware), within MAX_CONTEXT_DISTANCE lines. */
function startTag(view: ContextView, index: number, column: number): Tag | undefined {
  const lines: { index: number; offset: number }[] = [];
  let text = "";
  let quote = "";
  for (let j = index; j <= index + MAX_CONTEXT_DISTANCE && view.adjacent(index, j); j++) {
    const line = view.text(j);
    if (line === undefined) return undefined;
    const part = j === index ? line.slice(column) : line;
    if (j > index) text += "\n";
    lines.push({ index: j, offset: text.length });
    for (let k = 0; k < part.length; k++) {
      const c = part[k]!;
      if (quote) {
        if (c === quote) quote = "";
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "<" && (j > index || k > 0)) return undefined; // another tag began: this one is malformed
      else if (c === ">") {
        text += part.slice(0, k + 1);
        return { text, lines, endIndex: j, endColumn: (j === index ? column : 0) + k + 1, selfClosing: part[k - 1] === "/" };
      }
    }
    text += part;
  }
  return undefined;
}

function attributesOf(tag: string): Map<string, { value: string; offset: number }> {
  const attributes = new Map<string, { value: string; offset: number }>();
  for (const match of tag.matchAll(ATTRIBUTE)) {
    const name = match[1]!.toLowerCase();
    let value = match[2] ?? match[3] ?? match[4] ?? "";
    // An unquoted value runs into a self-closing tag's `/`: `value=abc/>`.
    if (match[4] !== undefined && value.endsWith("/") && tag[match.index + match[0].length] === ">") value = value.slice(0, -1);
    if (!attributes.has(name)) attributes.set(name, { value, offset: match.index + match[0].length - 1 });
  }
  return attributes;
}

/** The line number of `offset` in the tag's text. */
function lineAt(view: ContextView, tag: Tag, offset: number): number {
  let index = tag.lines[0]!.index;
  for (const line of tag.lines) if (line.offset <= offset) index = line.index;
  return view.lineNumber(index);
}

/** `<entry key="…">value</entry>`: the text after the tag, on the tag's last line. */
function textContent(view: ContextView, tag: Tag): { value: string; line: number } | undefined {
  const rest = view.text(tag.endIndex)!.slice(tag.endColumn);
  const end = rest.indexOf("<");
  if (end < 0) return undefined;
  const value = rest.slice(0, end).trim();
  return value ? { value, line: view.lineNumber(tag.endIndex) } : undefined;
}

/** `<setting name="…">` then `<value>…</value>` on the same or one of the next lines, before `</setting>`. */
function settingValue(view: ContextView, tag: Tag): { value: string; line: number } | undefined {
  for (let j = tag.endIndex; j <= tag.endIndex + MAX_CONTEXT_DISTANCE && view.adjacent(tag.endIndex, j); j++) {
    const text = view.text(j);
    if (text === undefined) return undefined;
    const part = j === tag.endIndex ? text.slice(tag.endColumn) : text;
    const value = VALUE_ELEMENT.exec(part);
    const close = part.search(/<\/setting>/i);
    if (value && (close < 0 || value.index < close)) {
      const trimmed = value[1]!.trim();
      return trimmed ? { value: trimmed, line: view.lineNumber(j) } : undefined;
    }
    if (close >= 0) return undefined;
  }
  return undefined;
}
