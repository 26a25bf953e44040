import { databaseOptionsFromEnv } from "../env.ts";
import { createDatabase } from "./database.ts";
import { migrateToLatest } from "./migrate.ts";
import { compileWebAssemblyForOneJob } from "./one-job.ts";

compileWebAssemblyForOneJob();
const handle = await createDatabase(databaseOptionsFromEnv());
try {
  const applied = await migrateToLatest(handle.db);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
} finally {
  await handle.close();
}
