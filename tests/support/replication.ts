// A throwaway primary and a streaming hot standby (initdb, then pg_basebackup -R), each on its
// own loopback port, for the read-replica tests. Runs as the postgres user when we are root,
// like throwaway-postgres.ts.
import { rmSync } from "node:fs";
import path from "node:path";
import { freePort, postgresTools } from "./throwaway-postgres.ts";

export interface Cluster {
  port: number;
  url(database: string): string;
  start(): void;
  crash(): void;
}

export interface ReplicatedPair {
  primary: Cluster;
  standby: Cluster;
  destroy(): void;
}

export async function createReplicatedPair(): Promise<ReplicatedPair> {
  const { run, dir } = postgresTools("wg-replication-");
  const running = new Set<string>();
  const cluster = (name: string, port: number): Cluster => {
    const data = path.join(dir, name);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40 -c wal_level=replica -c hot_standby=on`;
    return {
      port,
      url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
      start() {
        run("pg_ctl", ["-D", data, "-l", path.join(dir, `${name}.log`), "-o", options, "-w", "-t", "60", "start"]);
        running.add(data);
      },
      crash() {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        running.delete(data);
      },
    };
  };
  const primary = cluster("primary", await freePort());
  run("initdb", ["-D", path.join(dir, "primary"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  primary.start();
  const standby = cluster("standby", await freePort());
  // -R writes primary_conninfo and standby.signal: the copy starts as a streaming hot standby.
  run("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", path.join(dir, "standby"), "-R", "-X", "stream", "--no-sync"]);
  standby.start();
  return {
    primary,
    standby,
    destroy() {
      for (const data of running) {
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
