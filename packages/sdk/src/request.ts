// client.request: any operation, typed by its document. Accepts what graphql-codegen's
// client-preset generates (TypedDocumentString with documentMode "string", or TypedDocumentNode),
// the SDK's own operations (DepartmentsOperation …), or plain text.
import { createTransport, type RequestOptions, type Send, type TransportOptions } from "./transport.js";

/**
 * The type marker every typed document carries (structurally the same as
 * `DocumentTypeDecoration` of @graphql-typed-document-node/core, without depending on it).
 */
export interface DocumentTypeDecoration<TResult, TVariables> {
  __apiType?: (variables: TVariables) => TResult;
}

/** A parsed document (graphql-js DocumentNode); printed with the client's `print` option unless it kept its source text. */
export interface DocumentNodeLike {
  readonly kind: "Document";
  readonly definitions: ReadonlyArray<{ readonly kind: string; readonly operation?: string; readonly name?: { readonly value: string } }>;
  readonly loc?: { readonly source: { readonly body: string } } | undefined;
}

/** An SDK operation (`DepartmentsOperation`, …): text, hash and kind, generated. */
export interface SdkOperationLike {
  readonly name: string;
  readonly kind: "query" | "mutation" | "subscription";
  readonly document: string;
  readonly sha256: string;
}

/** What client.request runs: a typed document of any of these shapes, or document text (untyped). */
export type TypedRequestDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> &
  // biome-ignore lint/complexity/noBannedTypes: client-preset's TypedDocumentString extends String.
  (SdkOperationLike | DocumentNodeLike | (String & { readonly __meta__?: Record<string, unknown> | undefined }));

/** Variables are a required argument exactly when the document has a required variable. */
// biome-ignore lint/complexity/noBannedTypes: {} extends T holds exactly when every variable is optional.
export type RequestArguments<TVariables> = {} extends TVariables
  ? [variables?: TVariables, options?: RequestOptions]
  : [variables: TVariables, options?: RequestOptions];

export interface RequestClientOptions extends TransportOptions {
  /**
   * Prints a DocumentNode that carries no source text (client-preset's default documentMode
   * "documentNode"): pass `print` from `graphql`. Not needed for documentMode "string".
   */
  print?: (document: never) => string;
}

export interface RequestFunction {
  /**
   * Runs any operation and resolves to its `data` (or throws a WelfareGraphError), typed by the
   * document: variables are required exactly when the operation needs them.
   *
   * @example
   * ```ts
   * // A typed document (an SDK operation here; a client-preset document works the same way):
   * const { departments } = await client.request(DepartmentsOperation, { first: 5 }, { method: "GET" });
   * // Or document text, with the result type named:
   * const data = await client.request<{ fiscalYears: { nodes: Array<{ year: number }> } }>("{ fiscalYears(first: 3) { nodes { year } } }");
   * console.log(departments.nodes.length, data.fiscalYears.nodes);
   * ```
   */
  <TResult, TVariables>(document: TypedRequestDocument<TResult, TVariables>, ...args: RequestArguments<TVariables>): Promise<TResult>;
  /** Document text: the result is untyped unless you name it (`client.request<MyQuery>(text)`). */
  <TResult = Record<string, unknown>>(document: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<TResult>;
}

function operationOf(definitions: DocumentNodeLike["definitions"]): { name: string | undefined; kind: "query" | "mutation" | "subscription" } {
  const operation = definitions.find((d) => d.kind === "OperationDefinition");
  const kind = operation?.operation === "mutation" || operation?.operation === "subscription" ? operation.operation : "query";
  return { name: operation?.name?.value, kind };
}

/** Operation name and kind read from document text (the first operation), without a parser. */
function operationOfText(text: string): { name: string | undefined; kind: "query" | "mutation" | "subscription" } {
  const match = /(?:^|[\s}])(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/.exec(text.replace(/#[^\n]*/g, ""));
  return { name: match?.[2], kind: (match?.[1] as "query" | "mutation" | "subscription" | undefined) ?? "query" };
}

function hashFrom(meta: Record<string, unknown> | undefined): string | undefined {
  const hash = meta?.hash;
  return typeof hash === "string" && /^(sha256:)?[0-9a-f]{64}$/.test(hash) ? hash.replace(/^sha256:/, "") : undefined;
}

export function requestFunction(send: Send, print: RequestClientOptions["print"]): RequestFunction {
  return ((document: unknown, variables?: Record<string, unknown>, call?: RequestOptions) => {
    if (typeof document === "string") return send({ ...operationOfText(document), document, sha256: undefined }, variables, call);
    if (typeof document !== "object" || document === null) throw new TypeError("client.request: pass a typed document, an SDK operation or document text");
    const value = document as Partial<Omit<SdkOperationLike, "kind"> & Omit<DocumentNodeLike, "kind">> & { kind?: string; __meta__?: Record<string, unknown> };
    if (
      typeof value.document === "string" &&
      typeof value.sha256 === "string" &&
      value.name &&
      (value.kind === "query" || value.kind === "mutation" || value.kind === "subscription")
    ) {
      return send({ name: value.name, kind: value.kind, document: value.document, sha256: value.sha256 }, variables, call);
    }
    if (value.kind === "Document" && Array.isArray(value.definitions)) {
      const text = value.loc?.source.body ?? (print ? print(document as never) : undefined);
      if (text === undefined) {
        throw new TypeError(
          'client.request: this DocumentNode has no source text; create the client with { print } from "graphql", or generate documents with documentMode: "string"',
        );
      }
      return send({ ...operationOf(value.definitions), document: text, sha256: hashFrom(value.__meta__) }, variables, call);
    }
    // client-preset's TypedDocumentString, a String with its type marker.
    if (!(document instanceof String)) throw new TypeError("client.request: pass a typed document, an SDK operation or document text");
    const text = document.toString();
    return send({ ...operationOfText(text), document: text, sha256: hashFrom(value.__meta__) }, variables, call);
  }) as RequestFunction;
}

/**
 * A client with only `request`: for apps that bring their own documents (client-preset), so
 * none of the SDK's operations end up in their bundle.
 *
 * @example
 * ```ts
 * import { createRequestClient, DepartmentsOperation } from "@welfare-graph/sdk";
 *
 * const client = createRequestClient({ url: "http://localhost:4000/graphql", method: "GET" });
 * const { departments } = await client.request(DepartmentsOperation, { first: 10 });
 * console.log(departments.totalCount);
 * ```
 */
export function createRequestClient(options: RequestClientOptions): { readonly request: RequestFunction } {
  return Object.freeze({ request: requestFunction(createTransport(options), options.print) });
}
