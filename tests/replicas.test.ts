// Read replicas for real: a throwaway primary and a streaming hot standby (pg_basebackup -R).
// Migrations and the import run on the primary and stream to the standby; queries read the
// standby; a standby that is behind or down is skipped and the primary answers.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateAndLoad } from "../packages/server/src/app-database.ts";
import { createDatabase, type DatabaseHandle } from "../packages/server/src/db/database.ts";
import { type App, createApp } from "../packages/server/src/yoga.ts";
import { createReplicatedPair, type ReplicatedPair } from "./support/replication.ts";
import { throwawayPostgresUnavailable } from "./support/throwaway-postgres.ts";
import { until } from "./support/waits.ts";

// A standby that starts, catches up or restarts can take a while on a busy machine.
const replicationBound = 60_000;

const unavailable = throwawayPostgresUnavailable();
const query = "query Department { departments(first: 1) { nodes { nameEn } } }";

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function firstDepartment(app: App): Promise<{ nameEn: string }> {
  const response = await app.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: { departments: { nodes: Array<{ nameEn: string }> } }; errors?: unknown };
  if (!body.data) throw new Error(`query failed: ${JSON.stringify(body.errors)}`);
  return body.data.departments.nodes[0]!;
}

async function readiness(app: App) {
  const response = await app.fetch("http://localhost/readyz");
  return { status: response.status, body: (await response.json()) as { status: string; replicas?: Array<{ name: string; state: string }> } };
}

describe.skipIf(unavailable)("read replicas (primary + streaming hot standby)", () => {
  let pair: ReplicatedPair;
  let primaryUrl: string;
  let standbyUrl: string;
  const handles: DatabaseHandle[] = [];
  const open = async (maxLagMs: number) => {
    const handle = await createDatabase({ url: primaryUrl, readUrls: [standbyUrl], replicaMaxLagMs: maxLagMs, replicaCheckIntervalMs: 100, poolSize: 3 });
    handles.push(handle);
    return { handle, app: createApp({ database: handle, graphiql: false }) };
  };

  beforeAll(async () => {
    pair = await createReplicatedPair();
    await sql(pair.primary.url("postgres"), "create database wg");
    primaryUrl = pair.primary.url("wg");
    standbyUrl = pair.standby.url("wg");
    // Migrations and the import on the primary, as main.ts does; they stream to the standby.
    const writer = await createDatabase({ url: primaryUrl });
    try {
      expect((await migrateAndLoad(writer))?.departments).toBe(15);
    } finally {
      await writer.close();
    }
    await until(
      async () => {
        try {
          return Number((await sql<{ n: string }>(standbyUrl, "select count(*) as n from department"))[0]!.n) === 15;
        } catch {
          return false;
        }
      },
      "the import reached the standby",
      replicationBound,
    );
  }, 180_000);

  afterAll(async () => {
    for (const handle of handles) await handle.close().catch(() => {});
    pair?.destroy();
  });

  it("reads through the standby, falls back to the primary when it is behind, then when it is down", async () => {
    const patient = await open(600_000);
    const strict = await open(300);
    await until(
      () => patient.handle.replicas!()[0]?.state === "up" && strict.handle.replicas!()[0]?.state === "up",
      "both see the standby up",
      replicationBound,
    );
    const before = await firstDepartment(patient.app);
    expect(await firstDepartment(strict.app)).toEqual(before);
    expect(await readiness(patient.app)).toEqual({ status: 200, body: { status: "ready", replicas: [expect.objectContaining({ state: "up" })] } });

    // Replay paused on the standby, a change on the primary: whoever reads the standby still
    // sees the old name; that is the proof the patient app reads there.
    await sql(standbyUrl, "select pg_wal_replay_pause()");
    await sql(primaryUrl, "update department set name_en = name_en || ' (renamed)'");
    await until(
      async () => (await sql<{ behind: boolean }>(standbyUrl, "select pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() as behind"))[0]!.behind,
      "the standby received the change without replaying it",
      replicationBound,
    );
    expect((await firstDepartment(patient.app)).nameEn).toBe(before.nameEn);

    // The strict app sees the standby behind (more than 300 ms of unreplayed WAL) and reads the primary.
    await until(() => strict.handle.replicas!()[0]?.state === "behind", "the strict app sees the standby behind", replicationBound);
    expect((await firstDepartment(strict.app)).nameEn).toBe(`${before.nameEn} (renamed)`);
    expect((await readiness(strict.app)).body.replicas).toEqual([expect.objectContaining({ state: "behind" })]);

    // Replay resumes: the standby catches up and serves again.
    await sql(standbyUrl, "select pg_wal_replay_resume()");
    await until(() => strict.handle.replicas!()[0]?.state === "up", "the standby is up again", replicationBound);
    expect((await firstDepartment(patient.app)).nameEn).toBe(`${before.nameEn} (renamed)`);

    // The standby crashes: queries keep answering from the primary, /readyz stays 200 and says so.
    pair.standby.crash();
    expect((await firstDepartment(patient.app)).nameEn).toBe(`${before.nameEn} (renamed)`);
    expect(patient.handle.replicas!()[0]?.state).toBe("down");
    expect(await readiness(patient.app)).toEqual({ status: 200, body: { status: "ready", replicas: [expect.objectContaining({ state: "down" })] } });

    // Back up: the check finds it and reads return to it.
    pair.standby.start();
    await until(() => patient.handle.replicas!()[0]?.state === "up", "the restarted standby is up", replicationBound);
    expect((await firstDepartment(patient.app)).nameEn).toBe(`${before.nameEn} (renamed)`);
  });
});
