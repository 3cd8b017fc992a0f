/**
 * What the TypeScript benches share: `--name value` options, rows of label and value printed in
 * aligned columns, steps that cannot hang a bench, and tallies.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);

/** The number after `--name`, or `fallback`. */
export const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};

/** Whether `--name` was given. */
export const flag = (name: string): boolean => args.includes(`--${name}`);

const rows: [string, string][] = [];
export const section = (title: string): void => void rows.push([`\n${title}`, ""]);
export const row = (label: string, value: string): void => void rows.push([label, value]);
export const verdict = (ok: boolean): string => (ok ? "ok" : "MISSED");

/** Prints the rows so far, values aligned, and forgets them. */
export function printRows(): void {
  const width = Math.max(...rows.filter(([, v]) => v !== "").map(([l]) => l.length));
  for (const [label, value] of rows) console.log(value === "" ? label : `${label.padEnd(width)}  ${value}`);
  rows.length = 0;
}

/** A step that cannot hang the bench: past `seconds`, or when it throws, it is reported and the bench goes on. */
export async function step<T>(label: string, seconds: number, run: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((done) => (timer = setTimeout(() => done("timeout"), seconds * 1000)));
  try {
    const result = await Promise.race([run(), timeout]);
    if (result === "timeout") {
      row(label, `did not finish within ${seconds} s; skipped`);
      return undefined;
    }
    return result;
  } catch (error) {
    row(label, `failed: ${(error as Error).stack?.split("\n").slice(0, 3).join(" | ")}`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** "a 3, b 1": how often each value occurs, most frequent first (ties in order of first occurrence); "none" for none. */
export function tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v} ${n}`).join(", ") || "none";
}

/** The installed version of a peer tool, from its package.json under `root`/node_modules. */
export function installedVersion(root: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version?: string }).version ?? "?";
  } catch {
    return "?";
  }
}
