// Client-caused failures get a stable code and a message that says what to change; anything
// else is masked to "Unexpected error." and logged with the request id the client also sees.
import { GraphQLError } from "graphql";
import { PaginationError } from "../data/pagination.ts";
import { QueryInputError } from "../data/query-input.ts";

export type ErrorCode = "BAD_USER_INPUT" | "NOT_FOUND" | "INTERNAL_SERVER_ERROR" | "SERVICE_UNAVAILABLE";

export function userInputError(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", ...extensions } });
}

/** Maps a domain error to its public GraphQL form; undefined when it is not a client error. */
export function publicError(error: unknown): GraphQLError | undefined {
  if (error instanceof PaginationError) return userInputError(error.message, { argumentName: error.argumentName });
  if (error instanceof QueryInputError) return userInputError(error.message, { argumentName: error.argumentName });
  return undefined;
}
