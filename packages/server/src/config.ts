// Environment → settings, read once in main.ts and the CLIs.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const bundledDataFolder = path.join(repositoryRoot, "data");

export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  return {
    url: env.DATABASE_URL || undefined,
    dataDir: env.PGLITE_DATA_DIR || path.join(repositoryRoot, ".data"),
    statementTimeoutMs: env.STATEMENT_TIMEOUT_MS ? Number(env.STATEMENT_TIMEOUT_MS) : 5_000,
  };
}
