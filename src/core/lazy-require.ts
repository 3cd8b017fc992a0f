/**
 * Parsing libraries required on their first use instead of imported at start-up. Every CLI run
 * loads every check's modules, and most changes hold no lockfile (or Dockerfile) of a given kind: the Berry lockfile
 * parser, the SPDX list, the XML and TOML parsers, the PEP 440 and RubyGems version libraries and
 * the CVSS calculator were ~130 ms of start-up for scans that never used them.
 *
 * Synchronous on purpose: the parsers and orderings that call these are synchronous, and CommonJS
 * (or a package's `require` export) loads synchronously. Types come from `import type`.
 */
import { createRequire } from "node:module";

const requireHere = createRequire(import.meta.url);

export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(specifier) as T);
}
