// @welfare-graph/sdk: the typed client, its errors, and the types of every operation's data.
// Typed documents for urql, Apollo Client or graphql-request are in "@welfare-graph/sdk/documents".

export { type OperationTypes, operations } from "./__generated__/operations.js";
export * from "./__generated__/types.js";
export {
  type ClientOptions,
  createClient,
  type OperationArguments,
  type OperationName,
  type OperationPage,
  type OperationResult,
  type OperationVariables,
  type PaginateArguments,
  type PaginatedOperationName,
  type PaginateOptions,
  type PersistedOperationsMode,
  type RequestOptions,
  type WelfareGraphClient,
} from "./client.js";
export { type GraphQLErrorEntry, GraphQLResponseError, HttpError, NetworkError, PaginationError, type RequestSummary, WelfareGraphError } from "./errors.js";
