// What one GraphQL request did, gathered along yoga's pipeline and handed to every observer
// (metrics, the request log) once its response is ready: a single place reads the results, so
// the metrics and the log line always agree.
import { trace } from "@opentelemetry/api";
import { type DocumentNode, type ExecutionResult, getOperationAST } from "graphql";
import { isAsyncIterable, type Plugin } from "graphql-yoga";
import { measureOperations } from "../graphql/query-limits.ts";
import { responseCacheHeader } from "../http/http-cache.ts";
import { requestInfo, requestSlot } from "../http/request-id.ts";

export type Outcome = "success" | "partial" | "error";

export interface RequestFacts {
  requestId: string;
  /** The operation's name, "anonymous" when unnamed, "unknown" when the request never parsed. */
  operation: string;
  operationType?: string;
  outcome: Outcome;
  status: number;
  durationMs: number;
  /** extensions.cost.requestedQueryCost of an accepted operation. */
  cost?: number;
  depth?: number;
  /** extensions.code of each error, in order. */
  errorCodes: string[];
  /** Present when the response cache answered or missed (x-response-cache, or extensions.responseCache.hit). */
  cacheHit?: boolean;
  /** The request's trace, when tracing is on. */
  traceId?: string;
}

export type RequestObserver = (facts: RequestFacts) => void;

interface Gathering {
  operationName?: string;
  operation?: string;
  operationType?: string;
  depth?: number;
  result?: ExecutionResult;
  traceId?: string;
}

// Operation names come from clients: bound the set we label metrics with.
const maxOperationNameLength = 100;
const namePattern = /^[_A-Za-z][_0-9A-Za-z]*$/;

function operationOf(document: DocumentNode, operationName: string | undefined) {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const name = operation.name?.value;
  return { name: name && name.length <= maxOperationNameLength && namePattern.test(name) ? name : "anonymous", type: operation.operation, node: operation };
}

// Our response cache says hit or miss in a header (the body stays byte-identical either way);
// extensions.responseCache is what the envelop plugin reports when configured to.
function cacheHitOf(result: ExecutionResult | undefined, response: Response): boolean | undefined {
  const header = response.headers.get(responseCacheHeader);
  if (header === "hit" || header === "miss") return header === "hit";
  const cache = result?.extensions?.responseCache as { hit?: unknown } | undefined;
  return typeof cache?.hit === "boolean" ? cache.hit : undefined;
}

function costOf(result: ExecutionResult): number | undefined {
  const cost = result.extensions?.cost as { requestedQueryCost?: unknown } | undefined;
  return typeof cost?.requestedQueryCost === "number" ? cost.requestedQueryCost : undefined;
}

/** Observes requests to the GraphQL endpoint (not /healthz, /metrics or GraphiQL's assets). */
export function requestFactsPlugin(observers: RequestObserver[], graphqlPath = "/graphql"): Plugin {
  const gatherings = requestSlot<Gathering>("request facts");
  return {
    onRequest({ request, url }) {
      if (url.pathname !== graphqlPath) return;
      const traceId = trace.getActiveSpan()?.spanContext().traceId;
      gatherings.set(request, traceId ? { traceId } : {});
    },
    onParams({ request, params }) {
      const gathering = gatherings.get(request);
      if (gathering && params.operationName) gathering.operationName = params.operationName;
    },
    onParse({ context }) {
      const request = (context as { request?: Request }).request;
      const gathering = request ? gatherings.get(request) : undefined;
      if (!gathering) return;
      return ({ result }) => {
        if (!result || result instanceof Error || !("kind" in result)) return;
        const operation = operationOf(result, gathering.operationName);
        if (!operation) return;
        gathering.operation = operation.name;
        gathering.operationType = operation.type;
        gathering.depth = measureOperations(result).get(operation.node)?.depth;
      };
    },
    onResultProcess({ request, result }) {
      const gathering = gatherings.get(request);
      if (!gathering || isAsyncIterable(result)) return;
      gathering.result = Array.isArray(result) ? result[0] : result;
    },
    onResponse({ request, response }) {
      const gathering = gatherings.get(request);
      if (!gathering) return;
      const contentType = response.headers.get("content-type") ?? "";
      // GraphiQL's page is a GET of the endpoint too; it is not an operation.
      if (contentType.startsWith("text/html")) return;
      const info = requestInfo(request);
      const result = gathering.result;
      const errorCodes = (result?.errors ?? []).map((error) => String(error.extensions?.code ?? "UNKNOWN"));
      const hasData = result?.data !== undefined && result.data !== null;
      const facts: RequestFacts = {
        requestId: info.id,
        operation:
          gathering.operation ??
          (gathering.operationName && gathering.operationName.length <= maxOperationNameLength && namePattern.test(gathering.operationName)
            ? gathering.operationName
            : "unknown"),
        outcome: errorCodes.length === 0 && response.status < 400 ? "success" : hasData ? "partial" : "error",
        status: response.status,
        durationMs: performance.now() - info.startedAt,
        errorCodes,
      };
      if (gathering.operationType) facts.operationType = gathering.operationType;
      if (gathering.depth !== undefined) facts.depth = gathering.depth;
      const cost = result ? costOf(result) : undefined;
      if (cost !== undefined) facts.cost = cost;
      const cacheHit = cacheHitOf(result, response);
      if (cacheHit !== undefined) facts.cacheHit = cacheHit;
      if (gathering.traceId) facts.traceId = gathering.traceId;
      for (const observe of observers) observe(facts);
    },
  };
}
