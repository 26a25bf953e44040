// First start migrates and loads the bundled dataset; later starts find it and load nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "../packages/server/src/app-database.ts";
import { createDatabase, type DatabaseOptions } from "../packages/server/src/db/database.ts";
import type { Json } from "./support/app.ts";
import { createTestDatabase, engines } from "./support/databases.ts";

/** What main.ts does at start: open, then migrate and load in the background until done. */
async function openDatabase(options: DatabaseOptions) {
  const handle = await createDatabase(options);
  return { handle, loaded: await prepareDatabase(handle).done };
}

const countProjects = async (db: Json) =>
  Number(
    (
      await db
        .selectFrom("project")
        .select((eb: Json) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("startup on an embedded PGlite data folder", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "wg-pglite-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("loads the bundled dataset once and keeps it across restarts", async () => {
    const first = await openDatabase({ dataDir });
    expect(first.loaded?.projects).toBeGreaterThan(0);
    const projects = await countProjects(first.handle.db);
    expect(projects).toBe(first.loaded?.projects);
    await first.handle.close();

    const second = await openDatabase({ dataDir });
    expect(second.loaded).toBeUndefined();
    expect(await countProjects(second.handle.db)).toBe(projects);
    await second.handle.close();
  });
});

describe.runIf(engines().includes("postgres"))("startup on PostgreSQL", () => {
  it("migrates an empty database and loads the bundled dataset", async () => {
    const empty = await createTestDatabase("postgres", { migrate: false });
    try {
      const first = await openDatabase({ url: empty.url });
      expect(first.loaded?.departments).toBe(15);
      await first.handle.close();
      const second = await openDatabase({ url: empty.url });
      expect(second.loaded).toBeUndefined();
      await second.handle.close();
    } finally {
      await empty.drop();
    }
  });
});
