/**
 * A YAML mapping whose key names the service and whose children are generic:
 *   github.com:              (hub's config: the host names the service)
 *   - user: alice
 *     oauth_token: …         -> `github_oauth_token: …`
 *   datadog:
 *     api_key: …             -> `datadog_api_key: …`
 * The child alone is judged by the generic rules (`api_key`), which cannot know whose key it is
 * and so may not trust a 32-hex value; with the parent's name in front, the vendor's keyed rule
 * can. Generic rules still match the derived line, and the check drops what the plain line
 * already gave.
 *
 * Only children whose key says credential (key, token, secret, pass, auth, cred) are derived; the
 * parent is the nearest line above with a smaller key column that is a bare `key:`, at most
 * MAX_CONTEXT_DISTANCE lines up in the same run of added lines. A host name parent is reduced to
 * the label that names the service (and `secretKeyRef:`-style pointers are no parent at all): `github.com` and `api.github.com` give `github`,
 * `gitlab.example.com` gives `gitlab` (one name per child, so the rules do not report one value twice).
 */
import type { AddedLine } from "../../../core/types.js";
import { MAX_CONTEXT_DISTANCE, type ContextView } from "./context-view.js";
import type { Field, FieldToken } from "./fields.js";
import { syntheticLine } from "./synthetic-line.js";
import { yamlLineShape } from "./yaml-line.js";

const CREDENTIAL_WORD = /key|token|secret|pass|pwd|auth|cred/i;
const HOST_NAME = /^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}$/i;
/** Kubernetes' pointers to a secret stored elsewhere (`secretKeyRef:` above `key: password`): no service, no value. */
const REFERENCE_PARENT = /(?:ref|from|selector)$/i;
/** Host labels that say what kind of endpoint it is, not whose. */
const GENERIC_HOST_LABELS = new Set(["www", "api", "app", "apps", "my", "login", "auth", "sso", "portal", "console", "gateway", "secure"]);

export function yamlParentKeyLines(view: ContextView): AddedLine[] {
  const derived: AddedLine[] = [];
  for (const index of view.candidates(CREDENTIAL_WORD)) {
    const text = view.text(index)!;
    const shape = yamlLineShape(text);
    const child = firstField(view.fields(index, "yaml")!);
    if (shape.keyColumn === 0 || !child || child.at !== shape.keyColumn || child.value === undefined) continue;
    if (!CREDENTIAL_WORD.test(child.key)) continue;
    const parent = parentKey(view, index, shape.keyColumn);
    if (parent === undefined || REFERENCE_PARENT.test(parent)) continue;
    const service = serviceName(parent);
    // `datadog:` above `datadog_api_key:` adds nothing the line does not say.
    if (child.key.toLowerCase().startsWith(service.toLowerCase())) continue;
    const line = syntheticLine(`${service}_${child.key}`, child.value, view.lineNumber(index));
    if (line) derived.push(line);
  }
  return derived;
}

function firstField(tokens: readonly FieldToken[]): Field | undefined {
  const first = tokens[0];
  return first?.type === "field" ? first : undefined;
}

/** The key of the mapping that holds the child at `column` of line `index`, when it is close enough. */
function parentKey(view: ContextView, index: number, column: number): string | undefined {
  for (let j = index - 1; j >= index - MAX_CONTEXT_DISTANCE && view.adjacent(index, j); j--) {
    const text = view.text(j);
    if (text === undefined) return undefined;
    const shape = yamlLineShape(text);
    if (shape.empty || shape.keyColumn >= column) continue;
    const tokens = view.fields(j, "yaml")!;
    const field = tokens[0];
    // A bare `key:` (nothing after it but a comment) opens the mapping; anything else is no parent.
    if (tokens.length !== 1 || field?.type !== "field" || field.value !== undefined || field.at !== shape.keyColumn) return undefined;
    return field.key.trim().length > 0 ? field.key : undefined;
  }
  return undefined;
}

export function serviceName(key: string): string {
  const name = key.trim();
  if (!HOST_NAME.test(name)) return name;
  const labels = name.toLowerCase().split(".").slice(0, -1);
  return labels.find((label) => !GENERIC_HOST_LABELS.has(label)) ?? labels[0]!;
}
