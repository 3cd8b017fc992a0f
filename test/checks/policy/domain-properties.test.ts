/**
 * Damaged input for every policy domain: a hostile or half-written workflow, Dockerfile, manifest or
 * Terraform file must either parse or throw `PolicyParseError` (the domains' documented error,
 * audit.ts), never a crash of another kind; and every line the parsed model or the domain's audits
 * report must be a line of the damaged file. The damage is the dependency parsers' (cut some
 * characters of a real fixture, insert hostile ones), with characters and tokens that mean something
 * in these formats: YAML anchors, aliases, tags and block scalars, HCL interpolations and heredocs,
 * Docker line continuations and heredocs, and text-level oddities (NUL, BOM, lone CR, U+2028, a lone
 * surrogate).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PolicyParseError, type Audit, type PolicyDomain } from "../../../src/checks/policy/audit.js";
import { POLICY_AUDITS } from "../../../src/checks/policy/audits/index.js";
import { dockerfileDomain } from "../../../src/checks/policy/domains/dockerfile.js";
import { fileDomain } from "../../../src/checks/policy/domains/file.js";
import { kubernetesDomain } from "../../../src/checks/policy/domains/kubernetes.js";
import { terraformDomain } from "../../../src/checks/policy/domains/terraform.js";
import { workflowDomain } from "../../../src/checks/policy/domains/workflow.js";
import { policyOptionsSchema } from "../../../src/checks/policy/options.js";
import { parseHcl } from "../../../src/checks/policy/terraform/hcl.js";

const FIXTURES = new URL("../../fixtures/policy/", import.meta.url);
const options = policyOptionsSchema.parse({});

interface Sample {
  /** The path the domain is asked to parse it as. */
  readonly path: string;
  readonly text: string;
}

/** Every text fixture under the given folders of test/fixtures/policy/, with its path inside them. */
function samplesUnder(folders: readonly string[], as: (relative: string) => string | undefined): Sample[] {
  const out: Sample[] = [];
  const walk = (url: URL, relative: string) => {
    for (const name of readdirSync(url).sort()) {
      const child = new URL(name, url);
      if (statSync(child).isDirectory()) walk(new URL(`${name}/`, url), `${relative}${name}/`);
      else if (!name.endsWith(".expected.json")) {
        const text = readFileSync(child, "utf8");
        const path = as(`${relative}${name}`);
        // Binary fixtures (a .jar, a font) are not text the domains are given.
        if (path !== undefined && !text.includes("\u0000") && !text.includes("\ufffd")) out.push({ path, text });
      }
    }
  };
  for (const folder of folders) walk(new URL(`${folder}/`, FIXTURES), "");
  return out;
}

const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1);

const DAMAGE_UNITS = [
  ..."\n\r \t\"'`[](){}<>=#/\\:,.-!$&*|%?@;~0v",
  "\u0000",
  "\ufeff",
  "\u2028",
  "\ud800",
  "\u{1f600}",
  "<<EOF\n",
  "EOF\n",
  "${",
  "%{",
  "&a ",
  "*a ",
  "<<: *a\n",
  "!!binary ",
  "---\n",
  "\\\n",
  "  - ",
  ": |\n",
  "{{ ",
];
const DAMAGE = fc.array(fc.constantFrom(...DAMAGE_UNITS), { maxLength: 12 }).map((units) => units.join(""));

/** Most lines a damaged file can be said to have: every kind of line break counts. */
const lineCountOf = (text: string) => text.split(/\r\n|\r|\n/).length;

/**
 * Every line the model reports: numbers under a key named `line` or `…Line`, and what its
 * `lineAt`/`lineOf` functions answer. `skip` names keys that hold the file's own data as plain
 * values (a manifest's `value`, a job's `raw`), where a `line:` key is content, not a position.
 */
function reportedLines(model: unknown, skip: ReadonlySet<string>): number[] {
  const lines: number[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [model];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (node instanceof Map) {
      stack.push(...node.values());
      continue;
    }
    if (Array.isArray(node)) {
      stack.push(...(node as unknown[]));
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (skip.has(key)) continue;
      if (typeof value === "number" && (key === "line" || key.endsWith("Line"))) lines.push(value);
      else if (typeof value === "function" && key === "lineAt") {
        const text = (node as { value?: unknown; text?: unknown }).value ?? (node as { text?: unknown }).text;
        const length = typeof text === "string" ? text.length : 0;
        for (const offset of [0, Math.floor(length / 2), Math.max(0, length - 1)]) lines.push((value as (o: number) => number)(offset));
      } else if (typeof value === "function" && key === "lineOf") {
        lines.push((value as (p: readonly string[]) => number)([]), (value as (p: readonly string[]) => number)(["spec", "template"]));
      } else stack.push(value);
    }
  }
  return lines;
}

interface DomainCase {
  readonly domain: PolicyDomain;
  readonly samples: readonly Sample[];
  /** Keys of the model that hold file content rather than positions. */
  readonly skip: readonly string[];
  readonly numRuns: number;
}

const CASES: readonly DomainCase[] = [
  {
    domain: workflowDomain,
    samples: samplesUnder(["workflow", "bench/workflows"], (p) =>
      /^action\.ya?ml$/.test(basename(p)) ? `actions/x/${basename(p)}` : /\.ya?ml$/.test(p) ? `.github/workflows/${basename(p)}` : undefined,
    ),
    skip: ["yaml", "raw", "lines"],
    numRuns: 250,
  },
  {
    domain: dockerfileDomain,
    samples: samplesUnder(["dockerfile", "bench/dockerfile"], (p) => (p.endsWith("Dockerfile") ? "Dockerfile" : undefined)),
    skip: [],
    numRuns: 250,
  },
  {
    domain: kubernetesDomain,
    samples: samplesUnder(["kubernetes", "bench/kubernetes"], (p) => (/\.ya?ml$/.test(p) ? `deploy/${basename(p)}` : undefined)),
    skip: ["value", "securityContext"],
    numRuns: 250,
  },
  {
    domain: terraformDomain,
    samples: samplesUnder(["terraform", "bench/terraform"], (p) => (p.endsWith(".tf") ? `infra/${basename(p)}` : undefined)),
    skip: [],
    numRuns: 250,
  },
  { domain: fileDomain, samples: samplesUnder(["files"], (p) => p), skip: [], numRuns: 150 },
];

const auditsOf = (domain: PolicyDomain): readonly Audit[] => POLICY_AUDITS.filter((a) => a.domain === domain.id);

describe.each(CASES.map((c) => [c.domain.id, c] as const))("the %s domain on damaged input", (_id, { domain, samples, skip, numRuns }) => {
  const skipKeys = new Set(skip);
  const audits = auditsOf(domain);

  it("has real samples and audits to damage, and finds the positions of an undamaged model", () => {
    expect(samples.length).toBeGreaterThan(3);
    expect(audits.length).toBeGreaterThan(0);
    if (domain !== fileDomain) expect(reportedLines(domain.parse(samples[0]!.text, samples[0]!.path), skipKeys).length).toBeGreaterThan(1);
  });

  it("parses or throws PolicyParseError with a line in the file; the model's and the audits' lines are the file's", () => {
    let parsedCount = 0;
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.nat(20), DAMAGE, ({ path, text }, at, cut, insert) => {
        const start = at % (text.length + 1);
        const damaged = text.slice(0, start) + insert + text.slice(start + cut);
        const lineCount = lineCountOf(damaged);
        let doc: unknown;
        try {
          doc = domain.parse(damaged, path);
        } catch (error) {
          if (!(error instanceof PolicyParseError)) throw error;
          if (error.line !== undefined) {
            expect(error.line).toBeGreaterThanOrEqual(1);
            expect(error.line).toBeLessThanOrEqual(lineCount);
          }
          return;
        }
        parsedCount++;
        for (const line of reportedLines(doc, skipKeys)) {
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(lineCount);
        }
        for (const audit of audits) {
          for (const finding of audit.run(doc, { options })) {
            expect(finding.line, audit.id).toBeGreaterThanOrEqual(1);
            expect(finding.line, audit.id).toBeLessThanOrEqual(lineCount);
            if (finding.endLine !== undefined) {
              expect(finding.endLine, audit.id).toBeGreaterThanOrEqual(finding.line);
              expect(finding.endLine, audit.id).toBeLessThanOrEqual(lineCount);
            }
          }
        }
      }),
      { numRuns },
    );
    // Enough damaged files still parse (from about 1 in 6 for Terraform to 4 in 5 for Dockerfiles)
    // that the audits above did run on damaged models.
    expect(parsedCount).toBeGreaterThan(numRuns / 20);
  });
});

describe("the HCL reader on damaged input", () => {
  const samples = CASES.find((c) => c.domain === terraformDomain)!.samples;

  it("reads or throws PolicyParseError, every node's span inside the text", () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.nat(20), DAMAGE, ({ text }, at, cut, insert) => {
        const start = at % (text.length + 1);
        const damaged = text.slice(0, start) + insert + text.slice(start + cut);
        const lineCount = lineCountOf(damaged);
        let body: unknown;
        try {
          body = parseHcl(damaged);
        } catch (error) {
          if (!(error instanceof PolicyParseError)) throw error;
          if (error.line !== undefined) expect(error.line).toBeLessThanOrEqual(lineCount);
          return;
        }
        const stack: unknown[] = [body];
        while (stack.length > 0) {
          const node = stack.pop();
          if (node === null || typeof node !== "object") continue;
          if (Array.isArray(node)) {
            stack.push(...(node as unknown[]));
            continue;
          }
          const span = node as Partial<Record<"line" | "endLine" | "start" | "end", unknown>>;
          if (typeof span.line === "number" && typeof span.endLine === "number") {
            expect(span.line).toBeGreaterThanOrEqual(1);
            expect(span.endLine).toBeGreaterThanOrEqual(span.line);
            expect(span.endLine).toBeLessThanOrEqual(lineCount);
          }
          if (typeof span.start === "number" && typeof span.end === "number") {
            expect(span.start).toBeGreaterThanOrEqual(0);
            expect(span.end).toBeGreaterThanOrEqual(span.start);
            expect(span.end).toBeLessThanOrEqual(damaged.length);
          }
          stack.push(...Object.values(node));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses nesting deeper than its limit with PolicyParseError, not a stack overflow", () => {
    for (const [open, close] of [["[", "]"], ["{", "}"], ["(", ")"], ['"${', '}"']] as const) {
      const text = `x = ${open.repeat(5000)}1${close.repeat(5000)}\n`;
      expect(() => parseHcl(text), open).toThrow(PolicyParseError);
    }
  });
});
