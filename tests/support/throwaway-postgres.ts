// A PostgreSQL cluster of the test's own (initdb + pg_ctl of the installed server, found via
// pg_config --bindir), in a temporary folder on a free port, so a test can crash and restart
// it without touching the shared server. initdb refuses to run as root: then it runs as the
// postgres user through runuser.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface ThrowawayPostgres {
  url: string;
  start(): void;
  /** Crash-like stop: every backend quits at once, no checkpoint (pg_ctl stop -m immediate). */
  crash(): void;
  destroy(): void;
}

function postgresBinDir(): string | undefined {
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    return existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl")) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The installed server's programs (initdb, pg_ctl, pg_basebackup …), run as the postgres user
 * when this process is root (initdb refuses root), and a new folder that user owns.
 */
export function postgresTools(folderPrefix: string): { run: (program: string, args: string[]) => Buffer; dir: string } {
  const bin = postgresBinDir();
  if (!bin) throw new Error(throwawayPostgresUnavailable());
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: string[]) => {
    const command = path.join(bin, program);
    return asRoot ? execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" }) : execFileSync(command, args, { stdio: "pipe" });
  };
  const dir = mkdtempSync(path.join(tmpdir(), folderPrefix));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  return { run, dir };
}

/** Why a throwaway cluster cannot be made here, or undefined when it can. */
export function throwawayPostgresUnavailable(): string | undefined {
  if (!postgresBinDir()) return "pg_config --bindir has no initdb/pg_ctl (install the PostgreSQL server package)";
  if (process.getuid?.() === 0) {
    try {
      execFileSync("runuser", ["-u", "postgres", "--", "true"]);
    } catch {
      return "running as root without a postgres user to run initdb as";
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function createThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const { run, dir } = postgresTools("wg-pg-");
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  let running = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start() {
      run("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
      running = true;
    },
    crash() {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      running = false;
    },
    destroy() {
      if (running) {
        try {
          run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
