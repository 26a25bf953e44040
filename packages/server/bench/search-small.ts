// Search on the bundled data (75 projects), both engines: the database time of the statements
// one request sends (EXPLAIN ANALYZE planning + execution, prepared as the app prepares them
// and, for comparison, planned anew), the statement time at the driver (Kysely's log) and the
// whole request through yoga.fetch; medians of BENCH_RUNS (25) after BENCH_WARMUP (20) rounds.
//   pnpm bench:search-small   BENCH_ENGINES=postgres,pglite  BENCH_DATABASE_URL (admin connection)
//   BENCH_QUERIES (GraphQL documents, one a line)  BENCH_PLAN=1 (print the plans)  BENCH_SQL=1
import { performance } from "node:perf_hooks";
import { CompiledQuery, type Kysely } from "kysely";
import { migrateAndLoad } from "../src/app-database.ts";
import type { DatabaseKind } from "../src/db/database.ts";
import type { Database } from "../src/db/types.ts";
import { createApp } from "../src/yoga.ts";
import { median, openBenchDatabase } from "./bench-database.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const engines = (process.env.BENCH_ENGINES ?? "postgres,pglite").split(",").map((s) => s.trim()) as DatabaseKind[];
const requests = (
  process.env.BENCH_QUERIES?.split("\n") ?? [
    `{ search(query: "支援", first: 100) { totalCount nodes { score snippet } } }`,
    `{ search(query: "支援", first: 100) { nodes { score } } }`,
    `{ projects(first: 100, where: { text: "支援" }) { totalCount nodes { name } } }`,
    `{ projects(first: 100, where: { text: "支援 事業" }) { totalCount nodes { name } } }`,
  ]
).filter(Boolean);

const f = (value: number) => value.toFixed(2);

interface Statement {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}

function recorder(captured: Statement[]) {
  return (event: { level: string; query: { sql: string; parameters: readonly unknown[] }; queryDurationMillis: number }) => {
    if (event.level === "query") captured.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
  };
}

const literal = (value: unknown) => (typeof value === "number" ? String(value) : `'${String(value).replaceAll("'", "''")}'`);

/**
 * Planning and execution time of a statement as the app runs it: prepared once (PREPARE), then
 * EXPLAIN ANALYZE EXECUTE. PostgreSQL plans the first five runs for their values and then keeps
 * a generic plan if it costs no more; those five are run first, unmeasured.
 */
async function explainPrepared(db: Kysely<Database>, statement: Statement, runs: number) {
  return db.connection().execute(async (c) => {
    await c.executeQuery(CompiledQuery.raw(`prepare bench_statement as ${statement.sql}`));
    const execute = `execute bench_statement(${statement.parameters.map(literal).join(", ")})`;
    for (let i = 0; i < 5; i++) await c.executeQuery(CompiledQuery.raw(execute));
    const planning: number[] = [];
    const execution: number[] = [];
    let plan: string[] = [];
    try {
      for (let i = 0; i < runs; i++) {
        const result = await c.executeQuery<{ "QUERY PLAN": string }>(CompiledQuery.raw(`explain (analyze, buffers) ${execute}`));
        plan = result.rows.map((r) => r["QUERY PLAN"]);
        const text = plan.join("\n");
        planning.push(Number(/Planning Time: ([\d.]+)/.exec(text)?.[1] ?? 0));
        execution.push(Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? Number.NaN));
      }
    } finally {
      await c.executeQuery(CompiledQuery.raw("deallocate bench_statement"));
    }
    return { planning: median(planning), execution: median(execution), plan };
  });
}

/** The same, unprepared: planned for every run (what an unnamed statement costs). */
async function explainUnprepared(db: Kysely<Database>, statement: Statement, runs: number) {
  const planning: number[] = [];
  const execution: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await db.executeQuery<{ "QUERY PLAN": string }>(CompiledQuery.raw(`explain (analyze, buffers) ${statement.sql}`, [...statement.parameters]));
    const text = result.rows.map((r) => r["QUERY PLAN"]).join("\n");
    planning.push(Number(/Planning Time: ([\d.]+)/.exec(text)?.[1] ?? 0));
    execution.push(Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? Number.NaN));
  }
  return { planning: median(planning), execution: median(execution) };
}

for (const kind of engines) {
  const captured: Statement[] = [];
  const { handle, drop } = await openBenchDatabase(kind, { onQuery: recorder(captured), poolSize: 1 });
  try {
    await migrateAndLoad(handle);
    const app = createApp({ database: handle, graphiql: false, logError: (m, e) => console.error(m, e) });
    console.log(`\n=== ${kind} (bundled data), medians of ${RUNS} ===`);
    const sender = (query: string) => async () => {
      const response = await app.fetch("http://bench/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    };
    // Warm up every request first: V8 tiers PGlite's WebAssembly up while it runs (in the
    // background, slowly on a busy machine), and whatever is measured first would pay for it.
    for (let i = 0; i < WARMUP; i++) for (const query of requests) await sender(query)();
    for (const query of requests) {
      const send = sender(query);
      const total: number[] = [];
      const driver: number[][] = [];
      let statements: Statement[] = [];
      for (let i = 0; i < RUNS; i++) {
        captured.length = 0;
        const start = performance.now();
        await send();
        total.push(performance.now() - start);
        statements = [...captured];
        statements.forEach((s, j) => {
          driver[j] = [...(driver[j] ?? []), s.ms];
        });
      }
      console.log(`\n${query}\n  request ${f(median(total))} ms; ${statements.length} statement(s)`);
      for (const [j, statement] of statements.entries()) {
        const prepared = await explainPrepared(handle.db, statement, RUNS);
        const unprepared = await explainUnprepared(handle.db, statement, RUNS);
        console.log(
          `  #${j + 1}: driver ${f(median(driver[j] ?? []))} ms; prepared: planning ${f(prepared.planning)} + execution ${f(prepared.execution)} ms; ` +
            `unprepared: planning ${f(unprepared.planning)} + execution ${f(unprepared.execution)} ms`,
        );
        if (process.env.BENCH_PLAN) console.log(prepared.plan.map((line) => `      ${line}`).join("\n"));
        if (process.env.BENCH_SQL) console.log(`      ${statement.sql.replace(/\s+/g, " ")}\n      ${JSON.stringify(statement.parameters)}`);
      }
    }
  } finally {
    await drop();
  }
}
