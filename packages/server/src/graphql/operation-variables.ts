// The operation a request runs and its coerced variables, worked out once per document and
// variable values: the compiled executor (to choose graphql-jit) and the cost limit both need
// them before execution, and a dashboard sends the same document with the same variables again
// and again. The same object comes back for the same document and values, so callers can key
// their own memo on it (the cost limit does).
import { type DocumentNode, type GraphQLSchema, getOperationAST, getVariableValues, type OperationDefinitionNode } from "graphql";

export interface OperationVariables {
  /** Undefined when the document has no such operation. */
  operation: OperationDefinitionNode | undefined;
  /** Undefined when the variables do not coerce (execution reports why, precisely). */
  coerced: Record<string, unknown> | undefined;
}

// Per document, bounded: variable values are client input and could be endless.
const maxVariantsPerDocument = 64;
const byDocument = new WeakMap<DocumentNode, Map<string, OperationVariables>>();

export function operationVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variableValues: unknown,
): OperationVariables {
  const key = `${operationName ?? ""}\0${variableValues === undefined || variableValues === null ? "" : JSON.stringify(variableValues)}`;
  let variants = byDocument.get(document);
  if (!variants) {
    variants = new Map();
    byDocument.set(document, variants);
  }
  const known = variants.get(key);
  if (known) return known;
  const operation = getOperationAST(document, operationName) ?? undefined;
  const coerced = operation?.variableDefinitions?.length
    ? getVariableValues(schema, operation.variableDefinitions, (variableValues ?? {}) as Record<string, unknown>)
    : { coerced: {} };
  const found: OperationVariables = { operation, coerced: coerced.errors ? undefined : coerced.coerced };
  if (variants.size >= maxVariantsPerDocument) variants.clear();
  variants.set(key, found);
  return found;
}
