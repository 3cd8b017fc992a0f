/**
 * The dashboard's one stylesheet, served from /dashboard/assets/style.css so that the
 * Content-Security-Policy can say `style-src 'self'` (no inline style at all). Plot's own inline
 * styles are removed from its SVG (charts.ts); the rules it needs are here.
 */
import { createHash } from "node:crypto";

export const STYLE_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bad: #cf222e; --ok: #1a7f37; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #fff; }
header { display: flex; gap: 1rem; align-items: center; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--bg); }
header .brand { font-weight: 600; color: var(--fg); text-decoration: none; }
header .who { margin-left: auto; color: var(--muted); }
header form { margin: 0; }
main { padding: 1rem 1.5rem 3rem; max-width: 1200px; }
h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.05rem; margin: 1.75rem 0 .5rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 0 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: .85rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
.muted, .empty { color: var(--muted); }
.failure { color: var(--bad); font-weight: 600; }
.success { color: var(--ok); }
a { color: #0969da; }
.button { display: inline-block; padding: .3rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: var(--fg); font: 500 13px/1.5 system-ui, sans-serif; cursor: pointer; text-decoration: none; vertical-align: middle; }
.button.primary { background: #1f883d; color: #fff; border-color: #1f883d; }
.notice { padding: .75rem 1rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
figure.chart { margin: 0; }
.plot-swatches { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; font-size: 12px; margin-bottom: .5rem; }
.plot-swatch { display: inline-flex; align-items: center; gap: .35rem; }
.plot-swatch > svg { overflow: visible; }
svg.plot { display: block; height: auto; max-width: 100%; background: #fff; }
svg.plot text, svg.plot tspan { white-space: pre; }
svg.spark { display: block; }
`;

export const STYLE_ETAG = `"${createHash("sha256").update(STYLE_CSS).digest("base64url").slice(0, 16)}"`;
