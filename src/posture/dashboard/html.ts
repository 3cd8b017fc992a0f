/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already
 * `Html` (built by this template, or a chart's SVG from charts.ts). Everything a record holds is
 * hostile text (repository names, paths, rule ids, reasons), so escaping is the default, not a
 * step to remember. Attribute values are escaped the same way and always quoted by the templates.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

type Value = Html | string | number | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => (out += render(value) + strings[i + 1]!));
  return new Html(out);
}

/** Only http(s) addresses are linked; anything else becomes `#`. */
export function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? url : "#";
}
