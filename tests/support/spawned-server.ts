// A server process of its own (tsx, the compiled build, or a pnpm command), its output
// gathered, waited on until a line appears; killed at the end of the test.
import { type ChildProcess, spawn } from "node:child_process";
import { onTestFinished } from "vitest";
import { loadBundledDataset } from "../../packages/server/src/app-database.ts";
import { createTestDatabase, engines } from "./databases.ts";

export interface SpawnedServer {
  child: ChildProcess;
  output(): string;
  /** Parsed JSON lines of its standard output (pino). */
  logLines(): Array<Record<string, unknown>>;
  waitFor(text: string, bound?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const repositoryRoot = new URL("../../", import.meta.url).pathname;

export function spawnServer(command: string, args: string[], env: Record<string, string>, options: { detached?: boolean } = {}): SpawnedServer {
  const child = spawn(command, args, {
    cwd: repositoryRoot,
    env: { ...process.env, HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  let stdout = "";
  let all = "";
  child.stdout!.on("data", (chunk) => {
    stdout += String(chunk);
    all += String(chunk);
  });
  child.stderr!.on("data", (chunk) => {
    all += String(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => {
    done = true;
  });
  onTestFinished(() => {
    if (done) return;
    try {
      if (options.detached && child.pid) process.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {
      // already gone
    }
  });
  return {
    child,
    output: () => all,
    logLines: () =>
      stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async waitFor(text, bound = 90_000) {
      const end = Date.now() + bound;
      while (!all.includes(text)) {
        if (done) throw new Error(`the server exited before printing "${text}":\n${all}`);
        if (Date.now() > end) throw new Error(`timed out waiting for "${text}":\n${all}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    exited,
  };
}

/**
 * The database a spawned server uses: a loaded PostgreSQL database of its own when PostgreSQL is
 * reachable (the server starts in a second or two), else an in-memory PGlite it loads itself.
 */
export async function serverDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (!engines().includes("postgres")) return { env: { PGLITE_DATA_DIR: "memory://", DATABASE_URL: "" }, drop: async () => {} };
  const database = await createTestDatabase("postgres");
  await loadBundledDataset(database);
  return { env: { DATABASE_URL: database.url! }, drop: () => database.drop() };
}
