// Client-caused failures get a stable code and a message that says what to change; anything
// else is masked to "Unexpected error." and logged with the request id the client also sees.
import { PothosValidationError } from "@pothos/core";
import { GraphQLError } from "graphql";
import { classifyDatabaseError } from "../db/database-errors.ts";
import { QueryInputError } from "../data/query-input.ts";
import { parseGlobalId } from "./global-id.ts";

/** Every `extensions.code` this API sends; clients may rely on them (docs/operations.md). */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "BAD_REQUEST"
  | "GRAPHQL_PARSE_FAILED"
  | "GRAPHQL_VALIDATION_FAILED"
  | "OPERATION_RESOLUTION_FAILURE"
  | "COST_LIMIT_EXCEEDED"
  | "DEPTH_LIMIT_EXCEEDED"
  | "ALIAS_LIMIT_EXCEEDED"
  | "DIRECTIVE_LIMIT_EXCEEDED"
  | "TOKEN_LIMIT_EXCEEDED"
  | "BATCHING_NOT_SUPPORTED"
  | "PERSISTED_QUERY_NOT_FOUND"
  | "PERSISTED_QUERY_ONLY"
  | "PERSISTED_QUERY_ID_REQUIRED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "NOT_ACCEPTABLE"
  | "METHOD_NOT_ALLOWED"
  | "REQUEST_TIMEOUT"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

/** How long a client should wait before retrying after SERVICE_UNAVAILABLE (Retry-After). */
export const retryAfterSeconds = 5;

export function userInputError(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", ...extensions } });
}

/**
 * A request-level refusal: the whole request is rejected before (or instead of) execution.
 * `status` is the HTTP status under application/graphql-response+json; with `spec` the
 * legacy application/json form answers 200, as the GraphQL-over-HTTP specification asks.
 */
export function requestError(
  code: ErrorCode,
  message: string,
  options: { status: number; spec?: boolean; headers?: Record<string, string>; extensions?: Record<string, unknown> },
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code,
      ...options.extensions,
      http: { status: options.status, ...(options.spec ? { spec: true } : {}), ...(options.headers ? { headers: options.headers } : {}) },
    },
  });
}

/** A document over one of the query limits; says which, the limit and the actual value. */
export function limitExceededError(code: ErrorCode, message: string, limit: number, actual: number): GraphQLError {
  return requestError(code, message, { status: 400, spec: true, extensions: { limit, actual } });
}

export function serviceUnavailableError(why = "the database is unavailable"): GraphQLError {
  return requestError("SERVICE_UNAVAILABLE", `The service cannot answer right now (${why}); retry in a few seconds.`, {
    status: 503,
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

export function requestTimeoutError(what: string): GraphQLError {
  return requestError("REQUEST_TIMEOUT", `${what}; ask for fewer items (smaller first/last, fewer nested connections) or retry later.`, { status: 504 });
}

/**
 * Pothos says "ID: <id> is not of type: Project"; say which type the ID belongs to and where to
 * find a right one (the usual slip: a Department's id pasted into project(id:)).
 */
function wrongTypeIdMessage(pothosMessage: string): string | undefined {
  const match = /^ID: (\S+) is not of type: ([\w, ]+)$/.exec(pothosMessage);
  if (!match) return undefined;
  const [, id, expected] = match as unknown as [string, string, string];
  const actual = parseGlobalId(id)?.typename;
  const wanted = expected.split(", ").join(" or ");
  return `"${id}" is the ID of a ${actual ?? "different type"}, not of a ${wanted}: pass the \`id\` of a ${wanted}, or node(id:), which takes any type`;
}

/** Maps a domain error to its public GraphQL form; undefined when it is not a client error. */
export function publicError(error: unknown): GraphQLError | undefined {
  // Pothos refuses an ID of the wrong type for a typed argument (e.g. a Department ID for project(id)).
  if (error instanceof PothosValidationError) return userInputError(wrongTypeIdMessage(error.message) ?? error.message);
  if (error instanceof GraphQLError && error.extensions.code) return error;
  if (error instanceof QueryInputError) return userInputError(error.message, { argumentName: error.path });
  switch (classifyDatabaseError(error)) {
    case "unavailable":
      return serviceUnavailableError();
    case "busy":
      return serviceUnavailableError("every database connection is busy");
    case "statement-timeout":
      return requestTimeoutError("The database took longer than its per-statement time limit");
    default:
      return undefined;
  }
}
