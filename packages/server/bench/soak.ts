// pnpm bench:soak — steady load at ~70 % of capacity on the nested page (PostgreSQL, bundled
// data, admission control on) for BENCH_SOAK_SECONDS (default 600). Capacity is measured first
// (a short saturating run: answered requests per second). Prints the server process's RSS,
// heap and event-loop delay, and the database's connections (pg_stat_activity), at the start
// and the end: they must stay flat. Figures are printed, not asserted.
//
//   BENCH_SOAK_SECONDS=600   BENCH_SOAK_LOAD=0.7   BENCH_SOAK_CONNECTIONS=20
import { monitorEventLoopDelay } from "node:perf_hooks";
import { admin } from "../../../tests/support/postgres-admin.ts";
import { defaultAdmission } from "../src/http/admission.ts";
import { adminUrl, benchPoolSize, ms, nestedPageQuery, runLoad, startBenchServer } from "./serve.ts";

const seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const load = Number(process.env.BENCH_SOAK_LOAD ?? 0.7);
const connections = Number(process.env.BENCH_SOAK_CONNECTIONS ?? 20);
const windowSeconds = Math.min(60, Math.max(5, Math.floor(seconds / 10)));

const server = await startBenchServer("postgres", defaultAdmission("postgres", benchPoolSize));
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

interface Sample {
  rssMb: number;
  heapMb: number;
  loopP99Ms: number;
  loopMaxMs: number;
  connections: string;
}

async function sample(): Promise<Sample> {
  // Heap after a full collection (pnpm bench:soak runs node --expose-gc): garbage is not a leak.
  globalThis.gc?.();
  const memory = process.memoryUsage();
  const rows = await admin(adminUrl, (c) =>
    c
      .query<{ state: string | null; n: string }>(
        `select coalesce(state, '?') as state, count(*) as n from pg_stat_activity where datname = $1 group by 1 order by 1`,
        [server.databaseName],
      )
      .then((r) => r.rows),
  );
  const result = {
    rssMb: memory.rss / 2 ** 20,
    heapMb: memory.heapUsed / 2 ** 20,
    loopP99Ms: delay.percentile(99) / 1e6,
    loopMaxMs: delay.max / 1e6,
    connections: rows.map((r) => `${r.state} ${r.n}`).join(", ") || "none",
  };
  delay.reset();
  return result;
}

const show = (label: string, s: Sample) =>
  console.log(
    `  ${label.padEnd(6)} RSS ${s.rssMb.toFixed(0)} MB, heap ${s.heapMb.toFixed(0)} MB, event-loop delay p99 ${ms(s.loopP99Ms)} (max ${ms(s.loopMaxMs)}), pg_stat_activity: ${s.connections}`,
  );

try {
  const capacity = await runLoad({ url: server.url, connections: 50, seconds: 15, query: nestedPageQuery });
  const perSecond = capacity.ok.count / capacity.seconds;
  const rate = Math.max(1, Math.round(perSecond * load));
  console.log(`capacity ${perSecond.toFixed(1)} answered/s (p99 ${ms(capacity.ok.p99)}); soak at ${rate} req/s (${Math.round(load * 100)} %) for ${seconds} s`);
  // The first window warms up (JIT, caches, pool); its end is the start figure.
  await runLoad({ url: server.url, connections, seconds: windowSeconds, query: nestedPageQuery, overallRate: rate });
  const start = await sample();
  show("start", start);
  const steady = await runLoad({ url: server.url, connections, seconds, query: nestedPageQuery, overallRate: rate });
  const end = await sample();
  show("end", end);
  const answered = Object.values(steady.byStatus).reduce((a, b) => a + b, 0);
  console.log(
    `  load: ${answered} answered (${JSON.stringify(steady.byStatus)}), p50 ${ms(steady.ok.p50)}, p99 ${ms(steady.ok.p99)}, errors ${steady.errors}, timeouts ${steady.timeouts}; /healthz ${steady.healthz.probes - steady.healthz.failures}/${steady.healthz.probes}`,
  );
  console.log(`  admission: ${JSON.stringify(server.http.admission?.stats())}; pool: ${JSON.stringify(server.handle.poolStats?.())}`);
} finally {
  delay.disable();
  await server.close();
}
