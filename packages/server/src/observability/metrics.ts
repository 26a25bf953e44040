// Prometheus metrics (prom-client), one registry per app: requests and their durations by
// operation and outcome, errors by extensions.code, query cost and depth, response-cache hits,
// the database pools, statement durations, and Node's own process metrics.
import { createServer, type Server } from "node:http";
import type { Plugin } from "graphql-yoga";
import type { LogEvent } from "kysely";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { DatabaseHandle } from "../db/database.ts";
import type { RequestFacts } from "./request-facts.ts";

export interface Metrics {
  registry: Registry;
  /** Records one finished request (a RequestObserver). */
  observeRequest(facts: RequestFacts): void;
  /** Records one SQL statement (Kysely's log event). */
  observeStatement(event: LogEvent): void;
  /** For a response cache that reports hits itself rather than in extensions.responseCache. */
  responseCache(hit: boolean): void;
  /** Reads the pools from this database at each scrape. */
  watchDatabase(database: DatabaseHandle): void;
  /** The exposition text and its content type, for GET /metrics. */
  scrape(): Promise<{ body: string; contentType: string }>;
}

// A 50 ms API: most requests well under 100 ms, the budget is 10 s.
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const statementBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];
// The cost limit is 500,000 objects (docs/limits.md).
const costBuckets = [1, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000];
const depthBuckets = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15];
// Operation names come from clients: past this many, new ones are counted as "other".
const maxOperationLabels = 500;

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Counter({
    name: "graphql_requests_total",
    help: "GraphQL requests by operation name, operation type and outcome (success, partial, error).",
    labelNames: ["operation", "type", "outcome"],
    registers,
  });
  const durations = new Histogram({
    name: "graphql_request_duration_seconds",
    help: "Time from the request's arrival to its response, by operation and outcome.",
    labelNames: ["operation", "outcome"],
    buckets: durationBuckets,
    registers,
  });
  const errors = new Counter({
    name: "graphql_errors_total",
    help: "Errors sent to clients, by extensions.code and operation.",
    labelNames: ["code", "operation"],
    registers,
  });
  const cost = new Histogram({
    name: "graphql_query_cost",
    help: "Cost of accepted operations (most objects they can return, extensions.cost.requestedQueryCost).",
    labelNames: ["operation"],
    buckets: costBuckets,
    registers,
  });
  const depth = new Histogram({
    name: "graphql_query_depth",
    help: "Nesting depth of parsed operations.",
    labelNames: ["operation"],
    buckets: depthBuckets,
    registers,
  });
  const cache = new Counter({
    name: "graphql_response_cache_total",
    help: "Responses the response cache answered (hit) or had to compute (miss).",
    labelNames: ["result"],
    registers,
  });
  const statements = new Histogram({
    name: "db_statement_duration_seconds",
    help: "Duration of SQL statements, by outcome (ok, error).",
    labelNames: ["outcome"],
    buckets: statementBuckets,
    registers,
  });
  const databases: DatabaseHandle[] = [];
  const poolGauge = (name: string, help: string, read: (stats: { total: number; idle: number; waiting: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["pool"],
      registers,
      collect() {
        this.reset();
        for (const database of databases) for (const { name: pool, stats } of database.pools?.() ?? []) this.set({ pool }, read(stats));
      },
    });
  poolGauge("db_pool_connections_in_use", "Pooled connections running a statement.", (stats) => stats.total - stats.idle);
  poolGauge("db_pool_connections_idle", "Pooled connections open and idle.", (stats) => stats.idle);
  poolGauge("db_pool_waiting", "Queries waiting for a free connection.", (stats) => stats.waiting);
  new Gauge({
    name: "db_replica_up",
    help: "1 when a read replica serves queries; 0 when down or behind (its reads go to the primary).",
    labelNames: ["replica", "state"],
    registers,
    collect() {
      this.reset();
      for (const database of databases)
        for (const replica of database.replicas?.() ?? []) this.set({ replica: replica.name, state: replica.state }, replica.state === "up" ? 1 : 0);
    },
  });

  const operations = new Set<string>();
  const label = (operation: string) => {
    if (operations.has(operation)) return operation;
    if (operations.size >= maxOperationLabels) return "other";
    operations.add(operation);
    return operation;
  };

  return {
    registry,
    observeRequest(facts) {
      const operation = label(facts.operation);
      requests.inc({ operation, type: facts.operationType ?? "unknown", outcome: facts.outcome });
      durations.observe({ operation, outcome: facts.outcome }, facts.durationMs / 1000);
      for (const code of facts.errorCodes) errors.inc({ code, operation });
      if (facts.cost !== undefined) cost.observe({ operation }, facts.cost);
      if (facts.depth !== undefined) depth.observe({ operation }, facts.depth);
      if (facts.cacheHit !== undefined) cache.inc({ result: facts.cacheHit ? "hit" : "miss" });
    },
    observeStatement(event) {
      statements.observe({ outcome: event.level === "error" ? "error" : "ok" }, event.queryDurationMillis / 1000);
    },
    responseCache(hit) {
      cache.inc({ result: hit ? "hit" : "miss" });
    },
    watchDatabase(database) {
      databases.push(database);
    },
    async scrape() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}

/** GET /metrics beside /graphql (when no METRICS_PORT keeps it apart). */
export function metricsEndpointPlugin(metrics: Metrics, path = "/metrics"): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      if (request.method !== "GET") {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: "GET" } }));
        return;
      }
      return metrics.scrape().then(({ body, contentType }) => {
        endResponse(new fetchAPI.Response(body, { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" } }));
      });
    },
  };
}

/** A listener of its own for /metrics (METRICS_PORT), so the public port need not expose it. */
export function createMetricsServer(metrics: Metrics): Server {
  return createServer((request, response) => {
    if (request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found: metrics are at /metrics\n");
      return;
    }
    metrics.scrape().then(
      ({ body, contentType }) => response.writeHead(200, { "content-type": contentType }).end(body),
      () => response.writeHead(500).end(),
    );
  });
}
