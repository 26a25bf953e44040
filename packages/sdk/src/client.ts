// The client: one typed method per operation in src/operations, over standard fetch. The
// operations table (document text, hash, paging) is generated; this file only sends and checks.
import { type OperationTypes, operations } from "./__generated__/operations.js";
import { type GraphQLErrorEntry, GraphQLResponseError, HttpError, NetworkError, PaginationError, type RequestSummary } from "./errors.js";

/** Client method names, one per operation: `departments`, `project`, `node`, … */
export type OperationName = keyof OperationTypes;
/** The `data` an operation resolves to. */
export type OperationResult<N extends OperationName> = OperationTypes[N]["result"];
/** The variables an operation takes. */
export type OperationVariables<N extends OperationName> = OperationTypes[N]["variables"];

/** Per-call options. */
export interface RequestOptions {
  /** Cancels this call (combined with the client's `signal`). */
  signal?: AbortSignal;
  /** Extra headers for this call; they override the client's. */
  headers?: HeadersInit;
}

/** Variables are a required argument exactly when the operation has a required variable. */
export type OperationArguments<N extends OperationName> =
  {} extends OperationVariables<N>
    ? [variables?: OperationVariables<N>, options?: RequestOptions]
    : [variables: OperationVariables<N>, options?: RequestOptions];

/** Operations the client can page: a single connection read forward with `$after`. */
export type PaginatedOperationName = {
  [N in OperationName]: (typeof operations)[N]["connection"] extends string ? N : never;
}[OperationName];

/** One page of a paginated operation: its connection (`nodes`, `pageInfo`, `totalCount`). */
export type OperationPage<N extends PaginatedOperationName> = OperationResult<N>[(typeof operations)[N]["connection"] & keyof OperationResult<N>];

export interface PaginateOptions extends RequestOptions {
  /**
   * Upper bound on pages read (default 100). Reaching it while pages remain throws a
   * PaginationError rather than stopping silently; to read fewer pages, `break` out of the loop.
   */
  maxPages?: number;
}

export type PaginateArguments<N extends PaginatedOperationName> =
  {} extends OperationVariables<N>
    ? [variables?: OperationVariables<N>, options?: PaginateOptions]
    : [variables: OperationVariables<N>, options?: PaginateOptions];

/**
 * How to send operations:
 * - `false` (default): the document text, as any GraphQL server accepts.
 * - `"hash-only"`: only `extensions.persistedQuery.sha256Hash`, for servers that accept only
 *   trusted documents (their manifest is `@welfare-graph/sdk/persisted-documents.json`).
 * - `"hash-then-text"`: the hash first, and the text once more when the server answers
 *   PersistedQueryNotFound (automatic persisted queries).
 */
export type PersistedOperationsMode = false | "hash-only" | "hash-then-text";

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `https://example.org/graphql`. */
  url: string | URL;
  /** A fetch implementation; defaults to the global `fetch` (Node 18+, browsers). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Headers for every call, or a function returning them (called per call, e.g. for tokens). */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** Cancels every call of this client. */
  signal?: AbortSignal;
  /** Send persisted-operation hashes instead of document text; see PersistedOperationsMode. */
  persistedOperations?: PersistedOperationsMode;
}

/**
 * The client `createClient` returns: one method per operation, named after it, each resolving to
 * the operation's `data` (or throwing a WelfareGraphError), and `paginate` for connections.
 *
 * @example
 * ```ts
 * const { project } = await client.project({ id });        // id is required: the operation needs it
 * const { departments } = await client.departments();      // all variables optional
 * ```
 */
export type WelfareGraphClient = {
  readonly [N in keyof OperationTypes]: (...args: OperationArguments<N>) => Promise<OperationResult<N>>;
} & {
  /**
   * Page through a connection: each iteration yields one page (`nodes`, `pageInfo`,
   * `totalCount`), following `pageInfo.endCursor` until `hasNextPage` is false. At most
   * `maxPages` pages (default 100) are read; more remaining throws a PaginationError.
   *
   * @example
   * ```ts
   * const names: string[] = [];
   * for await (const page of client.paginate.projects({ first: 50 }, { maxPages: 20 })) {
   *   names.push(...page.nodes.map((project) => project.name));
   * }
   * ```
   */
  readonly paginate: {
    readonly [N in keyof OperationTypes as N extends PaginatedOperationName ? N : never]: N extends PaginatedOperationName
      ? (...args: PaginateArguments<N>) => AsyncGenerator<OperationPage<N>, void, undefined>
      : never;
  };
};

const defaultMaxPages = 100;

function anySignal(signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  if (typeof AbortSignal.any === "function") return AbortSignal.any(present);
  const controller = new AbortController();
  for (const signal of present) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}

function isPersistedQueryNotFound(errors: ReadonlyArray<GraphQLErrorEntry>): boolean {
  return errors.some((e) => e.message === "PersistedQueryNotFound" || e.extensions?.code === "PERSISTED_QUERY_NOT_FOUND");
}

interface GraphQLBody {
  data?: unknown;
  errors?: GraphQLErrorEntry[];
}

function asGraphQLBody(value: unknown): GraphQLBody | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const body = value as Record<string, unknown>;
  if (!("data" in body) && !Array.isArray(body.errors)) return undefined;
  return body as GraphQLBody;
}

/**
 * Creates a typed client for a welfare-graph server: one method per operation of the SDK,
 * named after it, resolving to the operation's `data` or throwing a typed error.
 *
 * @example
 * ```ts
 * import { createClient } from "@welfare-graph/sdk";
 *
 * const client = createClient({ url: "http://localhost:4000/graphql" });
 * const { departments } = await client.departments({ first: 10 });
 * console.log(departments.totalCount, departments.nodes.map((d) => d.name));
 *
 * // project() takes a Project's id (a Department's id would be refused).
 * const { projects } = await client.projects({ first: 1 });
 * const { project } = await client.project({ id: projects.nodes[0]!.id });
 * console.log(project?.name);
 *
 * for await (const page of client.paginate.projects({ first: 50 }, { maxPages: 20 })) {
 *   for (const p of page.nodes) console.log(p.name, p.amountThousandYen);
 * }
 * ```
 */
export function createClient(options: ClientOptions): WelfareGraphClient {
  const url = String(options.url);
  const fetchImpl = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  const persisted = options.persistedOperations ?? false;

  async function send(
    summary: RequestSummary,
    body: Record<string, unknown>,
    call: RequestOptions | undefined,
  ): Promise<{ status: number; statusText: string; text: string }> {
    const headers = new Headers({ "content-type": "application/json", accept: "application/graphql-response+json, application/json" });
    const clientHeaders = typeof options.headers === "function" ? await options.headers() : options.headers;
    for (const source of [clientHeaders, call?.headers]) if (source) new Headers(source).forEach((value, key) => headers.set(key, value));
    const signal = anySignal([options.signal, call?.signal]);
    try {
      const response = await fetchImpl(url, { method: "POST", headers, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
      return { status: response.status, statusText: response.statusText, text: await response.text() };
    } catch (error) {
      // A cancelled call rejects with the caller's own reason, as fetch does.
      if (signal?.aborted) throw signal.reason;
      throw new NetworkError(summary, error);
    }
  }

  async function execute(method: OperationName, variables: Record<string, unknown> | undefined, call: RequestOptions | undefined): Promise<unknown> {
    const operation = operations[method];
    const base = { operationName: operation.name, ...(variables ? { variables } : {}) };
    const persistedQuery = { persistedQuery: { version: 1, sha256Hash: operation.sha256 } };
    const attempts: Array<{ body: Record<string, unknown>; persisted: boolean }> =
      persisted === false
        ? [{ body: { query: operation.document, ...base }, persisted: false }]
        : [
            { body: { ...base, extensions: persistedQuery }, persisted: true },
            ...(persisted === "hash-then-text" ? [{ body: { query: operation.document, ...base, extensions: persistedQuery }, persisted: false }] : []),
          ];
    for (const [index, attempt] of attempts.entries()) {
      const summary: RequestSummary = { url, operationName: operation.name, variables, persisted: attempt.persisted };
      const response = await send(summary, attempt.body, call);
      let parsed: unknown;
      try {
        parsed = JSON.parse(response.text);
      } catch {
        throw new HttpError(summary, { status: response.status, statusText: response.statusText, body: response.text });
      }
      const body = asGraphQLBody(parsed);
      if (!body) throw new HttpError(summary, { status: response.status, statusText: response.statusText, body: response.text });
      if (body.errors?.length) {
        if (index < attempts.length - 1 && isPersistedQueryNotFound(body.errors)) continue;
        throw new GraphQLResponseError(summary, { status: response.status, errors: body.errors, data: body.data as never });
      }
      if (response.status < 200 || response.status > 299) {
        throw new HttpError(
          summary,
          { status: response.status, statusText: response.statusText, body: response.text },
          "a GraphQL response without errors, but not a success status",
        );
      }
      if (body.data === null || typeof body.data !== "object") {
        throw new HttpError(
          summary,
          { status: response.status, statusText: response.statusText, body: response.text },
          "a GraphQL response with neither data nor errors",
        );
      }
      return body.data;
    }
    throw new Error("unreachable: the last attempt returns or throws");
  }

  async function* paginate(method: PaginatedOperationName, variables: Record<string, unknown> | undefined, call: PaginateOptions | undefined) {
    const operation = operations[method];
    const maxPages = call?.maxPages ?? defaultMaxPages;
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new RangeError(`maxPages must be a positive integer, not ${maxPages}`);
    let after = (variables?.after as string | null | undefined) ?? null;
    for (let pagesRead = 1; ; pagesRead++) {
      const data = (await execute(method, { ...variables, after }, call)) as Record<string, unknown>;
      const page = data[operation.connection] as { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      yield page;
      const { hasNextPage, endCursor } = page.pageInfo;
      if (!hasNextPage) return;
      const summary: RequestSummary = { url, operationName: operation.name, variables, persisted: persisted !== false };
      if (endCursor === null || endCursor === after) throw new PaginationError(summary, { reason: "cursor-stalled", pagesRead, endCursor });
      if (pagesRead >= maxPages) throw new PaginationError(summary, { reason: "max-pages", pagesRead, endCursor });
      after = endCursor;
    }
  }

  const client: Record<string, unknown> = {};
  const pagers: Record<string, unknown> = {};
  for (const method of Object.keys(operations) as OperationName[]) {
    client[method] = (variables?: Record<string, unknown>, call?: RequestOptions) => execute(method, variables, call);
    if (operations[method].connection !== undefined) {
      pagers[method] = (variables?: Record<string, unknown>, call?: PaginateOptions) => paginate(method as PaginatedOperationName, variables, call);
    }
  }
  client.paginate = Object.freeze(pagers);
  return Object.freeze(client) as WelfareGraphClient;
}
