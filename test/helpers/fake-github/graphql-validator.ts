/**
 * Checks GraphQL requests against GitHub's published GraphQL schema (`@octokit/graphql-schema`):
 * the document must be valid for the schema and the variables must fit their declared types, as
 * GitHub's API checks them before running anything.
 */
import { schema as githubSchema } from "@octokit/graphql-schema";
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery, type OperationDefinitionNode } from "graphql/index.js";
// Both from the CommonJS build: mixing it with the .mjs build makes two copies of every type.
import { getVariableValues } from "graphql/execution/values.js";

let cached: GraphQLSchema | undefined;

function schema(): GraphQLSchema {
  // The published introspection result; its SDL twin repeats a few fields and does not build.
  const json = githubSchema.json as { data?: IntrospectionQuery } & Partial<IntrospectionQuery>;
  cached ??= buildClientSchema(json.data ?? (json as IntrospectionQuery));
  return cached;
}

/** Problems with the request; empty when GitHub would run it. */
export function validateGraphqlRequest(query: string, variables: Record<string, unknown> = {}): string[] {
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return [`graphql syntax: ${(error as Error).message}`];
  }
  const errors = validate(schema(), document).map((e) => `graphql: ${e.message}`);
  if (errors.length > 0) return errors;
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  if (!operation) return ["graphql: no operation in the document"];
  const coerced = getVariableValues(schema(), operation.variableDefinitions ?? [], variables);
  return (coerced.errors ?? []).map((e) => `graphql variables: ${e.message}`);
}

/** Builds the schema now, so the first request is not slowed by it. */
export function warmUpGraphqlSchema(): void {
  schema();
}
