// The client: one typed method per operation in src/operations, over standard fetch. The
// operations table (document text, hash, paging) is generated; this file only sends and checks.
import { type OperationTypes, operations } from "./__generated__/operations.js";
import { PaginationError, type RequestSummary } from "./errors.js";
import { type RequestClientOptions, type RequestFunction, requestFunction } from "./request.js";
import { createTransport, type PersistedOperationsMode, type RequestOptions } from "./transport.js";

export type { PersistedOperationsMode, RequestOptions };

/** Client method names, one per operation: `departments`, `project`, `node`, … */
export type OperationName = keyof OperationTypes;
/** The `data` an operation resolves to. */
export type OperationResult<N extends OperationName> = OperationTypes[N]["result"];
/** The variables an operation takes. */
export type OperationVariables<N extends OperationName> = OperationTypes[N]["variables"];

/** Variables are a required argument exactly when the operation has a required variable. */
export type OperationArguments<N extends OperationName> =
  Record<never, never> extends OperationVariables<N>
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
  Record<never, never> extends OperationVariables<N>
    ? [variables?: OperationVariables<N>, options?: PaginateOptions]
    : [variables: OperationVariables<N>, options?: PaginateOptions];

/** Options of createClient: where the server is, how to send (POST or GET, text or hash), headers, cancellation. */
export type ClientOptions = RequestClientOptions;

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
   * Any operation, not only the SDK's own: a client-preset document (TypedDocumentString or
   * TypedDocumentNode), an SDK operation such as `DepartmentsOperation`, or document text.
   * Typed by the document; variables are required exactly when it needs them.
   *
   * @example
   * ```ts
   * const { departments } = await client.request(DepartmentsOperation, { first: 5 }, { method: "GET" });
   * ```
   */
  readonly request: RequestFunction;
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
  const persisted = options.persistedOperations ?? false;
  const send = createTransport(options);

  function execute(method: OperationName, variables: Record<string, unknown> | undefined, call: RequestOptions | undefined): Promise<unknown> {
    const operation = operations[method];
    return send({ name: operation.name, kind: operation.kind, document: operation.document, sha256: operation.sha256 }, variables, call);
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
  client.request = requestFunction(send, options.print);
  return Object.freeze(client) as WelfareGraphClient;
}
