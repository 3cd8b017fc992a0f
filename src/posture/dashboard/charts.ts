/**
 * Charts drawn on the server by Observable Plot into linkedom's document, sent as inline SVG: the
 * pages need no script. Plot escapes the text it writes (check ids, repository names); on top of
 * that every `<style>` element and `style` attribute is removed, so the strict CSP (`style-src
 * 'self'`) holds, and Plot's generated class names are replaced by fixed ones that style.css
 * knows. A drawn chart is kept by its data for a while: the overview's data changes when a scan is
 * recorded, not on each request, and drawing is most of a page's cost.
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { Html } from "./html.js";

/** The few DOM calls made on Plot's output (the project compiles without the DOM library). */
interface PlotElement {
  readonly outerHTML: string;
  querySelectorAll(selector: string): Iterable<PlotElement>;
  remove(): void;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
}

const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");
const CACHE_LIMIT = 200;
const cache = new Map<string, Html>();

function cached(key: string, draw: () => Html): Html {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const drawn = draw();
  cache.set(key, drawn);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return drawn;
}

function clean(node: PlotElement, extraClass?: string): Html {
  for (const style of [...node.querySelectorAll("style")]) style.remove();
  for (const element of [node, ...node.querySelectorAll("*")]) {
    element.removeAttribute("style");
    const cls = element.getAttribute("class");
    if (cls) element.setAttribute("class", cls.replace(/plot-[0-9a-f]{6}/g, "plot"));
  }
  if (extraClass) node.setAttribute("class", `${node.getAttribute("class") ?? ""} ${extraClass}`.trim());
  return new Html(node.outerHTML);
}

export interface WeeklyCount {
  readonly week: string;
  readonly key: string;
  readonly findings: number;
}

/** Stacked bars: findings per week, one colour per check family, with a legend. */
export function findingsByWeekChart(weeks: readonly string[], counts: readonly WeeklyCount[], label: string): Html {
  return cached(JSON.stringify(["weeks", label, weeks, counts]), () => {
    const data = counts.map((c) => ({ week: c.week, family: c.key, findings: c.findings }));
    const figure = Plot.plot({
      document,
      width: 760,
      height: 260,
      marginLeft: 48,
      marginBottom: 58,
      ariaLabel: label,
      x: { type: "band", domain: [...weeks], label: "week (Monday)", tickFormat: (w: string) => w.slice(5), tickRotate: -45 },
      y: { grid: true, label: "findings" },
      color: { legend: true, type: "categorical", scheme: "observable10" },
      marks: [Plot.barY(data, { x: "week", y: "findings", fill: "family", title: (d: { family: string; findings: number; week: string }) => `${d.family}: ${d.findings} (week of ${d.week})` }), Plot.ruleY([0])],
    });
    return clean(figure as unknown as PlotElement);
  });
}

/** A small line of weekly average scores (0-100 scale), gaps where nothing was scanned. */
export function sparkline(points: readonly { readonly week: string; readonly average: number | null }[], label: string): Html {
  return cached(JSON.stringify(["spark", label, points]), () => {
    const data = points.map((p, i) => ({ i, score: p.average ?? Number.NaN }));
    const svg = Plot.plot({
      document,
      width: 160,
      height: 32,
      margin: 3,
      axis: null,
      ariaLabel: label,
      x: { domain: [0, Math.max(1, points.length - 1)] },
      y: { domain: [0, 100] },
      marks: [Plot.lineY(data, { x: "i", y: "score", stroke: "#cf222e", strokeWidth: 1.5 }), Plot.dot(data, { x: "i", y: "score", r: 1.5, fill: "#cf222e" })],
    });
    return clean(svg as unknown as PlotElement, "spark");
  });
}

/** A score trend with axes, for a repository's page. */
export function scoreTrendChart(points: readonly { readonly week: string; readonly average: number | null }[], label: string): Html {
  return cached(JSON.stringify(["trend", label, points]), () => {
    const data = points.filter((p) => p.average !== null).map((p) => ({ week: p.week, score: p.average! }));
    const figure = Plot.plot({
      document,
      width: 760,
      height: 220,
      marginLeft: 40,
      marginBottom: 58,
      ariaLabel: label,
      x: { type: "band", domain: points.map((p) => p.week), label: "week (Monday)", tickFormat: (w: string) => w.slice(5), tickRotate: -45 },
      y: { domain: [0, 100], grid: true, label: "average risk score" },
      marks: [Plot.barY(data, { x: "week", y: "score", fill: "#cf222e", title: (d: { week: string; score: number }) => `week of ${d.week}: ${d.score}` }), Plot.ruleY([0])],
    });
    return clean(figure as unknown as PlotElement);
  });
}
