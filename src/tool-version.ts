import { readFileSync } from "node:fs";

let cached: string | undefined;

/** The version in package.json, which sits one level above both src/ and dist/ (the CLI's and the app's). */
export function toolVersion(): string {
  if (cached === undefined) {
    try {
      const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
        version?: unknown;
      };
      cached = typeof manifest.version === "string" ? manifest.version : "0.0.0";
    } catch {
      cached = "0.0.0";
    }
  }
  return cached;
}
