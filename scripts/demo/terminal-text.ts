/**
 * Terminal output for the demo: what pr-sentinel posted is Markdown written for GitHub, and read
 * raw in a terminal it is a wall of `**`, backslash escapes, HTML comments and 150-column lines.
 * This turns it into wrapped, indented text through markdown-it's token stream (so escapes,
 * emphasis, lists, tables and code fences are understood, not guessed at with regexes), with
 * colour only when asked for. `<details>` blocks stay folded, as GitHub shows them.
 *
 * Everything printed passes `terminalSafe` first: text from a pull request can carry escape
 * sequences that would repaint or retitle the terminal of whoever runs the demo.
 */
import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";

export interface Style {
  readonly color: boolean;
}

const SGR = { bold: ["1", "22"], dim: ["2", "22"], cyan: ["36", "39"], green: ["32", "39"], red: ["31", "39"], yellow: ["33", "39"] } as const;
export type Tone = keyof typeof SGR;

export function paint(style: Style, tone: Tone, text: string): string {
  if (!style.color || text === "") return text;
  const [on, off] = SGR[tone];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

/**
 * Control characters (ESC, BEL, C1, DEL) become U+FFFD; zero-width characters (the app puts a
 * zero-width joiner into `name@version` so GitHub does not read a mention) are dropped, since in a
 * terminal they only break copying. Tabs become spaces.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(/\t/g, "    ")
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "\ufffd");
}

/** Columns a string takes: ANSI sequences none, pictographs (the app's 🔴 🟠 ❌) two. */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, "")) width += /\p{Extended_Pictographic}/u.test(ch) ? 2 : /\p{Mark}|\ufe0f/u.test(ch) ? 0 : 1;
  return width;
}

interface Piece {
  readonly text: string;
  readonly tones: readonly Tone[];
  /** A short code span is one word: `${{ github.event.pull_request.title }}` split over two lines reads as two. */
  readonly nowrap?: boolean;
}

const MAX_NOWRAP = 48;

/** Greedy word wrap of styled pieces; `\n` in a piece forces a break. Words longer than the width (URLs) overflow. */
function wrapPieces(pieces: readonly Piece[], width: number, style: Style): string[] {
  const lines: string[] = [];
  let line = "";
  let lineWidth = 0;
  let word: Piece[] = [];
  const render = (w: readonly Piece[]) => w.map((p) => p.tones.reduce((text, tone) => paint(style, tone, text), p.text)).join("");
  const flushWord = () => {
    if (word.length === 0) return;
    const text = render(word);
    const w = visibleWidth(text);
    if (lineWidth > 0 && lineWidth + 1 + w > width) {
      lines.push(line);
      line = "";
      lineWidth = 0;
    }
    line += (lineWidth > 0 ? " " : "") + text;
    lineWidth += (lineWidth > 0 ? 1 : 0) + w;
    word = [];
  };
  for (const piece of pieces) {
    for (const part of piece.nowrap ? [piece.text] : piece.text.split(/(\s+)/)) {
      if (part === "") continue;
      if (/^\s+$/.test(part)) {
        flushWord();
        for (let i = 0; i < (part.match(/\n/g)?.length ?? 0); i++) {
          lines.push(line);
          line = "";
          lineWidth = 0;
        }
      } else {
        word.push({ text: part, tones: piece.tones });
      }
    }
  }
  flushWord();
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

/** The inline children of a block as styled pieces: bold, `code`, <sub> dimmed, link targets after their text. */
function inlinePieces(children: readonly Token[] | null, showLinks: boolean): Piece[] {
  const pieces: Piece[] = [];
  const tones: Tone[] = [];
  const links: { href: string; start: number }[] = [];
  const push = (text: string, extra: Tone[] = [], nowrap = false) => pieces.push({ text: terminalSafe(text), tones: [...tones, ...extra], nowrap });
  for (const t of children ?? []) {
    switch (t.type) {
      case "text":
        push(t.content);
        break;
      case "code_inline":
        push(t.content, ["cyan"], t.content.length <= MAX_NOWRAP && !/\n/.test(t.content));
        break;
      case "strong_open":
        tones.push("bold");
        break;
      case "strong_close":
        tones.splice(tones.lastIndexOf("bold"), 1);
        break;
      case "softbreak":
        push(" ");
        break;
      case "hardbreak":
        push("\n");
        break;
      case "image":
        push(t.content);
        break;
      case "link_open":
        links.push({ href: t.attrGet("href") ?? "", start: pieces.length });
        break;
      case "link_close": {
        const link = links.pop();
        if (!link) break;
        const text = pieces
          .slice(link.start)
          .map((p) => p.text)
          .join("");
        // An autolinked URL is its own text; a named link shows where it goes.
        if (showLinks && link.href !== "" && text !== link.href && !link.href.startsWith("mailto:")) push(` <${link.href}>`, ["dim"]);
        break;
      }
      case "html_inline": {
        const tag = /^<(\/?)(\w+)/.exec(t.content);
        if (tag?.[2]?.toLowerCase() === "sub") {
          if (tag[1]) tones.splice(tones.lastIndexOf("dim"), 1);
          else tones.push("dim");
        } else if (tag?.[2]?.toLowerCase() === "br") push("\n");
        break;
      }
      default:
        if (t.content) push(t.content);
    }
  }
  return pieces;
}

const md = new MarkdownIt({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });

export interface TerminalMarkdownOptions {
  /**
   * Print a named link's target after its text (default true). Off for the check run's summary,
   * whose every finding links its rule's page: the inline comments show those links once each.
   */
  readonly links?: boolean;
  /** The commented line, shown above a one-click suggestion as GitHub shows it. */
  readonly original?: string;
}

/** Markdown as terminal lines at most `width` columns wide (long URLs and code aside). */
export function markdownToTerminal(markdown: string, width: number, style: Style, options: TerminalMarkdownOptions = {}): string[] {
  const { original } = options;
  const links = options.links ?? true;
  const tokens = md.parse(markdown, {});
  const out: string[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  const indents: number[] = [];
  let prefix = "";
  let bullet: string | undefined;
  let quote = 0;
  let folded = 0;
  let table: { rows: { cells: string[]; header: boolean }[]; align: ("left" | "right")[] } | undefined;
  let row: string[] | undefined;
  let rowIsHeader = false;

  const blank = () => {
    if (out.length > 0 && out.at(-1) !== "" && lists.length === 0) out.push("");
  };
  // A list item's lines hang under its text: the prefix grows by the bullet's width, and the
  // item's first line puts the bullet into that space.
  const emit = (lines: readonly string[]) => {
    const lead = "│ ".repeat(quote) + prefix;
    lines.forEach((line, i) => {
      const start = i === 0 && bullet !== undefined ? lead.slice(0, lead.length - bullet.length) + bullet : lead;
      out.push((start + line).trimEnd());
    });
    bullet = undefined;
  };
  const avail = () => Math.max(20, width - visibleWidth("│ ".repeat(quote) + prefix));

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (folded > 0) {
      if (t.type === "html_block" && /<\/details>/i.test(t.content)) folded--;
      else if (t.type === "html_block" && /<details>/i.test(t.content)) folded++;
      continue;
    }
    switch (t.type) {
      case "heading_open": {
        blank();
        const text = wrapPieces(inlinePieces(tokens[i + 1]!.children, links), avail(), style).map((l) => paint(style, "bold", l.replace(/\u001b\[[0-9;]*m/g, "")));
        emit(text);
        out.push("");
        i += 2;
        break;
      }
      case "paragraph_open": {
        const inline = tokens[i + 1]!;
        emit(wrapPieces(inlinePieces(inline.children, links), avail(), style));
        if (!t.hidden) out.push("");
        i += 2;
        break;
      }
      case "bullet_list_open":
      case "ordered_list_open":
        if (lists.length === 0) blank();
        lists.push({ ordered: t.type === "ordered_list_open", next: Number(t.attrGet("start") ?? 1) });
        break;
      case "bullet_list_close":
      case "ordered_list_close":
        lists.pop();
        if (lists.length === 0) blank();
        break;
      case "list_item_open": {
        const list = lists.at(-1)!;
        bullet = list.ordered ? `${list.next++}. ` : "• ";
        indents.push(bullet.length);
        prefix += " ".repeat(bullet.length);
        break;
      }
      case "list_item_close":
        prefix = prefix.slice(0, prefix.length - (indents.pop() ?? 0));
        break;
      case "fence":
      case "code_block": {
        blank();
        const code = terminalSafe(t.content.replace(/\n$/, "")).split("\n");
        if (t.info.trim() === "suggestion") {
          emit([paint(style, "bold", "Suggested change:")]);
          if (original !== undefined) emit(terminalSafe(original).split("\n").map((l) => paint(style, "red", `- ${l}`)));
          emit(code.map((l) => paint(style, "green", `+ ${l}`)));
        } else {
          emit(code.map((l) => paint(style, "dim", `  ${l}`)));
        }
        out.push("");
        break;
      }
      case "blockquote_open":
        quote++;
        break;
      case "blockquote_close":
        quote--;
        break;
      case "hr":
        blank();
        emit([paint(style, "dim", "─".repeat(Math.min(40, avail())))]);
        out.push("");
        break;
      case "html_block": {
        const html = t.content.replace(/<!--[\s\S]*?-->/g, "");
        if (/<details>/i.test(html)) {
          const summary = /<summary>([\s\S]*?)<\/summary>/i.exec(html)?.[1]?.replace(/<[^>]*>/g, "").trim() ?? "Details";
          blank();
          emit([paint(style, "dim", `▸ ${terminalSafe(summary)} (folded, as on GitHub)`)]);
          out.push("");
          if (!/<\/details>/i.test(html)) folded++;
          break;
        }
        const text = html.replace(/<[^>]*>/g, "").trim();
        if (text) emit(wrapPieces([{ text: terminalSafe(text), tones: [] }], avail(), style));
        break;
      }
      case "table_open":
        blank();
        table = { rows: [], align: [] };
        break;
      case "thead_open":
        rowIsHeader = true;
        break;
      case "thead_close":
        rowIsHeader = false;
        break;
      case "tr_open":
        row = [];
        break;
      case "th_open":
      case "td_open": {
        if (table && row && table.rows.length === 0) table.align.push(/right/.test(t.attrGet("style") ?? "") ? "right" : "left");
        const text = wrapPieces(inlinePieces(tokens[i + 1]!.children, links), 10_000, style).join(" ");
        row?.push(text);
        i += 2;
        break;
      }
      case "tr_close":
        if (table && row) table.rows.push({ cells: row, header: rowIsHeader });
        row = undefined;
        break;
      case "table_close":
        if (table) emit(renderTable(table.rows, table.align, style));
        out.push("");
        table = undefined;
        break;
      default:
        break;
    }
  }
  while (out.at(-1) === "") out.pop();
  return out;
}

function renderTable(rows: readonly { cells: string[]; header: boolean }[], align: readonly ("left" | "right")[], style: Style): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.cells.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...rows.map((r) => visibleWidth(r.cells[c] ?? ""))));
  const pad = (text: string, c: number) => {
    const gap = " ".repeat(widths[c]! - visibleWidth(text));
    return align[c] === "right" ? gap + text : text + gap;
  };
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(
      Array.from({ length: columns }, (_, c) => pad(r.cells[c] ?? "", c))
        .join("  ")
        .trimEnd(),
    );
    if (r.header) lines.push(paint(style, "dim", widths.map((w) => "─".repeat(w)).join("  ")));
  }
  return lines;
}
