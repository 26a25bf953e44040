// SIGTERM on the real server process: it stops accepting, finishes the request in flight,
// closes its pool and exits 0 within its bound.
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Json } from "./support/app.ts";
import { createTestDatabase, engines, type TestDatabase } from "./support/databases.ts";
import { freePort } from "./support/throwaway-postgres.ts";

const serverDir = path.join(import.meta.dirname, "../packages/server");
const applicationName = "wg-sigterm-test";

async function until(condition: () => boolean | Promise<boolean>, what: string, bound = 60_000) {
  const end = Date.now() + bound;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

describe.runIf(engines().includes("postgres"))("SIGTERM on the server process", () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;
  const output: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("postgres", { load: true });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await database?.drop();
  });

  it("stops accepting, finishes the in-flight request, closes the pool, exits 0", async () => {
    const port = await freePort();
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: serverDir,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: String(port),
        HOST: "127.0.0.1",
        STATEMENT_TIMEOUT_MS: "60000",
        SHUTDOWN_TIMEOUT_MS: "30000",
        DB_APPLICATION_NAME: applicationName,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk) => output.push(String(chunk)));
    child.stderr!.on("data", (chunk) => output.push(String(chunk)));
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    await until(() => output.join("").includes("database ready"), "the server is ready");
    const url = `http://127.0.0.1:${port}/graphql`;

    // Hold the table, so that a request is in flight (waiting on the lock) when SIGTERM comes.
    const holder = new pg.Client({ connectionString: database.url });
    // On a failed run the database is dropped under this client: that must not throw.
    holder.on("error", () => {});
    onTestFinished(() => holder.end().catch(() => {}));
    await holder.connect();
    await holder.query("begin");
    await holder.query("lock table department in access exclusive mode");
    const inFlight = fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ departments(first: 2) { nodes { name } } }" }),
    });
    const waiting = async () =>
      Number((await holder.query("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0].n) > 0;
    await until(waiting, "the request waits on the lock");

    child.kill("SIGTERM");
    await until(() => output.join("").includes("finishing in-flight requests"), "the server begins to stop");
    expect(await refusesConnections(port)).toBe(true);
    expect(child.exitCode).toBeNull();

    await holder.query("rollback");
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as Json).data.departments.nodes).toHaveLength(2);

    const code = await exited;
    expect(code, output.join("")).toBe(0);
    expect(output.join("")).toContain("stopped");
    const { rows } = await holder.query("select count(*) as n from pg_stat_activity where datname = current_database() and application_name = $1", [
      applicationName,
    ]);
    expect(Number(rows[0].n)).toBe(0);
  });
});
