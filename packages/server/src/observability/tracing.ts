// OpenTelemetry tracing, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (main.ts imports
// this module dynamically, so without it no SDK is loaded). One server span per request, named
// after its operation ("query Showcase"), with children graphql.parse, graphql.validate,
// graphql.execute, and one span per SQL statement under the phase that sent it. Spans leave
// over OTLP/HTTP (JSON) in batches. A traceparent header continues the caller's trace.
import { type Context, context, propagation, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { getOperationAST } from "graphql";
import { isPromise, type Plugin } from "graphql-yoga";
import type { LogEvent } from "kysely";

export interface Tracing {
  plugin: Plugin;
  /** Kysely's log hook: one span per statement, under the active span. */
  observeStatement(event: LogEvent): void;
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to <endpoint>/v1/traces. */
  endpoint: string;
  serviceName: string;
  /** Delay before a batch is sent (default 1 s). */
  exportDelayMs?: number;
}

const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

/** Runs wrapped() inside a child span of the active one, ending it when wrapped settles. */
function inSpan<T>(span: Span, parent: Context, wrapped: () => T): T {
  const fail = (error: unknown) => {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  return context.with(trace.setSpan(parent, span), () => {
    let result: T;
    try {
      result = wrapped();
    } catch (error) {
      fail(error);
      throw error;
    }
    if (isPromise(result)) {
      return result.then(
        (value) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          fail(error);
          throw error;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

const graphqlPath = "/graphql";

export function startTracing(options: TracingOptions): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, "")}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.exportDelayMs ?? 1_000 })],
  });
  // Global tracer provider, AsyncLocalStorage context and the W3C traceparent propagator.
  provider.register();
  const tracer = trace.getTracer("welfare-graph");
  const requestSpans = new WeakMap<Request, Span>();
  const phase =
    (name: string) =>
    <T>(_payload: unknown, wrapped: () => T): T =>
      inSpan(tracer.startSpan(name), context.active(), wrapped);

  const plugin: Plugin = {
    instrumentation: {
      request({ request }, wrapped) {
        const url = new URL(request.url);
        // Probes and scrapes (/healthz, /readyz, /metrics, GraphiQL's files) are not traced.
        if (url.pathname !== graphqlPath) return wrapped();
        const parent = propagation.extract(context.active(), request.headers, headerGetter);
        const span = tracer.startSpan(
          `${request.method} ${url.pathname}`,
          { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method, "url.path": url.pathname } },
          parent,
        );
        requestSpans.set(request, span);
        return inSpan(span, parent, wrapped);
      },
      parse: phase("graphql.parse"),
      validate: phase("graphql.validate"),
      execute: phase("graphql.execute"),
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const span = request ? requestSpans.get(request) : undefined;
      const operation = getOperationAST(args.document, args.operationName);
      if (!span || !operation) return;
      const name = operation.name?.value;
      span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
      span.setAttribute("graphql.operation.type", operation.operation);
      if (name) span.setAttribute("graphql.operation.name", name);
    },
    onResponse({ request, response }) {
      const span = requestSpans.get(request);
      if (!span) return;
      span.setAttribute("http.response.status_code", response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    },
  };

  return {
    plugin,
    observeStatement(event) {
      const parent = context.active();
      // Statements outside a request (migrations, the initial load) are not traced.
      if (!trace.getSpan(parent)) return;
      const end = Date.now();
      const sql = event.query.sql;
      const span = tracer.startSpan(
        sql.trimStart().split(/\s/, 1)[0]?.toLowerCase() || "sql",
        { kind: SpanKind.CLIENT, startTime: end - event.queryDurationMillis, attributes: { "db.system.name": "postgresql", "db.query.text": sql } },
        parent,
      );
      if (event.level === "error") {
        span.recordException(event.error instanceof Error ? event.error : String(event.error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end(end);
    },
    async shutdown() {
      await provider.shutdown();
      // register() set the process-wide tracer provider, context manager and propagator; a
      // stopped tracer leaves none of them behind (a later startTracing, or a test file run in
      // the same process, starts from the no-op defaults).
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
