// Executes each query document as JavaScript compiled once per document (graphql-jit), which
// spends far less per field than graphql-js's interpreter. Other operations, and requests whose
// variables do not coerce, go to graphql-js, whose errors carry the locations and codes the
// error model expects (graphql-jit reports those with an error class of its own).
import { useGraphQlJit } from "@envelop/graphql-jit";
import { getOperationAST, getVariableValues } from "graphql";
import type { Plugin } from "graphql-yoga";

export function compiledExecutionPlugin(): Plugin {
  return useGraphQlJit(
    {},
    {
      enableIf: (args) => {
        const operation = getOperationAST(args.document, args.operationName);
        // Only queries: the schema has no subscriptions, and graphql-js says so in its own words.
        if (operation?.operation !== "query") return false;
        if (!operation.variableDefinitions?.length) return true;
        const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Record<string, unknown>);
        return coerced.errors === undefined;
      },
    },
  ) as Plugin;
}
