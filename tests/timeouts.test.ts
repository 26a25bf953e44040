// Time limits with real waits, no mocks: a table lock (or, on PGlite, a held transaction on
// its single connection) makes the database wait, and the limits must answer for it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "../packages/server/src/db/database.ts";
import { createApp } from "../packages/server/src/yoga.ts";
import type { Json } from "./support/app.ts";
import { postGraphQL, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { holdDepartments, until } from "./support/waits.ts";

const query = "{ departments(first: 1) { nodes { name } } }";

const ask = (app: Parameters<typeof postGraphQL>[0]) => postGraphQL(app, { query });

describe.each(engines())("time limits on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { app: { requestTimeoutMs: 300 } });
  });
  afterAll(() => t?.close());

  it("answers REQUEST_TIMEOUT when the request's time budget runs out, then serves again", async () => {
    const hold = await holdDepartments(t.database);
    try {
      const { status, body } = await ask(t.app);
      expect(status).toBe(504);
      expect(body.errors[0].extensions.code).toBe("REQUEST_TIMEOUT");
      expect(body.errors[0].message).toMatch(/time budget of 300 ms; ask for fewer items/);
    } finally {
      await hold.release();
    }
    const after = await ask(t.app);
    expect(after.body.data.departments.nodes).toHaveLength(1);
  });
});

describe.runIf(engines().includes("postgres"))("database time and pool limits on postgres", () => {
  let t: TestApp;
  const handles: DatabaseHandle[] = [];
  beforeAll(async () => {
    t = await startTestApp("postgres");
  });
  afterAll(async () => {
    for (const handle of handles) await handle.close();
    await t?.close();
  });
  const appOver = async (options: { statementTimeoutMs?: number; poolSize: number; connectionTimeoutMs: number }) => {
    const handle = await createDatabase({ url: t.database.url, ...options });
    handles.push(handle);
    return { handle, app: createApp({ database: handle, logError: () => {} }) };
  };

  it("cancels a statement over statement_timeout and answers REQUEST_TIMEOUT", async () => {
    const { app } = await appOver({ statementTimeoutMs: 200, poolSize: 2, connectionTimeoutMs: 5_000 });
    const hold = await holdDepartments(t.database);
    try {
      const { status, body } = await ask(app);
      expect(status).toBe(504);
      expect(body.errors[0].extensions.code).toBe("REQUEST_TIMEOUT");
      expect(body.errors[0].message).toMatch(/per-statement time limit/);
    } finally {
      await hold.release();
    }
    expect((await ask(app)).body.data.departments.nodes).toHaveLength(1);
  });

  it("queues requests when every pooled connection is busy: 40 at once over 2 connections all succeed", async () => {
    const { app, handle } = await appOver({ poolSize: 2, connectionTimeoutMs: 30_000 });
    const results = await Promise.all(Array.from({ length: 40 }, () => ask(app)));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(results.every((r) => r.body.data.departments.nodes.length === 1)).toBe(true);
    expect(handle.poolStats!().total).toBeLessThanOrEqual(2);
  });

  it("fails only the requests that waited longer than the connection timeout, with SERVICE_UNAVAILABLE", async () => {
    const { app, handle } = await appOver({ poolSize: 2, connectionTimeoutMs: 300 });
    const hold = await holdDepartments(t.database);
    const settled: Array<{ status: number; body: Json }> = [];
    const requests = Array.from({ length: 6 }, () => ask(app).then((r) => settled.push(r)));
    try {
      // Two requests hold the two connections (waiting on the lock); the other four time out.
      await until(() => settled.length === 4, "four requests gave up waiting for a connection");
    } finally {
      await hold.release();
    }
    await Promise.all(requests);
    const codes = settled.map((r) => r.body.errors?.[0]?.extensions?.code ?? "OK");
    expect(codes.slice(0, 4)).toEqual(Array(4).fill("SERVICE_UNAVAILABLE"));
    expect(settled[0]!.status).toBe(503);
    expect(settled[0]!.body.errors[0].message).toMatch(/every database connection is busy/);
    expect(codes.slice(4)).toEqual(["OK", "OK"]);
    expect(handle.poolStats!().waiting).toBe(0);
    expect((await ask(app)).status).toBe(200);
  });
});
