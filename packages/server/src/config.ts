// Environment → settings, read once in main.ts and the CLIs. Every variable is listed in
// docs/operations.md; a malformed value stops the server at startup with its name.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { QueryLimits } from "./graphql/query-limits.ts";
import { loadTrustedDocuments } from "./http/trusted-documents.ts";
import type { AppOptions } from "./yoga.ts";

export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const bundledDataFolder = path.join(repositoryRoot, "data");

/**
 * The folder that relative paths in the environment (PGLITE_DATA_DIR, TRUSTED_DOCUMENTS) mean:
 * where the command was run. `pnpm start` runs main.ts inside packages/server, so a path typed
 * at the repository root would otherwise point into packages/server; pnpm keeps the folder it
 * was started in as INIT_CWD. A direct `node`/`tsx` run keeps its own working directory.
 */
export function launchFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_lifecycle_event && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

/** A path from the environment, relative to the launch folder; URLs such as memory:// stay as they are. */
function pathFrom(env: NodeJS.ProcessEnv, value: string): string {
  return value.includes("://") ? value : path.resolve(launchFolder(env), value);
}

/** A positive whole number from the environment, or undefined when the variable is unset. */
function count(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${text}"`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const text = env[name]?.toLowerCase();
  if (text === undefined || text === "") return undefined;
  if (["true", "1", "on", "yes"].includes(text)) return true;
  if (["false", "0", "off", "no"].includes(text)) return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  return {
    url: env.DATABASE_URL || undefined,
    dataDir: env.PGLITE_DATA_DIR ? pathFrom(env, env.PGLITE_DATA_DIR) : path.join(repositoryRoot, ".data"),
    statementTimeoutMs: count(env, "STATEMENT_TIMEOUT_MS") ?? 5_000,
    poolSize: count(env, "DB_POOL_SIZE") ?? 10,
    connectionTimeoutMs: count(env, "DB_CONNECTION_TIMEOUT_MS") ?? 5_000,
    applicationName: env.DB_APPLICATION_NAME || "welfare-graph",
    preparedStatements: flag(env, "DB_PREPARED_STATEMENTS") ?? true,
  };
}

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
  const options: Omit<AppOptions, "database"> = { limits, fieldSuggestions: env.NODE_ENV === "development" };
  const requestTimeoutMs = count(env, "REQUEST_TIMEOUT_MS");
  if (requestTimeoutMs !== undefined) options.requestTimeoutMs = requestTimeoutMs;
  const maxRequestBodyBytes = count(env, "MAX_REQUEST_BODY_BYTES");
  if (maxRequestBodyBytes !== undefined) options.maxRequestBodyBytes = maxRequestBodyBytes;
  const introspection = flag(env, "INTROSPECTION");
  if (introspection !== undefined) options.introspection = introspection;
  if (env.TRUSTED_DOCUMENTS) options.trustedDocuments = loadTrustedDocuments(pathFrom(env, env.TRUSTED_DOCUMENTS));
  return options;
}

/** How long a SIGTERM waits for in-flight requests before giving up (exit 1). */
export function shutdownTimeoutMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return count(env, "SHUTDOWN_TIMEOUT_MS") ?? 10_000;
}
