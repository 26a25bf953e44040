// Every way a request can fail surfaces as one of these classes, never as a silent undefined.
// All carry the operation name, so a log line says which call failed.

/** One entry of a GraphQL response's `errors` array. */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  /** `extensions.code` is stable (e.g. BAD_USER_INPUT); `requestId` marks a logged server fault. */
  extensions?: { code?: string; [key: string]: unknown };
}

/** What was sent, for logs and retries. */
export interface RequestSummary {
  url: string;
  operationName: string;
  variables: Record<string, unknown> | undefined;
  /** True when only the persisted-operation hash was sent, without the document text. */
  persisted: boolean;
}

/** Base class of every error the SDK throws: `catch (e) { if (e instanceof WelfareGraphError) … }`. */
export class WelfareGraphError extends Error {
  override name = "WelfareGraphError";
  readonly operationName: string;
  readonly request: RequestSummary;

  constructor(message: string, request: RequestSummary, options?: { cause?: unknown }) {
    super(message, options);
    this.operationName = request.operationName;
    this.request = request;
  }
}

/**
 * The server answered with GraphQL `errors` (validation, bad input, a failed resolver). `data`
 * holds whatever partial data came with them; `codes` the stable `extensions.code` values.
 *
 * @example
 * ```ts
 * try {
 *   await client.projects({ first: 500 });
 * } catch (error) {
 *   if (error instanceof GraphQLResponseError && error.codes.includes("BAD_USER_INPUT")) {
 *     console.warn(error.errors[0]?.message); // says what to change
 *   } else throw error;
 * }
 * ```
 */
export class GraphQLResponseError<TData = unknown> extends WelfareGraphError {
  override name = "GraphQLResponseError";
  readonly errors: ReadonlyArray<GraphQLErrorEntry>;
  /** Partial data sent beside the errors; null or undefined when execution did not start. */
  readonly data: TData | null | undefined;
  /** HTTP status of the response (200 for execution errors, 400 for invalid documents, …). */
  readonly status: number;

  constructor(request: RequestSummary, response: { status: number; errors: ReadonlyArray<GraphQLErrorEntry>; data: TData | null | undefined }) {
    const first = response.errors[0];
    const code = first?.extensions?.code ? ` [${first.extensions.code}]` : "";
    const more = response.errors.length > 1 ? ` (and ${response.errors.length - 1} more)` : "";
    super(`${request.operationName}: ${first?.message ?? "unknown GraphQL error"}${code}${more}`, request);
    this.errors = response.errors;
    this.data = response.data;
    this.status = response.status;
  }

  /** The distinct `extensions.code` values of the errors, e.g. `["BAD_USER_INPUT"]`. */
  get codes(): string[] {
    return [...new Set(this.errors.flatMap((e) => (typeof e.extensions?.code === "string" ? [e.extensions.code] : [])))];
  }
}

/**
 * The server answered, but not with a GraphQL response (a proxy error page, 404, 502 …).
 *
 * @example
 * ```ts
 * const retryable = (e: unknown) => e instanceof NetworkError || (e instanceof HttpError && e.status >= 502);
 * ```
 */
export class HttpError extends WelfareGraphError {
  override name = "HttpError";
  readonly status: number;
  readonly statusText: string;
  /** The start of the response body (at most 2,000 characters), for diagnosis. */
  readonly body: string;

  constructor(request: RequestSummary, response: { status: number; statusText: string; body: string }, reason = "the response is not a GraphQL response") {
    super(`${request.operationName}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}: ${reason}`, request);
    this.status = response.status;
    this.statusText = response.statusText;
    this.body = response.body.slice(0, 2_000);
  }
}

/** No response at all: the connection failed, was refused or dropped. `cause` is fetch's error. */
export class NetworkError extends WelfareGraphError {
  override name = "NetworkError";

  constructor(request: RequestSummary, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${request.operationName}: request to ${request.url} failed: ${detail}`, request, { cause });
  }
}

/**
 * Paging stopped before the end of a connection: `maxPages` pages were read and more remain
 * (`reason: "max-pages"`), or the server returned the same cursor twice (`"cursor-stalled"`).
 */
export class PaginationError extends WelfareGraphError {
  override name = "PaginationError";
  readonly reason: "max-pages" | "cursor-stalled";
  readonly pagesRead: number;
  /** Cursor to resume from (pass it as `after`). */
  readonly endCursor: string | null;

  constructor(request: RequestSummary, details: { reason: "max-pages" | "cursor-stalled"; pagesRead: number; endCursor: string | null }) {
    const why =
      details.reason === "max-pages"
        ? `stopped after maxPages = ${details.pagesRead} pages and more remain; raise maxPages, or resume with after: ${JSON.stringify(details.endCursor)}`
        : `the server returned the cursor ${JSON.stringify(details.endCursor)} again after page ${details.pagesRead}; stopped to avoid looping`;
    super(`${request.operationName}: ${why}`, request);
    this.reason = details.reason;
    this.pagesRead = details.pagesRead;
    this.endCursor = details.endCursor;
  }
}
