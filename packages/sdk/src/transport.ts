// Sending one operation and reading its answer: POST or GET, document text or persisted hash,
// every failure as a typed error. Shared by the generated methods and client.request; it knows
// no operation of its own, so an app that uses only client.request bundles none of their text.
import { type GraphQLErrorEntry, GraphQLResponseError, HttpError, NetworkError, type RequestSummary } from "./errors.js";

/** Per-call options. */
export interface RequestOptions {
  /** Cancels this call (combined with the client's `signal`). */
  signal?: AbortSignal;
  /** Extra headers for this call; they override the client's. */
  headers?: HeadersInit;
  /**
   * `"GET"` sends a query in the URL, so browsers and CDNs can cache the answer (the server
   * sends ETag and Cache-Control for GETs); defaults to the client's `method`, else `"POST"`.
   */
  method?: "GET" | "POST";
}

/**
 * How to send operations:
 * - `false` (default): the document text, as any GraphQL server accepts.
 * - `"hash-only"`: only `extensions.persistedQuery.sha256Hash`, for servers that accept only
 *   trusted documents (their manifest is `@welfare-graph/sdk/persisted-documents.json`).
 * - `"hash-then-text"`: the hash first, and the text once more when the server answers
 *   PersistedQueryNotFound (automatic persisted queries).
 */
export type PersistedOperationsMode = false | "hash-only" | "hash-then-text";

export interface TransportOptions {
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
  /** `"GET"` sends queries in the URL by default (cacheable); a call's own `method` wins. */
  method?: "GET" | "POST";
}

/** What the transport needs of an operation. */
export interface OutgoingOperation {
  /** For error messages and `operationName` (omitted from the request when undefined). */
  name: string | undefined;
  document: string;
  /** Hex SHA-256 of `document`, computed on demand when undefined. */
  sha256: string | undefined;
  /** Mutations always go by POST. */
  kind: "query" | "mutation" | "subscription";
}

export type Send = (operation: OutgoingOperation, variables: Record<string, unknown> | undefined, call: RequestOptions | undefined) => Promise<unknown>;

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

/** Hex SHA-256 with Web Crypto (Node 18+, browsers in secure contexts). */
async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function createTransport(options: TransportOptions): Send {
  const url = String(options.url);
  const fetchImpl = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  const persisted = options.persistedOperations ?? false;

  async function exchange(
    summary: RequestSummary,
    body: Record<string, unknown>,
    method: "GET" | "POST",
    call: RequestOptions | undefined,
  ): Promise<{ status: number; statusText: string; text: string }> {
    // A GET carries no content-type: a browser then sends it without a CORS preflight.
    const headers = new Headers(
      method === "GET"
        ? { accept: "application/graphql-response+json, application/json" }
        : { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    );
    const clientHeaders = typeof options.headers === "function" ? await options.headers() : options.headers;
    for (const source of [clientHeaders, call?.headers]) if (source) new Headers(source).forEach((value, key) => headers.set(key, value));
    const signal = anySignal([options.signal, call?.signal]);
    let target = url;
    if (method === "GET") {
      const query = new URL(url);
      for (const [key, value] of Object.entries(body)) query.searchParams.set(key, typeof value === "string" ? value : JSON.stringify(value));
      target = query.toString();
    }
    try {
      const response = await fetchImpl(target, {
        method,
        headers,
        ...(method === "POST" ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
      return { status: response.status, statusText: response.statusText, text: await response.text() };
    } catch (error) {
      // A cancelled call rejects with the caller's own reason, as fetch does.
      if (signal?.aborted) throw signal.reason;
      throw new NetworkError(summary, error);
    }
  }

  return async function send(operation, variables, call) {
    const base = { ...(operation.name ? { operationName: operation.name } : {}), ...(variables ? { variables } : {}) };
    const method = operation.kind === "query" ? (call?.method ?? options.method ?? "POST") : "POST";
    const attempts: Array<{ body: Record<string, unknown>; persisted: boolean }> = [];
    if (persisted === false) attempts.push({ body: { query: operation.document, ...base }, persisted: false });
    else {
      const persistedQuery = { persistedQuery: { version: 1, sha256Hash: operation.sha256 ?? (await sha256Hex(operation.document)) } };
      attempts.push({ body: { ...base, extensions: persistedQuery }, persisted: true });
      if (persisted === "hash-then-text") attempts.push({ body: { query: operation.document, ...base, extensions: persistedQuery }, persisted: false });
    }
    const operationName = operation.name ?? "(anonymous operation)";
    for (const [index, attempt] of attempts.entries()) {
      const summary: RequestSummary = { url, operationName, variables, persisted: attempt.persisted };
      const response = await exchange(summary, attempt.body, method, call);
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
  };
}
