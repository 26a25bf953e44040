// Admission control over a real listening server: requests that cannot run or queue are
// refused at once with 503 + Retry-After, while /healthz still answers and the admitted ones
// complete. The database is made to wait for real (another session's lock on PostgreSQL, a
// transaction holding PGlite's only connection), so the admitted requests stay in flight.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admissionOptionsFromEnv } from "../packages/server/src/config.ts";
import { createHttpServer, type HttpServer } from "../packages/server/src/http/server.ts";
import { startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { holdDepartments, until } from "./support/waits.ts";

const query = "{ departments(first: 1) { nodes { name } } }";

describe.each(engines())("admission control on %s", (kind) => {
  let t: TestApp;
  let http: HttpServer;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(kind, { app: { requestTimeoutMs: 30_000 } });
    http = createHttpServer(t.app, { admission: { maxConcurrent: 2, maxQueued: 1, maxQueueWaitMs: 30_000, retryAfterSeconds: 1 } });
    await new Promise<void>((resolve) => http.server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    http?.server.closeAllConnections();
    await http?.shutdown();
    await t?.close();
  });

  const post = () => fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });

  it("refuses what exceeds running + queued with 503 and Retry-After at once, while /healthz answers", async () => {
    const { release } = await holdDepartments(t.database);
    const admitted: Array<Promise<Response>> = [];
    try {
      // Two run (blocked in the database), one waits in the queue.
      for (let i = 0; i < 3; i++) admitted.push(post());
      await until(() => http.admission!.stats().queued === 1, "two requests run and one waits");
      const refused = await Promise.all([post(), post(), post()]);
      for (const response of refused) {
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toBe("1");
        const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
        expect(body.errors[0]!.extensions.code).toBe("SERVICE_UNAVAILABLE");
        expect(body.errors[0]!.message).toMatch(/at capacity/);
      }
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(http.admission!.stats()).toMatchObject({ running: 2, queued: 1, refused: 3 });
    } finally {
      await release();
    }
    const answers = await Promise.all(admitted);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { data: { departments: { nodes: unknown[] } } }).data.departments.nodes).toHaveLength(1);
    }
    expect(http.admission!.stats()).toMatchObject({ running: 0, queued: 0 });
    expect((await post()).status).toBe(200);
  });

  it("refuses a queued request that waited longer than the queue allows", async () => {
    const short = createHttpServer(t.app, { admission: { maxConcurrent: 1, maxQueued: 5, maxQueueWaitMs: 200, retryAfterSeconds: 2 } });
    await new Promise<void>((resolve) => short.server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(short.server.address() as AddressInfo).port}/graphql`;
    const { release } = await holdDepartments(t.database);
    try {
      const running = fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
      await until(() => short.admission!.stats().running === 1, "one request runs");
      const waited = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
      expect(waited.status).toBe(503);
      expect(waited.headers.get("retry-after")).toBe("2");
      expect(short.admission!.stats().timedOut).toBe(1);
      await release();
      expect((await running).status).toBe(200);
    } finally {
      await release().catch(() => {});
      short.server.closeAllConnections();
      await short.shutdown();
    }
  });
});

describe("admission settings from the environment", () => {
  it("follow the engine by default and read the variables, refusing bad values with their name", () => {
    expect(admissionOptionsFromEnv({}, "pglite", 10)).toMatchObject({ maxConcurrent: 2, maxQueued: 4 });
    expect(admissionOptionsFromEnv({ MAX_CONCURRENT_REQUESTS: "6", MAX_QUEUED_REQUESTS: "0", QUEUE_TIMEOUT_MS: "250" }, "postgres", 10)).toMatchObject({
      maxConcurrent: 6,
      maxQueued: 0,
      maxQueueWaitMs: 250,
    });
    expect(() => admissionOptionsFromEnv({ MAX_QUEUED_REQUESTS: "-1" }, "postgres", 10)).toThrow(/MAX_QUEUED_REQUESTS must be a whole number/);
    expect(() => admissionOptionsFromEnv({ MAX_CONCURRENT_REQUESTS: "many" }, "postgres", 10)).toThrow(
      /MAX_CONCURRENT_REQUESTS must be a positive whole number/,
    );
  });
});
