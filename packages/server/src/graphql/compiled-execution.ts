// Executes each query document as JavaScript compiled once per document (graphql-jit), which
// spends far less per field than graphql-js's interpreter. Other operations, and requests whose
// variables do not coerce, go to graphql-js, whose errors carry the locations and codes the
// error model expects (graphql-jit reports those with an error class of its own).
import { useGraphQlJit } from "@envelop/graphql-jit";
import type { Plugin } from "graphql-yoga";
import { operationVariables } from "./operation-variables.ts";

export function compiledExecutionPlugin(): Plugin {
  return useGraphQlJit(
    {},
    {
      enableIf: (args) => {
        const { operation, coerced } = operationVariables(args.schema, args.document, args.operationName, args.variableValues);
        // Only queries: the schema has no subscriptions, and graphql-js says so in its own words.
        return operation?.operation === "query" && coerced !== undefined;
      },
    },
  ) as Plugin;
}
