// Client-caused problems with the input of a query: filters, orderings, search text, page
// arguments and cursors. The GraphQL layer maps this to BAD_USER_INPUT (graphql/errors.ts).

/**
 * `path` locates the value at fault in the input the data function was given, by that input's
 * own field names ("where.amountThousandYen.gte", "orderBy", "after"). The data layer knows no
 * GraphQL arguments; the GraphQL layer passes inputs under the same names and reports `path` as
 * the argument (extensions.argumentName).
 */
export class QueryInputError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = "QueryInputError";
  }
}

/** Longest list a filter accepts: enough for any dashboard, too short to smuggle a table scan in. */
export const MAX_FILTER_VALUES = 100;

export function checkListLength(values: readonly unknown[] | null | undefined, path: string): void {
  if (values && values.length > MAX_FILTER_VALUES) {
    throw new QueryInputError(`"${path}" lists ${values.length} values; pass at most ${MAX_FILTER_VALUES}`, path);
  }
}

const wholeNumber = /^\d{1,18}$/;

/** A non-negative whole number as text (amounts are bigint, never negative). */
export function checkWholeNumber(value: string, path: string): string {
  if (!wholeNumber.test(value)) {
    throw new QueryInputError(`"${path}" must be a whole number from 0 to 999999999999999999, got "${value}"`, path);
  }
  return value;
}
