// Reads the configuration, prepares the database, listens, and shuts down cleanly.
import { createServer } from "node:http";
import { databaseOptionsFromEnv } from "./config.ts";
import { openDatabase } from "./app-database.ts";
import { createApp } from "./yoga.ts";

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "localhost";
const dbOptions = databaseOptionsFromEnv();

const { handle, loaded } = await openDatabase(dbOptions);
if (loaded) {
  console.log(`loaded the bundled dataset: ${loaded.departments} departments, ${loaded.projects} projects, ${loaded.beneficiaryFigures + loaded.usageFigures} figures`);
}
const app = createApp({ database: handle });
const server = createServer(app);
server.listen(port, host, () => {
  const where = handle.kind === "postgres" ? "PostgreSQL" : `embedded PGlite in ${dbOptions.dataDir}`;
  console.log(`welfare-graph ready: GraphiQL at http://${host}:${port}/graphql (${where})`);
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Stop accepting, let in-flight requests finish, then release the database.
    server.close(async () => {
      await handle.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}
