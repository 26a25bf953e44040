// pnpm bench:overload — 200 connections on the nested page (20 departments × 20 projects × 10
// usage figures, bundled data) against the real HTTP server, without and with admission
// control, on each engine. Prints latency of the answered (200) and shed (503) requests, the
// shed rate and /healthz during the run. Figures are printed, not asserted.
//
//   BENCH_OVERLOAD_SECONDS=15       duration of each run
//   BENCH_OVERLOAD_CONNECTIONS=200
//   BENCH_ENGINES=postgres,pglite
import type { DatabaseKind } from "../src/db/database.ts";
import { type AdmissionOptions, defaultAdmission } from "../src/http/admission.ts";
import type { LoadResult } from "./load-worker.ts";
import { benchPoolSize, ms, nestedPageQuery, runLoad, startBenchServer } from "./serve.ts";

const seconds = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 15);
const connections = Number(process.env.BENCH_OVERLOAD_CONNECTIONS ?? 200);
const engines = (process.env.BENCH_ENGINES ?? "postgres,pglite").split(",").map((s) => s.trim()) as DatabaseKind[];

function report(label: string, r: LoadResult) {
  const answered = Object.values(r.byStatus).reduce((a, b) => a + b, 0);
  const shedRate = answered ? (100 * r.shed.count) / answered : 0;
  console.log(
    `  ${label.padEnd(34)} ${String(Math.round(r.ok.count / r.seconds)).padStart(5)} ok/s  p50 ${ms(r.ok.p50).padStart(8)}  p90 ${ms(r.ok.p90).padStart(8)}  p99 ${ms(r.ok.p99).padStart(8)}  max ${ms(r.ok.max).padStart(8)}` +
      `  | shed ${shedRate.toFixed(0).padStart(3)} % (503 p99 ${ms(r.shed.p99)})  | errors ${r.errors} timeouts ${r.timeouts}` +
      `  | /healthz ${r.healthz.probes - r.healthz.failures}/${r.healthz.probes} ok, max ${ms(r.healthz.max)}`,
  );
  const other = Object.entries(r.byStatus).filter(([status]) => status !== "200" && status !== "503");
  if (other.length) console.log(`    other statuses: ${other.map(([s, n]) => `${s}×${n}`).join(", ")}`);
}

console.log(`${connections} connections × ${seconds} s on the nested page, bundled data; server in this process, load generator in a child process.`);
for (const kind of engines) {
  const admission = defaultAdmission(kind, benchPoolSize);
  const modes: Array<[string, AdmissionOptions | undefined]> = [
    ["without admission control", undefined],
    [`admission ${admission.maxConcurrent} running + ${admission.maxQueued} queued`, admission],
    // Tighter: what a p99 target on a slow machine costs in shed requests.
    ["admission 1 running + 1 queued (250 ms)", { maxConcurrent: 1, maxQueued: 1, maxQueueWaitMs: 250, retryAfterSeconds: 1 }],
  ];
  console.log(`\n=== ${kind} ===`);
  for (const [label, options] of modes) {
    const server = await startBenchServer(kind, options);
    try {
      // Warm up: plans, JIT-free caches, the pool's connections.
      await runLoad({ url: server.url, connections: 4, seconds: 2, query: nestedPageQuery });
      report(label, await runLoad({ url: server.url, connections, seconds, query: nestedPageQuery }));
      if (server.http.admission) {
        const s = server.http.admission.stats();
        console.log(`    admission counts: admitted ${s.admitted}, refused at once ${s.refused}, refused after queueing ${s.timedOut}`);
      }
    } finally {
      await server.close();
    }
  }
}
