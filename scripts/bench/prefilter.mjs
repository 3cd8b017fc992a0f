#!/usr/bin/env node
/**
 * `node scripts/bench/prefilter.mjs` (after `npm run build`): the keyword prefilter measured two
 * ways on TypeScript's own lib, line by line as the scanner runs it: the Aho-Corasick DFA
 * (KeywordIndex) and one case-insensitive RegExp alternation of the same keywords. Prints the
 * best of five runs of each and checks that both find the same number of hits.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const load = (path) => import(pathToFileURL(join(root, "dist", path)).href);
const { KeywordIndex, keywordAlternation } = await load("checks/secrets/keyword-index.js");
const { secretRules } = await load("checks/secrets/rules/index.js");

const keywords = [...new Set(secretRules.flatMap((r) => r.keywords))];
const text = ["typescript.js", "_tsc.js", "lib.dom.d.ts"]
  .map((f) => readFileSync(join(root, "node_modules/typescript/lib", f), "utf8"))
  .join("\n");
const lines = text.split("\n");
const mb = text.length / 1e6;

function best(run) {
  let fastest = Infinity;
  let hits = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    hits = run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return { ms: fastest, hits };
}

const index = new KeywordIndex(keywords);
const dfa = best(() => {
  let hits = 0;
  const onHit = () => hits++;
  for (const line of lines) index.scan(line, onHit);
  return hits;
});
const alternation = keywordAlternation(keywords);
const regexp = best(() => {
  let hits = 0;
  for (const line of lines) {
    alternation.lastIndex = 0;
    while (alternation.exec(line) !== null) hits++;
  }
  return hits;
});
console.log(`${keywords.length} keywords, ${mb.toFixed(1)} MB, ${lines.length} lines`);
console.log(`Aho-Corasick DFA    ${dfa.ms.toFixed(0)} ms  ${(mb / (dfa.ms / 1000)).toFixed(0)} MB/s  ${dfa.hits} hits`);
console.log(`RegExp alternation  ${regexp.ms.toFixed(0)} ms  ${(mb / (regexp.ms / 1000)).toFixed(0)} MB/s  ${regexp.hits} hits (leftmost-longest, no overlaps)`);
