/**
 * Throughput of the unified-diff parser on a generated diff of about 40 MB (the size a large
 * monorepo change reaches). Prints MB/s for parseUnifiedDiff and, for scale, for a plain
 * `split("\n")` of the same text, which is a floor no line-based parser beats by much.
 *
 *   npx tsx scripts/bench-diff-parse.ts [targetMegabytes]
 */
import { parseUnifiedDiff } from "../src/core/diff/parse-unified-diff.js";

function generateDiff(targetBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  let fileIndex = 0;
  // A small deterministic generator keeps runs comparable.
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const line = () => `    const value${Math.floor(random() * 1e6)} = compute("${"x".repeat(Math.floor(random() * 60))}");`;
  while (size < targetBytes) {
    const path = `packages/pkg-${fileIndex % 97}/src/module-${fileIndex}.ts`;
    const chunk: string[] = [`diff --git a/${path} b/${path}`, `index 1234567..89abcde 100644`, `--- a/${path}`, `+++ b/${path}`];
    let start = 1;
    for (let hunk = 0; hunk < 8; hunk++) {
      const body: string[] = [];
      let oldCount = 0;
      let newCount = 0;
      for (let i = 0; i < 40; i++) {
        const r = random();
        if (r < 0.5) {
          body.push(`+${line()}`);
          newCount++;
        } else if (r < 0.7) {
          body.push(`-${line()}`);
          oldCount++;
        } else {
          body.push(` ${line()}`);
          oldCount++;
          newCount++;
        }
      }
      chunk.push(`@@ -${start},${oldCount} +${start},${newCount} @@ function f${hunk}() {`, ...body);
      start += newCount + 20;
    }
    const text = chunk.join("\n") + "\n";
    parts.push(text);
    size += text.length;
    fileIndex++;
  }
  return parts.join("");
}

function measure(label: string, text: string, run: () => number, rounds = 5): void {
  run(); // warm up the JIT
  const times: number[] = [];
  let result = 0;
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    result = run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const megabytes = Buffer.byteLength(text) / 1e6;
  console.log(
    `${label.padEnd(22)} ${(megabytes / (median / 1000)).toFixed(0).padStart(5)} MB/s  (median ${median.toFixed(0)} ms of ${rounds}, ${result} items)`,
  );
}

const targetMegabytes = Number(process.argv[2] ?? 40);
const text = generateDiff(targetMegabytes * 1e6);
console.log(`diff: ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB, ${text.split("\n").length} lines`);
measure("parseUnifiedDiff", text, () => parseUnifiedDiff(text).reduce((n, f) => n + f.addedLines.length, 0));
measure('split("\\n") baseline', text, () => text.split("\n").length);
