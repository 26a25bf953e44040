// graphql-codegen's client-preset against the schema shipped in @welfare-graph/sdk: typed
// documents for this project's own operations (packages/sdk/README.md, "Your own operations").
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "node_modules/@welfare-graph/sdk/dist/schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**", "!src/gql-string/**"],
  // .js extensions in the generated imports, as NodeNext and bundlers resolve them.
  emitLegacyCommonJSImports: false,
  config: {
    useTypeImports: true,
    enumsAsTypes: true,
    // Custom scalars arrive as JSON strings (exact amounts, dates).
    scalars: { BigInt: "string", Decimal: "string", Date: "string", DateTime: "string" },
  },
  generates: {
    // TypedDocumentNode: for urql and Apollo Client, and for client.request with { print } from graphql.
    "src/gql/": { preset: "client" },
    // TypedDocumentString: for client.request alone, with no GraphQL library at run time.
    "src/gql-string/": { preset: "client", config: { documentMode: "string" } },
  },
};

export default config;
