// Typed documents (TypedDocumentNode) of every SDK operation and fragment, for GraphQL clients
// that infer result and variables types from them: urql, Apollo Client, graphql-request.
// A separate entry point because these need `graphql` and `@graphql-typed-document-node/core`,
// which the plain client does not.
export * from "./__generated__/documents.js";
