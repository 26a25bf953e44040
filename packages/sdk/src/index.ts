// @welfare-graph/sdk: the typed client (one method per operation, and request() for any other),
// its errors, and the types of every operation's data.
// Typed documents for urql, Apollo Client or graphql-request are in "@welfare-graph/sdk/documents".

// Each operation as its own export (DepartmentsOperation …) for client.request, the table of all of them, and their types.
export * from "./__generated__/operations.js";
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
export {
  createRequestClient,
  type DocumentNodeLike,
  type DocumentTypeDecoration,
  type RequestArguments,
  type RequestClientOptions,
  type RequestFunction,
  type SdkOperationLike,
  type TypedRequestDocument,
} from "./request.js";
