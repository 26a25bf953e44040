// /metrics scraped after real requests: requests and durations by operation and outcome, errors
// by code, cost and depth as the responses reported them, statements, pools, process metrics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateAndLoad } from "../packages/server/src/app-database.ts";
import { createDatabase, type DatabaseHandle } from "../packages/server/src/db/database.ts";
import { defaultDeliveryOptions } from "../packages/server/src/http/delivery.ts";
import { createMetrics, type Metrics, metricsEndpointPlugin } from "../packages/server/src/observability/metrics.ts";
import { requestFactsPlugin } from "../packages/server/src/observability/request-facts.ts";
import { type App, createApp } from "../packages/server/src/yoga.ts";
import { postGraphQL } from "./support/app.ts";
import { createTestDatabase, engines, pgliteTemplate, type TestDatabase } from "./support/databases.ts";

/** The value of one sample line of the exposition text, e.g. sample(text, 'graphql_requests_total{operation="A",…}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(engines())("metrics on %s", (kind) => {
  let empty: TestDatabase | undefined;
  let database: DatabaseHandle;
  let metrics: Metrics;
  let app: App;

  beforeAll(async () => {
    metrics = createMetrics();
    // The database's statements must reach the metrics: opened here with their hook.
    empty = kind === "postgres" ? await createTestDatabase("postgres", { migrate: false }) : undefined;
    // PGlite starts from the loaded template (migrateAndLoad then finds it done), PostgreSQL empty.
    database = await createDatabase({
      ...(empty ? { url: empty.url } : { dataDir: "memory://", loadDataDir: await pgliteTemplate("loaded") }),
      onQuery: metrics.observeStatement,
    });
    await migrateAndLoad(database);
    metrics.watchDatabase(database);
    app = createApp({
      database,
      graphiql: false,
      logError: () => {},
      limits: { maxCost: 1_000 },
      observability: [requestFactsPlugin([metrics.observeRequest]), metricsEndpointPlugin(metrics)],
    });
  });
  afterAll(async () => {
    await database?.close();
    await empty?.drop();
  });

  const scrape = async () => {
    const response = await app.fetch("http://localhost/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    return response.text();
  };

  it("counts requests, errors, cost and depth as the responses reported them", async () => {
    const ok = await postGraphQL(app, { query: "query Page { departments(first: 4) { nodes { name projects(first: 2) { nodes { name } } } } }" });
    expect(ok.status).toBe(200);
    const cost = ok.body.extensions.cost.requestedQueryCost as number;
    await postGraphQL(app, { query: "query Page { departments(first: 1) { nodes { name } } }" });
    const invalid = await postGraphQL(app, { query: "query Typo { departmentz { name } }" });
    expect(invalid.body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const tooCostly = await postGraphQL(app, { query: "query Huge { projects(first: 100) { nodes { usage(first: 100) { nodes { value } } } } }" });
    expect(tooCostly.body.errors[0].extensions.code).toBe("COST_LIMIT_EXCEEDED");
    await postGraphQL(app, { query: "{ departments(first: 1) { nodes { name } } }" });

    const text = await scrape();
    expect(sample(text, 'graphql_requests_total{operation="Page",type="query",outcome="success"}')).toBe(2);
    expect(sample(text, 'graphql_requests_total{operation="Typo",type="query",outcome="error"}')).toBe(1);
    expect(sample(text, 'graphql_requests_total{operation="Huge",type="query",outcome="error"}')).toBe(1);
    expect(sample(text, 'graphql_requests_total{operation="anonymous",type="query",outcome="success"}')).toBe(1);
    expect(sample(text, 'graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED",operation="Typo"}')).toBe(1);
    expect(sample(text, 'graphql_errors_total{code="COST_LIMIT_EXCEEDED",operation="Huge"}')).toBe(1);
    expect(sample(text, 'graphql_request_duration_seconds_count{operation="Page",outcome="success"}')).toBe(2);
    // Cost: the two accepted Page requests, as their extensions.cost said (the second costs 1).
    expect(sample(text, 'graphql_query_cost_sum{operation="Page"}')).toBe(cost + 1);
    expect(sample(text, 'graphql_query_cost_count{operation="Page"}')).toBe(2);
    // Depth: departments › nodes › projects › nodes › name is 5, departments › nodes › name is 3.
    expect(sample(text, 'graphql_query_depth_sum{operation="Page"}')).toBe(8);
    expect(sample(text, 'graphql_query_depth_bucket{le="3",operation="Page"}')).toBe(1);
    expect(sample(text, 'db_statement_duration_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it.runIf(kind === "postgres")("reports the pool: connections in use, idle, and queries waiting", async () => {
    const text = await scrape();
    expect(sample(text, 'db_pool_connections_in_use{pool="primary"}')).toBe(0);
    expect(sample(text, 'db_pool_connections_idle{pool="primary"}')).toBeGreaterThan(0);
    expect(sample(text, 'db_pool_waiting{pool="primary"}')).toBe(0);
  });

  it("does not count /healthz, /readyz or /metrics as GraphQL requests", async () => {
    const before = await scrape();
    await app.fetch("http://localhost/healthz");
    await app.fetch("http://localhost/readyz");
    const after = await scrape();
    const total = (text: string) =>
      text
        .split("\n")
        .filter((line) => line.startsWith("graphql_requests_total{"))
        .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
    expect(total(after)).toBe(total(before));
  });

  it("counts the response cache's hits and misses as the responses reported them", async () => {
    const cached = createApp({
      database,
      graphiql: false,
      logError: () => {},
      delivery: { ...defaultDeliveryOptions, dataVersionMaxAgeMs: 0 },
      observability: [requestFactsPlugin([metrics.observeRequest]), metricsEndpointPlugin(metrics)],
    });
    const counter = (text: string, result: string) => sample(text, `graphql_response_cache_total{result="${result}"}`) ?? 0;
    const before = await scrape();
    const query = "query Cached { departments(first: 3) { nodes { name } } }";
    const first = await cached.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    const second = await cached.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    expect([first.headers.get("x-response-cache"), second.headers.get("x-response-cache")]).toEqual(["miss", "hit"]);
    const after = await scrape();
    expect(counter(after, "miss") - counter(before, "miss")).toBe(1);
    expect(counter(after, "hit") - counter(before, "hit")).toBe(1);
  });
});
