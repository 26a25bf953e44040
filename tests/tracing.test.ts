// Traces for real: an OTLP/HTTP receiver on loopback (a node:http server collecting POST
// /v1/traces) and the app with tracing on. One server span per request, named after its
// operation, children parse/validate/execute, one span per SQL statement under execute, the
// caller's traceparent continued, and the request's log line carrying the same trace id.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateAndLoad } from "../packages/server/src/app-database.ts";
import { createDatabase, type DatabaseHandle } from "../packages/server/src/db/database.ts";
import { createLogger, requestLogger } from "../packages/server/src/observability/logging.ts";
import { requestFactsPlugin } from "../packages/server/src/observability/request-facts.ts";
import { startTracing, type Tracing } from "../packages/server/src/observability/tracing.ts";
import { type App, createApp } from "../packages/server/src/yoga.ts";
import { pgliteTemplate } from "./support/databases.ts";

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: number | string } }>;
}

describe("OpenTelemetry traces over OTLP/HTTP", () => {
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  const logLines: Array<Record<string, unknown>> = [];
  let receiver: Server;
  let tracing: Tracing;
  let database: DatabaseHandle;
  let app: App;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += String(chunk)));
      request.on("end", () => {
        paths.push(`${request.method} ${request.url} ${request.headers["content-type"]}`);
        const payload = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: ReceivedSpan[] }> }> };
        for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const { port } = receiver.address() as AddressInfo;
    tracing = startTracing({ endpoint: `http://127.0.0.1:${port}`, serviceName: "welfare-graph-test", exportDelayMs: 50 });
    // The loaded template: migrateAndLoad below finds it migrated and loaded.
    database = await createDatabase({ dataDir: "memory://", loadDataDir: await pgliteTemplate("loaded"), onQuery: tracing.observeStatement });
    await migrateAndLoad(database);
    const logger = createLogger({
      level: "info",
      destination: new Writable({
        write(chunk, _encoding, done) {
          logLines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
          done();
        },
      }),
    });
    app = createApp({ database, graphiql: false, observability: [tracing.plugin, requestFactsPlugin([requestLogger(logger)])] });
  });

  afterAll(async () => {
    await database?.close();
    receiver?.close();
  });

  it("sends one span tree per request: the operation, its phases, its SQL", async () => {
    const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpan = "00f067aa0ba902b7";
    const response = await app.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${callerTrace}-${callerSpan}-01` },
      body: JSON.stringify({ query: "query Traced { departments(first: 2) { nodes { name projects(first: 2) { nodes { name } } } } }" }),
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get("x-request-id");
    // Probes are not traced.
    expect((await app.fetch("http://localhost/healthz")).status).toBe(200);
    // Shutdown flushes the batch: every span has been received when it resolves.
    await tracing.shutdown();

    expect(paths.every((each) => each.startsWith("POST /v1/traces application/json"))).toBe(true);
    expect(spans.map((span) => span.name)).not.toContain("GET /healthz");
    const inTrace = spans.filter((span) => span.traceId === callerTrace);
    const root = inTrace.find((span) => span.name === "query Traced");
    expect(root, JSON.stringify(spans.map((span) => span.name))).toBeDefined();
    // Continues the caller's trace, as a server span (kind 2).
    expect(root!.parentSpanId).toBe(callerSpan);
    expect(root!.kind).toBe(2);
    expect(root!.attributes).toContainEqual({ key: "graphql.operation.name", value: { stringValue: "Traced" } });
    const child = (name: string) => inTrace.filter((span) => span.name === name && span.parentSpanId === root!.spanId);
    expect(child("graphql.parse")).toHaveLength(1);
    expect(child("graphql.validate")).toHaveLength(1);
    expect(child("graphql.execute")).toHaveLength(1);
    const execute = child("graphql.execute")[0]!;
    // The planner loads departments with their projects in one statement, under execute.
    const statements = inTrace.filter((span) => span.parentSpanId === execute.spanId);
    expect(statements).toHaveLength(1);
    // Client spans (kind 3) named by the statement's first keyword, with the SQL text.
    for (const statement of statements) {
      expect(statement.kind).toBe(3);
      const text = statement.attributes.find((each) => each.key === "db.query.text")?.value.stringValue ?? "";
      expect(text.trimStart().toLowerCase().startsWith(statement.name)).toBe(true);
      expect(["select", "with"]).toContain(statement.name);
    }

    // The request's log line carries the trace id.
    expect(logLines.find((line) => line.requestId === requestId)).toMatchObject({ operation: "Traced", traceId: callerTrace });
  });
});

describe("tracing off", () => {
  it("main.ts imports the OpenTelemetry SDK only when an endpoint is set (a dynamic import)", () => {
    const main = readFileSync(new URL("../packages/server/src/main.ts", import.meta.url), "utf8");
    const staticImports = [...main.matchAll(/^import (?!type )[^;]*? from "([^"]+)";/gms)].map((match) => match[1]);
    expect(staticImports).not.toContain("./observability/tracing.ts");
    expect(staticImports.some((specifier) => specifier?.startsWith("@opentelemetry/"))).toBe(false);
    expect(main).toMatch(/settings\.otlpEndpoint\s*\?\s*\(await import\("\.\/observability\/tracing\.ts"\)\)/);
    // What main.ts loads statically needs only the API (no-op without a registered SDK).
    for (const file of ["request-facts.ts", "metrics.ts", "logging.ts"]) {
      const source = readFileSync(new URL(`../packages/server/src/observability/${file}`, import.meta.url), "utf8");
      expect(source).not.toMatch(/from "@opentelemetry\/(?!api")/);
    }
  });
});
