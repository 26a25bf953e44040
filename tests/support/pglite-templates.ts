// Run by the global setup as a process of its own, while the first test files already run:
// PGlite works on the thread that calls it (initdb alone holds it for seconds), and the
// vitest process must keep serving the workers meanwhile. Writes one data-folder dump per
// template into the folder given, each renamed into place only when whole; when it fails, the
// global setup writes what it printed where the waiting files look (support/databases.ts).
import { renameSync, writeFileSync } from "node:fs";
import { createDatabase, type DatabaseHandle } from "../../packages/server/src/db/database.ts";
import { pgliteTemplateFile, prepareTemplate, type TemplateName } from "./templates.ts";

async function dump(handle: DatabaseHandle, folder: string, template: TemplateName): Promise<Blob> {
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

const folder = process.argv[2];
if (!folder) throw new Error("usage: pglite-templates.ts <folder>");
await build(folder);
