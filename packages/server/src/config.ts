// Environment → the server's settings, read once in main.ts (the readers, and the database
// settings the CLIs share, are in env.ts). Every variable is listed in docs/operations.md; a
// malformed value stops the server at startup with its name.
import type { DatabaseKind } from "./db/database.ts";
import { count, flag, pathFrom, sdkPersistedDocuments } from "./env.ts";
import type { QueryLimits } from "./graphql/query-limits.ts";
import { type AdmissionOptions, defaultAdmission } from "./http/admission.ts";
import { deliveryOptionsFromEnv } from "./http/delivery.ts";
import { loadTrustedDocuments } from "./http/trusted-documents.ts";
import type { AppOptions } from "./yoga.ts";

/** The app's limits and modes; createApp's defaults apply to everything unset. */
export function appOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<AppOptions, "database"> {
  const limits: Partial<QueryLimits> = {};
  const limitVariables = {
    maxCost: "MAX_QUERY_COST",
    maxDepth: "MAX_QUERY_DEPTH",
    maxAliases: "MAX_QUERY_ALIASES",
    maxDirectives: "MAX_QUERY_DIRECTIVES",
    maxTokens: "MAX_QUERY_TOKENS",
  } as const;
  for (const [key, name] of Object.entries(limitVariables) as Array<[keyof QueryLimits, string]>) {
    const value = count(env, name);
    if (value !== undefined) limits[key] = value;
  }
  const options: Omit<AppOptions, "database"> = { limits, fieldSuggestions: env.NODE_ENV === "development", delivery: deliveryOptionsFromEnv(env) };
  const requestTimeoutMs = count(env, "REQUEST_TIMEOUT_MS");
  if (requestTimeoutMs !== undefined) options.requestTimeoutMs = requestTimeoutMs;
  const maxRequestBodyBytes = count(env, "MAX_REQUEST_BODY_BYTES");
  if (maxRequestBodyBytes !== undefined) options.maxRequestBodyBytes = maxRequestBodyBytes;
  const introspection = flag(env, "INTROSPECTION");
  if (introspection !== undefined) options.introspection = introspection;
  if (env.TRUSTED_DOCUMENTS) options.trustedDocuments = loadTrustedDocuments(pathFrom(env, env.TRUSTED_DOCUMENTS));
  else options.knownDocuments = loadTrustedDocuments(sdkPersistedDocuments);
  return options;
}

/** Where the server listens and how it reports; main.ts reads it after configurationProblems() passed. */
export function serverOptionsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  return {
    port: port(env, "PORT") ?? 4000,
    host: env.HOST || "localhost",
    /** A separate listener for /metrics (kept off the public port); unset serves it beside /graphql. */
    metricsPort: port(env, "METRICS_PORT"),
    logLevel: logLevel(env),
    /** OTLP/HTTP collector; unset leaves tracing off (its SDK is not even loaded). */
    otlpEndpoint: url(env, "OTEL_EXPORTER_OTLP_ENDPOINT", ["http:", "https:"]),
    serviceName: env.OTEL_SERVICE_NAME || "welfare-graph",
  };
}

/** Read replicas for queries (DATABASE_READ_URL, comma-separated); the primary keeps migrations and imports. */
export function replicaOptionsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const text = env.DATABASE_READ_URL ?? "";
  const urls = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  for (const each of urls) postgresUrl("DATABASE_READ_URL", each);
  if (urls.length && !env.DATABASE_URL) throw new Error("DATABASE_READ_URL needs DATABASE_URL (the primary): replicas of the embedded PGlite do not exist");
  return {
    readUrls: urls,
    /** A replica further behind than this serves nothing until it catches up. */
    maxLagMs: count(env, "REPLICA_MAX_LAG_MS") ?? 10_000,
    checkIntervalMs: count(env, "REPLICA_CHECK_INTERVAL_MS") ?? 2_000,
  };
}

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const text = env.LOG_LEVEL?.toLowerCase();
  if (!text) return "info";
  const level = logLevels.find((each) => each === text);
  if (!level) throw new Error(`LOG_LEVEL must be one of ${logLevels.join(", ")}, got "${env.LOG_LEVEL}"`);
  return level;
}

function port(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0 || value > 65_535) throw new Error(`${name} must be a port number from 0 to 65535, got "${text}"`);
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const text = env[name];
  if (!text) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Error(`${name} must be a URL (${protocols.join(" or ")}), got "${text}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new Error(`${name} must be a ${protocols.join(" or ")} URL, got "${text}"`);
  return text;
}

function postgresUrl(name: string, text: string): string {
  // Shown without the password: a configuration error is printed.
  const shown = text.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Error(`${name} must be a postgres:// URL, got "${shown}"`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") throw new Error(`${name} must be a postgres:// URL, got "${shown}"`);
  return text;
}

/**
 * Every malformed setting, one line each, before anything starts (main.ts prints them and exits
 * 1). Each reader throws at its first problem, so each variable is checked on its own here.
 */
export function configurationProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  const check = (read: () => unknown) => {
    try {
      read();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  };
  const counts = [
    "STATEMENT_TIMEOUT_MS",
    "DB_POOL_SIZE",
    "DB_CONNECTION_TIMEOUT_MS",
    "REQUEST_TIMEOUT_MS",
    "MAX_REQUEST_BODY_BYTES",
    "MAX_QUERY_COST",
    "MAX_QUERY_DEPTH",
    "MAX_QUERY_ALIASES",
    "MAX_QUERY_DIRECTIVES",
    "MAX_QUERY_TOKENS",
    "SHUTDOWN_TIMEOUT_MS",
    "REPLICA_MAX_LAG_MS",
    "REPLICA_CHECK_INTERVAL_MS",
  ];
  for (const name of counts) check(() => count(env, name));
  check(() => flag(env, "INTROSPECTION"));
  check(() => port(env, "PORT"));
  check(() => port(env, "METRICS_PORT"));
  check(() => logLevel(env));
  check(() => url(env, "OTEL_EXPORTER_OTLP_ENDPOINT", ["http:", "https:"]));
  if (env.DATABASE_URL) check(() => postgresUrl("DATABASE_URL", env.DATABASE_URL ?? ""));
  check(() => replicaOptionsFromEnv(env));
  check(() => admissionOptionsFromEnv(env, env.DATABASE_URL ? "postgres" : "pglite", 10));
  if (env.TRUSTED_DOCUMENTS) check(() => loadTrustedDocuments(pathFrom(env, env.TRUSTED_DOCUMENTS ?? "")));
  if (env.PORT && env.METRICS_PORT && env.PORT === env.METRICS_PORT && env.PORT !== "0") problems.push(`METRICS_PORT must differ from PORT (both ${env.PORT})`);
  return [...new Set(problems)];
}

/** How long a SIGTERM waits for in-flight requests before giving up (exit 1). */
export function shutdownTimeoutMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return count(env, "SHUTDOWN_TIMEOUT_MS") ?? 10_000;
}

/**
 * Admission control of GraphQL requests (docs/operations.md, "Overload and admission control"):
 * defaults follow the engine and pool size; MAX_QUEUED_REQUESTS may be 0 (refuse at once).
 */
export function admissionOptionsFromEnv(env: NodeJS.ProcessEnv, kind: DatabaseKind, poolSize: number): AdmissionOptions {
  const defaults = defaultAdmission(kind, poolSize);
  const queuedText = env.MAX_QUEUED_REQUESTS;
  let maxQueued = defaults.maxQueued;
  if (queuedText !== undefined && queuedText !== "") {
    maxQueued = Number(queuedText);
    if (!Number.isSafeInteger(maxQueued) || maxQueued < 0) throw new Error(`MAX_QUEUED_REQUESTS must be a whole number (0 or more), got "${queuedText}"`);
  }
  return {
    maxConcurrent: count(env, "MAX_CONCURRENT_REQUESTS") ?? defaults.maxConcurrent,
    maxQueued,
    maxQueueWaitMs: count(env, "QUEUE_TIMEOUT_MS") ?? defaults.maxQueueWaitMs,
    retryAfterSeconds: defaults.retryAfterSeconds,
  };
}
