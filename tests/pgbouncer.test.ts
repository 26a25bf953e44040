// The app through a real PgBouncer in transaction mode (Debian package pgbouncer, installed by
// .ci/run): migrations, the bundled import and concurrent queries, with PgBouncer holding two
// server connections for eight client ones, so that nothing may rely on session state.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prepareDatabase } from "../packages/server/src/app-database.ts";
import { createDatabase, type DatabaseHandle } from "../packages/server/src/db/database.ts";
import { createApp } from "../packages/server/src/yoga.ts";
import { createTestDatabase, engines, type TestDatabase } from "./support/databases.ts";
import { freePort } from "./support/throwaway-postgres.ts";

const pgbouncerBinary = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].find((file) => existsSync(file));
const serverConnections = 2;

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe.runIf(engines().includes("postgres") && pgbouncerBinary)("through PgBouncer in transaction mode", () => {
  let database: TestDatabase;
  let bouncer: ChildProcess;
  let dir: string;
  let handle: DatabaseHandle;
  let bouncerLog = "";

  beforeAll(async () => {
    // An empty database: migrations and the import go through PgBouncer too.
    database = await createTestDatabase("postgres", { migrate: false });
    const target = new URL(inject("postgresUrl"));
    const port = await freePort();
    dir = mkdtempSync(path.join(tmpdir(), "wg-pgbouncer-"));
    writeFileSync(path.join(dir, "userlist.txt"), `"${decodeURIComponent(target.username) || "postgres"}" ""\n`);
    writeFileSync(
      path.join(dir, "pgbouncer.ini"),
      [
        "[databases]",
        `* = host=${target.hostname} port=${target.port || 5432}`,
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        `listen_port = ${port}`,
        "unix_socket_dir =",
        "auth_type = trust",
        `auth_file = ${path.join(dir, "userlist.txt")}`,
        "pool_mode = transaction",
        `default_pool_size = ${serverConnections}`,
        "max_client_conn = 100",
        // node-postgres sends statement_timeout at login; PgBouncer cannot pass it on per client.
        // Production sets it on the role instead (docs/operations.md).
        "ignore_startup_parameters = statement_timeout",
        "",
      ].join("\n"),
    );
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      for (const file of ["", "userlist.txt", "pgbouncer.ini"]) chownSync(path.join(dir, file), uid, gid);
    }
    const ini = path.join(dir, "pgbouncer.ini");
    // PgBouncer refuses to run as root.
    bouncer = asRoot ? spawn("runuser", ["-u", "postgres", "--", pgbouncerBinary!, ini]) : spawn(pgbouncerBinary!, [ini]);
    bouncer.stderr?.on("data", (chunk) => (bouncerLog += String(chunk)));
    bouncer.stdout?.on("data", (chunk) => (bouncerLog += String(chunk)));
    const end = Date.now() + 30_000;
    while (!(await accepting(port))) {
      if (Date.now() > end || bouncer.exitCode !== null) throw new Error(`PgBouncer did not start:\n${bouncerLog}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const through = new URL(database.url!);
    through.host = `127.0.0.1:${port}`;
    // Debian's PgBouncer (1.18) keeps no named prepared statements in transaction mode: the
    // setting an operator uses there (DB_PREPARED_STATEMENTS=false, docs/operations.md).
    handle = await createDatabase({ url: through.toString(), poolSize: 8, statementTimeoutMs: 5_000, connectionTimeoutMs: 60_000, preparedStatements: false });
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    bouncer?.kill("SIGTERM");
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("migrates and imports the bundled dataset through PgBouncer", async () => {
    const loaded = await prepareDatabase(handle).done;
    expect(loaded?.departments).toBe(15);
    expect(loaded?.projects).toBeGreaterThan(0);
  });

  it("answers concurrent queries over more client connections than server connections", { timeout: 180_000 }, async () => {
    // Queued behind two server connections on a busy machine: a generous time budget.
    const app = createApp({ database: handle, graphiql: false, requestTimeoutMs: 120_000 });
    const ask = async (index: number) => {
      const response = await app.fetch("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query:
            'query Page($first: Int!) { departments(first: $first) { totalCount nodes { name projects(first: 3) { nodes { amountThousandYen } } } } search(query: "里親", first: 2) { totalCount } }',
          variables: { first: 1 + (index % 5) },
        }),
      });
      return (await response.json()) as { data?: { departments: { totalCount: number; nodes: unknown[] }; search: { totalCount: number } }; errors?: unknown };
    };
    const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => ask(index)));
    answers.forEach((answer, index) => {
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      expect(answer.data?.departments.totalCount).toBe(15);
      expect(answer.data?.departments.nodes).toHaveLength(1 + (index % 5));
      expect(answer.data?.search.totalCount).toBeGreaterThan(0);
    });
    // PgBouncer multiplexed them: at most its pool size of server connections reached PostgreSQL.
    const direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    try {
      const { rows } = await direct.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
      expect(rows[0].n).toBeLessThanOrEqual(serverConnections);
    } finally {
      await direct.end();
    }
  });
});
