/**
 * Credentials whose name sits elsewhere than their value: derived `NAME: "value"` lines that the
 * check runs the same rules over, reported at the value's line (check.ts drops a derived match
 * that the plain lines already gave). Threat: a value under `- name: DD_API_KEY` / `value: …`,
 * `<add key="DbPassword" value="…" />` or "set `TWILIO_AUTH_TOKEN` to `…`" is as live as one in
 * `DD_API_KEY=…`, but no single line says what it is.
 *
 * One extractor per format, chosen by the file's extension (so a 40 MB change of JavaScript costs
 * one path test per file):
 *   YAML         name/value list entries (name-value-pairs.ts), a parent key naming the service (yaml-parent-key.ts);
 *   JSON, HCL    name/value and key/value objects (name-value-pairs.ts);
 *   XML configs  `<add>`, `<setting>`, `<entry>` (xml-settings.ts);
 *   prose        code spans in Markdown, reStructuredText and text (prose.ts).
 * Each finds its candidate lines in one pass and looks at most MAX_CONTEXT_DISTANCE lines around
 * them; lines over MAX_CONTEXT_LINE_LENGTH are not looked at.
 *
 * Known limits: only added lines are seen. A name added above a value that did not change derives
 * nothing (the value did not change, so it is not this change's leak); a value added under a name
 * that is only context (not added) cannot be paired, since the check sees no context lines. A name
 * further than MAX_CONTEXT_DISTANCE lines from its value, or across a gap in the added lines, is
 * not paired either.
 */
import type { AddedLine, AddedLineView } from "../../../core/types.js";
import { ContextView } from "./context-view.js";
import { nameValuePairLines } from "./name-value-pairs.js";
import { proseLines } from "./prose.js";
import { xmlSettingLines } from "./xml-settings.js";
import { yamlParentKeyLines } from "./yaml-parent-key.js";

type ContextFormat = "yaml" | "braces" | "xml" | "prose";

const FORMATS: readonly (readonly [RegExp, ContextFormat])[] = [
  [/\.ya?ml$/i, "yaml"],
  // hub's config (`~/.config/hub`), committed with dotfiles, is YAML without an extension.
  [/(?:^|\/)hub$/, "yaml"],
  [/\.(?:json|jsonc|json5|tf|tfvars|hcl)$/i, "braces"],
  [/\.(?:config|xml|settings)$/i, "xml"],
  [/\.(?:md|markdown|mdx|rst|txt)$/i, "prose"],
];

export function contextFormat(path: string): ContextFormat | undefined {
  return FORMATS.find(([pattern]) => pattern.test(path))?.[1];
}

/** Synthetic `NAME: value` lines for values whose key name is on another line or in another attribute. */
export function contextLines(path: string, lines: AddedLineView): AddedLine[] {
  const format = contextFormat(path);
  if (format === undefined || lines.count === 0) return [];
  const view = new ContextView(lines);
  switch (format) {
    case "yaml":
      return [...nameValuePairLines(view, "yaml"), ...yamlParentKeyLines(view)].sort((a, b) => a.line - b.line);
    case "braces":
      return nameValuePairLines(view, "braces");
    case "xml":
      return xmlSettingLines(view);
    case "prose":
      return proseLines(view);
  }
}
