// The production build for real: `pnpm --filter @welfare-graph/server build` compiles the server,
// `node packages/server/dist/main.js` serves queries without tsx, with metrics on their own port
// and one JSON log line per request; a taken port and bad settings are one line each, exit 1.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot, serverDatabase, spawnServer } from "./support/spawned-server.ts";
import { freePort } from "./support/throwaway-postgres.ts";

const compiledMain = path.join(repositoryRoot, "packages/server/dist/main.js");
let database: Awaited<ReturnType<typeof serverDatabase>>;

beforeAll(async () => {
  database = await serverDatabase();
  execFileSync("npx", ["--yes", "pnpm@12.4.2", "--filter", "@welfare-graph/server", "build"], { cwd: repositoryRoot, stdio: "pipe" });
}, 180_000);
afterAll(() => database?.drop());

describe("the compiled server", () => {
  it("is plain JavaScript beside its compiled migrations", () => {
    expect(existsSync(compiledMain)).toBe(true);
    expect(existsSync(path.join(repositoryRoot, "packages/server/dist/migrations/2026_11_27_000000_initial.js"))).toBe(true);
  });

  it("answers queries, logs one JSON line per request, serves /metrics on METRICS_PORT, sends traces", async () => {
    // A loopback OTLP/HTTP receiver: the compiled server loads the tracing SDK on demand.
    const spanNames: string[] = [];
    const receiver = createHttpServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += String(chunk)));
      request.on("end", () => {
        const payload = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> };
        for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spanNames.push(...scope.spans.map((span) => span.name));
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const collector = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const [port, metricsPort] = [await freePort(), await freePort()];
    const server = spawnServer(process.execPath, [compiledMain], {
      ...database.env,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: "info",
      OTEL_EXPORTER_OTLP_ENDPOINT: collector,
    });
    await server.waitFor("database ready");
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "query Departments { departments(first: 3) { nodes { name } } }" }),
    });
    const body = (await response.json()) as { data: { departments: { nodes: unknown[] } }; extensions: { cost: { requestedQueryCost: number } } };
    expect(body.data.departments.nodes).toHaveLength(3);
    const requestId = response.headers.get("x-request-id");

    // Not on the public port when METRICS_PORT is set.
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).not.toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('graphql_requests_total{operation="Departments",type="query",outcome="success"} 1');
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);

    await server.waitFor(String(requestId));
    const line = server.logLines().find((each) => each.requestId === requestId);
    expect(line).toMatchObject({ msg: "request", operation: "Departments", status: 200, outcome: "success", cost: body.extensions.cost.requestedQueryCost });
    expect(typeof line?.durationMs).toBe("number");
    expect(line?.traceId).toMatch(/^[0-9a-f]{32}$/);

    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // The last batch of spans is sent before the process exits.
    receiver.close();
    expect(spanNames).toEqual(expect.arrayContaining(["query Departments", "graphql.parse", "graphql.validate", "graphql.execute", "select"]));
  });
});

describe("friendly failures", () => {
  it("a taken port: one line naming it and how to choose another, exit 1", async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const server = spawnServer(process.execPath, [compiledMain], { ...database.env, PORT: String(port) });
      expect(await server.exited).toEqual({ code: 1, signal: null });
      const lines = server.output().trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${port} is already in use`);
      expect(lines[0]).toContain(`PORT=${port + 1}`);
    } finally {
      blocker.close();
    }
  });

  it("bad settings: one line each, before anything starts, exit 1", async () => {
    const server = spawnServer(process.execPath, [compiledMain], {
      ...database.env,
      PORT: "eighty",
      LOG_LEVEL: "loud",
      STATEMENT_TIMEOUT_MS: "-5",
      OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318",
      DATABASE_READ_URL: "mysql://replica/db",
    });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    const lines = server.output().trim().split("\n");
    expect(lines).toEqual([
      'STATEMENT_TIMEOUT_MS must be a positive whole number, got "-5"',
      'PORT must be a port number from 0 to 65535, got "eighty"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be a http: or https: URL, got "collector:4318"',
      'DATABASE_READ_URL must be a postgres:// URL, got "mysql://replica/db"',
    ]);
  });
});
