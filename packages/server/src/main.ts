// Reads the configuration, prepares the database in the background, listens, and shuts down
// cleanly: on SIGTERM it stops accepting, finishes in-flight requests, closes the pool, exits 0.
import { prepareDatabase } from "./app-database.ts";
import { admissionOptionsFromEnv, appOptionsFromEnv, databaseOptionsFromEnv, shutdownTimeoutMsFromEnv } from "./config.ts";
import { createDatabase } from "./db/database.ts";
import { createHttpServer } from "./http/server.ts";
import { createApp } from "./yoga.ts";

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "localhost";
const dbOptions = databaseOptionsFromEnv();
const appOptions = appOptionsFromEnv();
const shutdownTimeoutMs = shutdownTimeoutMsFromEnv();

// A pg pool connects lazily, so this succeeds with the database down.
const handle = await createDatabase(dbOptions);
const preparation = prepareDatabase(handle, {
  onRetry: (error, delayMs) => console.warn(`database not reachable (${error instanceof Error ? error.message : String(error)}); retrying in ${delayMs} ms`),
});
let stopping = false;
preparation.done.then(
  (loaded) => {
    if (loaded) {
      console.log(`loaded the bundled dataset: ${loaded.departments} departments, ${loaded.projects} projects, ${loaded.beneficiaryFigures + loaded.usageFigures} figures`);
    }
    console.log("database ready");
  },
  (error) => {
    if (stopping) return;
    console.error("cannot prepare the database:", error);
    process.exit(1);
  },
);

const app = createApp({ ...appOptions, database: handle, isPrepared: () => preparation.prepared });
const { server, shutdown } = createHttpServer(app, { admission: admissionOptionsFromEnv(process.env, handle.kind, dbOptions.poolSize) });
server.listen(port, host, () => {
  const where = handle.kind === "postgres" ? "PostgreSQL" : `embedded PGlite in ${dbOptions.dataDir}`;
  const mode = appOptions.trustedDocuments ? ` (trusted documents only: ${appOptions.trustedDocuments.size})` : "";
  console.log(`welfare-graph listening: http://${host}:${port}/graphql${mode} (${where})`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests`);
    setTimeout(() => {
      console.error(`in-flight requests did not finish within ${shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    preparation.stop();
    void shutdown()
      .then(() => handle.close())
      .then(() => {
        console.log("stopped");
        process.exit(0);
      });
  });
}
