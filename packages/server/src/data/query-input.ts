// Client-caused problems with the input of a query: filters, orderings, search text, page
// arguments and cursors. The GraphQL layer maps this to BAD_USER_INPUT (graphql/errors.ts).

export class QueryInputError extends Error {
  constructor(
    message: string,
    readonly argumentName: string,
  ) {
    super(message);
    this.name = "QueryInputError";
  }
}

/** Longest list a filter accepts: enough for any dashboard, too short to smuggle a table scan in. */
export const MAX_FILTER_VALUES = 100;

export function checkListLength(values: readonly unknown[] | null | undefined, argumentName: string): void {
  if (values && values.length > MAX_FILTER_VALUES) {
    throw new QueryInputError(`"${argumentName}" lists ${values.length} values; pass at most ${MAX_FILTER_VALUES}`, argumentName);
  }
}

const wholeNumber = /^\d{1,18}$/;

/** A non-negative whole number as text (amounts are bigint, never negative). */
export function checkWholeNumber(value: string, argumentName: string): string {
  if (!wholeNumber.test(value)) {
    throw new QueryInputError(`"${argumentName}" must be a whole number from 0 to 999999999999999999, got "${value}"`, argumentName);
  }
  return value;
}
