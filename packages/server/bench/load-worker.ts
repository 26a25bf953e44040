// The load generator of bench:overload and bench:soak, in its own process so that its work does
// not share the server's event loop: autocannon POSTs one GraphQL request over many
// connections, and /healthz is probed on the side. Prints one JSON line with the figures.
//
//   tsx bench/load-worker.ts '{"url":"http://127.0.0.1:4000","connections":200,"seconds":15,"query":"…"}'
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";

interface LoadRequest {
  url: string;
  connections: number;
  seconds: number;
  query: string;
  /** Requests per second over all connections; unset means as fast as answers come. */
  overallRate?: number;
}

export interface LoadResult {
  seconds: number;
  sent: number;
  byStatus: Record<string, number>;
  /** Latency of answered requests by status class, ms. */
  ok: Percentiles;
  shed: Percentiles;
  errors: number;
  timeouts: number;
  healthz: { probes: number; failures: number; p50: number; max: number };
}

interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

const request = JSON.parse(process.argv[2]!) as LoadRequest;
// A load of errors would measure nothing: the query must answer data.
const check = await fetch(`${request.url}/graphql`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: request.query }),
});
const checked = (await check.json()) as { data?: unknown; errors?: unknown };
if (checked.errors || !checked.data) throw new Error(`the benchmark query fails: ${JSON.stringify(checked.errors)}`);

const ok: number[] = [];
const shed: number[] = [];
const byStatus: Record<string, number> = {};
const healthTimes: number[] = [];
let healthFailures = 0;

let probing = true;
const probe = (async () => {
  while (probing) {
    const started = performance.now();
    try {
      const response = await fetch(`${request.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.text();
      if (response.status !== 200) healthFailures++;
    } catch {
      healthFailures++;
    }
    healthTimes.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
})();

// autocannon's instance is also an EventEmitter ("response" per answer), which its types leave out.
const instance = autocannon({
  url: `${request.url}/graphql`,
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: request.query }),
  connections: request.connections,
  duration: request.seconds,
  timeout: 30,
  ...(request.overallRate ? { overallRate: request.overallRate } : {}),
});
(instance as unknown as NodeJS.EventEmitter).on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  byStatus[statusCode] = (byStatus[statusCode] ?? 0) + 1;
  (statusCode === 503 ? shed : ok).push(responseTime);
});
const result = await instance;
probing = false;
await probe;
const health = percentiles(healthTimes);
const output: LoadResult = {
  seconds: request.seconds,
  sent: result.requests.sent,
  byStatus,
  ok: percentiles(ok),
  shed: percentiles(shed),
  errors: result.errors,
  timeouts: result.timeouts,
  healthz: { probes: health.count, failures: healthFailures, p50: health.p50, max: health.max },
};
process.stdout.write(`${JSON.stringify(output)}\n`);
