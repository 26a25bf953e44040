// Throughput of a running server on the three workloads of docs/performance.md (the queries of
// bench/peer/*.graphql): req/s and p50/p99 latency under autocannon, every response checked.
//   pnpm bench:http [--url http://127.0.0.1:4000/graphql] [--connections 10] [--seconds 10] [--workloads nested,flat,node]
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: process.env.BENCH_URL ?? "http://127.0.0.1:4000/graphql" },
    connections: { type: "string", default: "10" },
    seconds: { type: "string", default: "10" },
    workloads: { type: "string", default: "nested,flat,node" },
  },
});
const whole = (name: string, text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a whole number of at least 1, got "${text}"`);
    process.exit(2);
  }
  return value;
};
const connections = whole("connections", values.connections);
const seconds = whole("seconds", values.seconds);
const here = path.join(path.dirname(fileURLToPath(import.meta.url)), "peer");

function body(workload: string): string {
  const query = readFileSync(path.join(here, `${workload}.graphql`), "utf8");
  let variables: unknown = {};
  try {
    variables = JSON.parse(readFileSync(path.join(here, `${workload}.variables.json`), "utf8"));
  } catch {
    // this workload has no variables
  }
  return JSON.stringify({ query, variables });
}

const headers = { "content-type": "application/json", accept: "application/graphql-response+json" };
console.log(`# pnpm bench:http — ${values.url}, ${connections} connections, ${seconds} s per workload\n`);
console.log("| workload | req/s | p50 ms | p99 ms | responses | errors |");
console.log("|---|---:|---:|---:|---:|---:|");
let failed = false;
for (const workload of values.workloads.split(",")) {
  const payload = body(workload);
  // One checked request first: a benchmark of error responses measures nothing.
  const check = await fetch(values.url, { method: "POST", headers, body: payload });
  const answer = (await check.json()) as { data?: unknown; errors?: unknown };
  if (check.status !== 200 || answer.errors || !answer.data) {
    console.error(`${workload}: the server answered ${check.status} ${JSON.stringify(answer).slice(0, 500)}`);
    process.exit(1);
  }
  let bad = 0;
  const result = await autocannon({
    url: values.url,
    method: "POST",
    headers,
    body: payload,
    connections,
    duration: seconds,
    setupClient: (client) => {
      client.on("body", (buffer: Buffer) => {
        if (buffer.includes('"errors"')) bad++;
      });
    },
  });
  const errors = result.errors + result.timeouts + result.non2xx + bad;
  if (errors > 0) failed = true;
  console.log(`| ${workload} | ${result.requests.average.toFixed(1)} | ${result.latency.p50} | ${result.latency.p99} | ${result.requests.total} | ${errors} |`);
}
if (failed) process.exit(3);
