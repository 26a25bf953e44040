// When a request runs out of time its work stops: on PostgreSQL the statement it is running is
// cancelled on the server (seen in pg_stat_activity while the lock that blocks it is still
// held), on PGlite its queued statement is never run. The connection serves again afterwards.
// Real waits, no mocks: another session's table lock (PostgreSQL) or a transaction holding
// PGlite's only connection makes a real query block.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "../packages/server/src/db/database.ts";
import { RequestCancelledError } from "../packages/server/src/db/request-scope.ts";
import { type App, createApp } from "../packages/server/src/yoga.ts";
import { postGraphQL, startTestApp, type TestApp } from "./support/app.ts";
import { engines, pgliteTemplate } from "./support/databases.ts";
import { holdDepartments, until } from "./support/waits.ts";

const departmentsQuery = "{ departments(first: 1) { nodes { name } } }";

describe.runIf(engines().includes("postgres"))("cancellation on postgres", () => {
  let t: TestApp;
  let observer: pg.Client;
  beforeAll(async () => {
    // No statement_timeout: without cancellation the blocked statement would wait for ever. A
    // budget of 2 s, so that even a loaded machine sends the statement before it runs out.
    t = await startTestApp("postgres", { app: { requestTimeoutMs: 2_000 } });
    observer = new pg.Client({ connectionString: t.database.url });
    await observer.connect();
  });
  afterAll(async () => {
    await observer?.end();
    await t?.close();
  });

  /** The app's statements currently running on the department table (ours excluded). */
  const runningOnDepartments = async () => {
    const { rows } = await observer.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state = 'active' and query ilike '%from "department"%'`,
    );
    return Number(rows[0]!.n);
  };

  it("cancels the running statement when the time budget runs out, and the connection serves again", async () => {
    const hold = await holdDepartments(t.database);
    try {
      const answer = t.graphql(departmentsQuery);
      await until(async () => (await runningOnDepartments()) === 1, "the request's statement waits on the lock");
      const { status, body } = await answer;
      expect(status).toBe(504);
      expect(body.errors?.[0]?.extensions?.code).toBe("REQUEST_TIMEOUT");
      // Still locked: only a cancel can have ended the statement.
      await until(async () => (await runningOnDepartments()) === 0, "the statement was cancelled while the lock is held");
      const cancelled = await observer.query<{ n: string }>(
        // Client sessions only: an autovacuum worker may queue for the table behind the held lock too.
        `select count(*) as n from pg_locks l join pg_class c on c.oid = l.relation join pg_stat_activity a on a.pid = l.pid
          where c.relname = 'department' and not l.granted and a.backend_type = 'client backend'`,
      );
      expect(Number(cancelled.rows[0]!.n)).toBe(0);
    } finally {
      await hold.release();
    }
    const after = await t.graphql(departmentsQuery);
    expect(after.body.data.departments.nodes).toHaveLength(1);
    expect(t.database.poolStats!().waiting).toBe(0);
  });
});

describe.runIf(engines().includes("pglite"))("cancellation on pglite", () => {
  let handle: DatabaseHandle;
  let app: App;
  /** Statements PGlite ran, and those refused before reaching it (Kysely logs both, by level). */
  const ran: string[] = [];
  const refused: unknown[] = [];
  beforeAll(async () => {
    // The loaded template (migrated, bundled data imported), opened with this test's own hook.
    handle = await createDatabase({
      dataDir: "memory://",
      loadDataDir: await pgliteTemplate("loaded"),
      onQuery: (event) => {
        if (event.level === "query") ran.push(event.query.sql);
        else refused.push(event.error);
      },
    });
    app = createApp({ database: handle, requestTimeoutMs: 2_000, logError: () => {} });
  });
  afterAll(() => handle?.close());

  it("drops the queued statements of a request whose time ran out, and serves again", async () => {
    // The single connection is held by a transaction: the request's statement can only queue.
    const hold = await holdDepartments(handle);
    const before = ran.length;
    try {
      const { status, body } = await postGraphQL(app, { query: departmentsQuery });
      expect(status).toBe(504);
      expect(body.errors[0].extensions.code).toBe("REQUEST_TIMEOUT");
    } finally {
      await hold.release();
    }
    // A later request queues behind the dropped one: had that one run, it would be logged first.
    const after = await postGraphQL(app, { query: "{ fiscalYears(first: 1) { nodes { year } } }" });
    expect(after.body.data.fiscalYears.nodes).toHaveLength(1);
    const sent = ran.slice(before);
    expect(sent.some((s) => s.includes("fiscal_year"))).toBe(true);
    expect(sent.filter((s) => s.includes('from "department"'))).toEqual([]);
    expect(refused.some((e) => e instanceof RequestCancelledError)).toBe(true);
    expect((await postGraphQL(app, { query: departmentsQuery })).body.data.departments.nodes).toHaveLength(1);
  });
});
