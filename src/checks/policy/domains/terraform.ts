/**
 * The Terraform domain: `*.tf` files in HCL native syntax, parsed with positions
 * (../terraform/hcl.ts), and their `resource` and `data` blocks listed for the audits.
 *
 * Known limits: `*.tf.json` (Terraform's JSON syntax) is not read; modules are not followed, so a
 * module's inputs are not judged (`module "db" { storage_encrypted = false }` means what the
 * module makes of it); provider-downloaded code under `.terraform/` is not the repository's.
 */
import { PolicyParseError, type PolicyDomain } from "../audit.js";
import { parseHcl, type HclBlock, type HclBody } from "../terraform/hcl.js";
import { referencesIn } from "../terraform/values.js";

export { attribute, blocks, readBool, readNumber, readString, listElements, referenceText, isSet } from "../terraform/values.js";

/** One `resource "type" "name" { … }` or `data "type" "name" { … }` block. */
export interface TerraformBlock {
  readonly type: string;
  readonly name: string;
  /** `aws_s3_bucket.logs`, or `data.aws_iam_policy_document.ci` for data sources: what findings are keyed by. */
  readonly address: string;
  /** Line of the block's header (`resource "…" "…" {`). */
  readonly line: number;
  readonly endLine: number;
  readonly body: HclBody;
  readonly block: HclBlock;
}

export interface TerraformDocument {
  readonly path: string;
  /** The whole file. */
  readonly body: HclBody;
  readonly resources: readonly TerraformBlock[];
  readonly dataSources: readonly TerraformBlock[];
}

function isTerraformPath(path: string): boolean {
  if (!path.endsWith(".tf")) return false;
  return !`/${path}`.includes("/.terraform/");
}

export function parseTerraform(text: string, path: string): TerraformDocument {
  const body = parseHcl(text);
  const resources: TerraformBlock[] = [];
  const dataSources: TerraformBlock[] = [];
  for (const item of body.items) {
    if (item.kind !== "block" || (item.type !== "resource" && item.type !== "data")) continue;
    const [type, name] = item.labels;
    if (type === undefined || name === undefined || item.labels.length !== 2) {
      throw new PolicyParseError(`a ${item.type} block needs two labels, a type and a name`, item.line);
    }
    const entry = { type, name, line: item.line, endLine: item.endLine, body: item.body, block: item };
    if (item.type === "resource") resources.push({ ...entry, address: `${type}.${name}` });
    else dataSources.push({ ...entry, address: `data.${type}.${name}` });
  }
  return { path, body, resources, dataSources };
}

export const terraformDomain: PolicyDomain<TerraformDocument> = {
  id: "terraform",
  files: "Terraform (*.tf)",
  matches: (path) => isTerraformPath(path),
  parse: parseTerraform,
};

/** The resources of one or more types, in file order. */
export function resourcesOf(doc: TerraformDocument, ...types: string[]): TerraformBlock[] {
  return doc.resources.filter((r) => types.includes(r.type));
}

/** Where a block is referenced from: the referring block and the attribute (in it or a nested block) that holds the reference. */
export interface TerraformReference {
  readonly from: TerraformBlock;
  readonly attribute: string;
}

/**
 * Who refers to what, within this file: `aws_iam_policy.boundary` → the role whose
 * `permissions_boundary` names it. Keys are addresses (`type.name`, `data.type.name`).
 */
export function referencesByAddress(doc: TerraformDocument): Map<string, TerraformReference[]> {
  const index = new Map<string, TerraformReference[]>();
  const visit = (from: TerraformBlock, attribute: string | undefined, body: HclBody) => {
    for (const item of body.items) {
      if (item.kind === "block") {
        visit(from, attribute, item.body);
        continue;
      }
      for (const ref of referencesIn(item.value)) {
        const parts = ref.split(/[.[]/);
        const address = parts[0] === "data" ? parts.slice(0, 3).join(".") : parts.slice(0, 2).join(".");
        const list = index.get(address) ?? [];
        list.push({ from, attribute: attribute ?? item.name });
        index.set(address, list);
      }
    }
  };
  for (const block of [...doc.resources, ...doc.dataSources]) visit(block, undefined, block.body);
  return index;
}
