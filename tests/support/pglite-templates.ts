// Run by the global setup as a process of its own, while the first test files already run:
// PGlite works on the thread that calls it (initdb alone holds it for seconds), and the
// vitest process must keep serving the workers meanwhile. Writes one data-folder dump per
// template into the folder given, each renamed into place only when whole; when it fails, the
// global setup writes what it printed where the waiting files look (support/databases.ts).
import { renameSync, writeFileSync } from "node:fs";
import { sql } from "kysely";
import { createDatabase, type DatabaseHandle } from "../../packages/server/src/db/database.ts";
import { compileWebAssemblyForOneJob } from "../../packages/server/src/db/one-job.ts";
import { pgliteTemplateFile, prepareTemplate, type TemplateName } from "./templates.ts";

/**
 * Tests use only the database itself: template0 and template1 are half of a dump (loaded:
 * 33 → 16 MB), and every PGlite a test opens unpacks all of it (0.6 → 0.45 s each).
 */
async function dropTemplateDatabases(handle: DatabaseHandle): Promise<void> {
  await sql`update pg_database set datistemplate = false where datname in ('template0', 'template1')`.execute(handle.db);
  await sql`drop database template0`.execute(handle.db);
  await sql`drop database template1`.execute(handle.db);
}

async function dump(handle: DatabaseHandle, folder: string, template: TemplateName): Promise<Blob> {
  // Written out, the WAL segments it no longer needs are recycled: 2 MB less to unpack.
  await sql`checkpoint`.execute(handle.db);
  const data = await handle.dumpDataDir!();
  const file = pgliteTemplateFile(folder, template);
  writeFileSync(`${file}.partial`, new Uint8Array(await data.arrayBuffer()));
  renameSync(`${file}.partial`, file);
  return data;
}

async function build(folder: string): Promise<void> {
  // initdb once: the loaded and generated templates start from the migrated dump, the
  // loaded one in the same PGlite, the generated one in a second opened from the dump.
  const first = await createDatabase({ dataDir: "memory://" });
  let migrated: Blob;
  try {
    await dropTemplateDatabases(first);
    await prepareTemplate(first, "migrated");
    migrated = await dump(first, folder, "migrated");
    await prepareTemplate(first, "loaded");
    await dump(first, folder, "loaded");
  } finally {
    await first.close();
  }
  const second = await createDatabase({ dataDir: "memory://", loadDataDir: migrated });
  try {
    await prepareTemplate(second, "generated");
    await dump(second, folder, "generated");
  } finally {
    await second.close();
  }
}

compileWebAssemblyForOneJob();
const folder = process.argv[2];
if (!folder) throw new Error("usage: pglite-templates.ts <folder>");
await build(folder);
