// Opens the configured database, migrates it, and loads the bundled dataset into an empty one.
import { bundledDataFolder } from "./config.ts";
import { createDatabase, type DatabaseHandle, type DatabaseOptions } from "./db/database.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { DatasetInvalidError, loadDataset } from "./import/load.ts";
import { type ImportSummary, importDataset } from "./import/write.ts";

export async function isEmpty(handle: DatabaseHandle): Promise<boolean> {
  const row = await handle.db.selectFrom("source_document").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

export async function loadBundledDataset(handle: DatabaseHandle, folder = bundledDataFolder): Promise<ImportSummary> {
  const { dataset, issues } = loadDataset(folder);
  if (issues.length) throw new DatasetInvalidError(issues);
  return importDataset(handle.db, dataset);
}

export async function openDatabase(options: DatabaseOptions): Promise<{ handle: DatabaseHandle; loaded?: ImportSummary }> {
  const handle = await createDatabase(options);
  try {
    await migrateToLatest(handle.db);
    if (await isEmpty(handle)) return { handle, loaded: await loadBundledDataset(handle) };
    return { handle };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
