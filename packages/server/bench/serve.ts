// Shared by bench:overload and bench:soak: the real server (createApp + createHttpServer, as
// main.ts builds it) over a fresh database loaded with the bundled data, and the load generator
// (bench/load-worker.ts) in a child process.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createPostgresDatabase, dropPostgresDatabase, withDatabase } from "../../../tests/support/postgres-admin.ts";
import { migrateAndLoad } from "../src/app-database.ts";
import { createDatabase, type DatabaseHandle, type DatabaseKind } from "../src/db/database.ts";
import type { AdmissionOptions } from "../src/http/admission.ts";
import { createHttpServer, type HttpServer } from "../src/http/server.ts";
import { createApp } from "../src/yoga.ts";
import type { LoadResult } from "./load-worker.ts";

export const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The nested page of the issue: 20 departments × 20 projects × 10 usage figures. */
export const nestedPageQuery = `{ departments(first: 20) { nodes { name projects(first: 20) { nodes { name amountThousandYen usage(first: 10) { nodes { label value unit } } } } } } }`;

export interface BenchServer {
  url: string;
  handle: DatabaseHandle;
  http: HttpServer;
  /** Name of the PostgreSQL database (for pg_stat_activity), undefined on PGlite. */
  databaseName?: string;
  close(): Promise<void>;
}

/** Pool size and statement timeout as main.ts's defaults (docs/operations.md). */
export const benchPoolSize = 10;

export async function startBenchServer(kind: DatabaseKind, admission: AdmissionOptions | undefined): Promise<BenchServer> {
  let databaseName: string | undefined;
  let handle: DatabaseHandle;
  if (kind === "postgres") {
    databaseName = `wg_overload_bench_${randomBytes(4).toString("hex")}`;
    await createPostgresDatabase(adminUrl, databaseName);
    handle = await createDatabase({
      url: withDatabase(adminUrl, databaseName),
      poolSize: benchPoolSize,
      statementTimeoutMs: 5_000,
      applicationName: "welfare-graph-bench",
    });
  } else {
    handle = await createDatabase({ dataDir: "memory://", statementTimeoutMs: 5_000 });
  }
  await migrateAndLoad(handle);
  const app = createApp({ database: handle, graphiql: false, logError: () => {} });
  const http = createHttpServer(app, admission ? { admission } : {});
  await new Promise<void>((resolve) => http.server.listen(0, "127.0.0.1", resolve));
  const { port } = http.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    handle,
    http,
    ...(databaseName ? { databaseName } : {}),
    close: async () => {
      http.server.closeAllConnections();
      await http.shutdown();
      await handle.close();
      if (databaseName) await dropPostgresDatabase(adminUrl, databaseName);
    },
  };
}

export function runLoad(request: { url: string; connections: number; seconds: number; query: string; overallRate?: number }): Promise<LoadResult> {
  const worker = fileURLToPath(new URL("./load-worker.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", worker, JSON.stringify(request)], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(output.trim().split("\n").at(-1)!) as LoadResult);
    });
  });
}

export const ms = (value: number) => `${Math.round(value).toLocaleString("en")} ms`;
