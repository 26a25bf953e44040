// Reads the configuration, prepares the database in the background, listens, and shuts down
// cleanly: on SIGTERM/SIGINT it stops accepting, finishes in-flight requests, closes the pools,
// sends the last spans, exits 0. A bad setting or a taken port is one line and exit 1.
import { createServer, type Server } from "node:net";
import { prepareDatabase } from "./app-database.ts";
import {
  admissionOptionsFromEnv,
  appOptionsFromEnv,
  configurationProblems,
  replicaOptionsFromEnv,
  serverOptionsFromEnv,
  shutdownTimeoutMsFromEnv,
} from "./config.ts";
import { createDatabase } from "./db/database.ts";
import { databaseOptionsFromEnv } from "./env.ts";
import { createHttpServer } from "./http/server.ts";
import { createLogger, errorLogger, requestLogger } from "./observability/logging.ts";
import { createMetrics, createMetricsServer, metricsEndpointPlugin } from "./observability/metrics.ts";
import { requestFactsPlugin } from "./observability/request-facts.ts";
import type { Tracing } from "./observability/tracing.ts";
import { createApp } from "./yoga.ts";

/** Startup failures are plain lines on stderr: nothing is served yet, a person is reading. */
function fail(lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(1);
}

const problems = configurationProblems();
if (problems.length) fail(problems);

const settings = serverOptionsFromEnv();
const dbOptions = databaseOptionsFromEnv();
const replicaOptions = replicaOptionsFromEnv();
const appOptions = appOptionsFromEnv();
const shutdownTimeoutMs = shutdownTimeoutMsFromEnv();

function portTaken(port: number, variable: string): string {
  const another = port === 65_535 ? port - 1 : port + 1;
  return `port ${port} is already in use (another welfare-graph running?); choose another with ${variable}, e.g. ${variable}=${another} npx --yes pnpm@12.4.2 start`;
}

/** Fails fast on a taken port, before the database (a PGlite folder must not be opened twice). */
async function checkPortFree(port: number, host: string, variable: string): Promise<void> {
  if (port === 0) return;
  const probe: Server = createServer();
  await new Promise<void>((resolve) => {
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") fail([portTaken(port, variable)]);
      if (error.code === "EACCES") fail([`port ${port} needs privileges on ${host}; choose a port above 1023 with ${variable}`]);
      fail([`cannot listen on ${host}:${port} (${error.message}); check HOST and ${variable}`]);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

await checkPortFree(settings.port, settings.host, "PORT");
if (settings.metricsPort !== undefined) await checkPortFree(settings.metricsPort, settings.host, "METRICS_PORT");

const logger = createLogger({ level: settings.logLevel });
// The OpenTelemetry SDK is loaded only when traces have somewhere to go.
const tracing: Tracing | undefined = settings.otlpEndpoint
  ? (await import("./observability/tracing.ts")).startTracing({ endpoint: settings.otlpEndpoint, serviceName: settings.serviceName })
  : undefined;
const metrics = createMetrics();

// A pg pool connects lazily, so this succeeds with the database down.
const handle = await createDatabase({
  ...dbOptions,
  readUrls: replicaOptions.readUrls,
  replicaMaxLagMs: replicaOptions.maxLagMs,
  replicaCheckIntervalMs: replicaOptions.checkIntervalMs,
  onReplicaStateChange: (status, previous) => {
    const line = { replica: status.name, state: status.state, previous, ...(status.lagMs !== undefined ? { lagMs: status.lagMs } : {}) };
    if (status.state === "up") logger.info(line, "replica serves reads");
    else logger.warn(line, "replica skipped: its reads go to the primary");
  },
  onQuery: (event) => {
    metrics.observeStatement(event);
    tracing?.observeStatement(event);
  },
});
metrics.watchDatabase(handle);

const preparation = prepareDatabase(handle, {
  onRetry: (error, delayMs) => logger.warn({ err: error, delayMs }, "database not reachable; retrying"),
});
let stopping = false;
preparation.done.then(
  (loaded) => {
    if (loaded) {
      logger.info(
        { departments: loaded.departments, projects: loaded.projects, figures: loaded.beneficiaryFigures + loaded.usageFigures },
        "loaded the bundled dataset",
      );
    }
    logger.info("database ready");
  },
  (error) => {
    if (stopping) return;
    logger.fatal({ err: error }, "cannot prepare the database");
    process.exit(1);
  },
);

const app = createApp({
  ...appOptions,
  database: handle,
  isPrepared: () => preparation.prepared,
  logError: errorLogger(logger),
  observability: [
    ...(tracing ? [tracing.plugin] : []),
    requestFactsPlugin([metrics.observeRequest, requestLogger(logger)]),
    ...(settings.metricsPort === undefined ? [metricsEndpointPlugin(metrics)] : []),
  ],
});
const { server, shutdown } = createHttpServer(app, { admission: admissionOptionsFromEnv(process.env, handle.kind, dbOptions.poolSize ?? 10) });
const listenFailure = (variable: string, port: number) => (error: NodeJS.ErrnoException) => {
  fail([error.code === "EADDRINUSE" ? portTaken(port, variable) : `cannot listen on ${settings.host}:${port} (${error.message})`]);
};
const onListenError = listenFailure("PORT", settings.port);
server.once("error", onListenError);
server.listen(settings.port, settings.host, () => {
  server.off("error", onListenError);
  const where =
    handle.kind === "postgres"
      ? `PostgreSQL${replicaOptions.readUrls.length ? ` + ${replicaOptions.readUrls.length} read replica(s)` : ""}`
      : `embedded PGlite in ${dbOptions.dataDir}`;
  const mode = appOptions.trustedDocuments ? ` (trusted documents only: ${appOptions.trustedDocuments.size})` : "";
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : settings.port;
  logger.info(`welfare-graph listening: http://${settings.host}:${port}/graphql${mode} (${where})`);
});
const metricsServer = settings.metricsPort === undefined ? undefined : createMetricsServer(metrics);
if (metricsServer && settings.metricsPort !== undefined) {
  const metricsPort = settings.metricsPort;
  const onMetricsListenError = listenFailure("METRICS_PORT", metricsPort);
  metricsServer.once("error", onMetricsListenError);
  metricsServer.listen(metricsPort, settings.host, () => {
    metricsServer.off("error", onMetricsListenError);
    const address = metricsServer.address();
    logger.info(`metrics: http://${settings.host}:${typeof address === "object" && address ? address.port : metricsPort}/metrics`);
  });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing in-flight requests`);
    setTimeout(() => {
      logger.error(`in-flight requests did not finish within ${shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    preparation.stop();
    metricsServer?.close();
    void shutdown()
      .then(() => handle.close())
      .then(() => tracing?.shutdown())
      .catch((error: unknown) => logger.warn({ err: error }, "while stopping"))
      .then(() => {
        logger.info("stopped");
        process.exit(0);
      });
  });
}
