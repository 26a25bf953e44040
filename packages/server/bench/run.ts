// pnpm bench: a synthetic database of a million projects (PostgreSQL) and a smaller one
// (PGlite, embedded and single-threaded), then search latency with its plan, page 1 versus
// page 500 of a keyset-paged list, and aggregate latency. Figures are printed, not asserted.
//
//   BENCH_PROJECTS=1000000        projects on PostgreSQL
//   BENCH_PGLITE_PROJECTS=100000  projects on PGlite (0 skips it)
//   BENCH_DATABASE_URL            admin connection (default TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
//   BENCH_ENGINES=postgres,pglite
//   BENCH_KEEP_DATABASE=name      PostgreSQL: generate into this database once and keep it; later
//                                 runs with the same name and size skip the generation (minutes)
import { performance } from "node:perf_hooks";
import { CompiledQuery, type Kysely, sql } from "kysely";
import { admin, withDatabase } from "../../../tests/support/postgres-admin.ts";
import { encodeCursor } from "../src/data/pagination.ts";
import { projectOrder } from "../src/data/project-query.ts";
import { reportOrder } from "../src/data/projects.ts";
import type { DatabaseHandle, DatabaseKind } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { Database } from "../src/db/types.ts";
import { createApp } from "../src/yoga.ts";
import { median, openBenchDatabase } from "./bench-database.ts";
import { adminUrl } from "./serve.ts";
import { generateSyntheticProjects } from "./synthetic.ts";

const sizes: Record<DatabaseKind, number> = {
  postgres: Number(process.env.BENCH_PROJECTS ?? 1_000_000),
  pglite: Number(process.env.BENCH_PGLITE_PROJECTS ?? 100_000),
};
const wanted = (process.env.BENCH_ENGINES ?? "postgres,pglite").split(",").map((s) => s.trim()) as DatabaseKind[];
const RUNS = 7;

const ms = (value: number) => `${value.toFixed(1)} ms`;

interface Bench {
  kind: DatabaseKind;
  handle: DatabaseHandle;
  last: { sql: string; parameters: readonly unknown[] }[];
  drop(): Promise<void>;
  /** A kept database that already holds the synthetic projects. */
  generated: boolean;
}

const keptName = process.env.BENCH_KEEP_DATABASE;

async function open(kind: DatabaseKind): Promise<Bench> {
  const last: Bench["last"] = [];
  const onQuery = (event: { query: { sql: string; parameters: readonly unknown[] } }) => {
    last.push({ sql: event.query.sql, parameters: event.query.parameters });
    if (last.length > 20) last.shift();
  };
  // A kept database of another size, or one whose generation was interrupted, starts over.
  const generated = kind === "postgres" && keptName !== undefined && (await holdsProjects(keptName, sizes.postgres));
  const { handle, drop } = await openBenchDatabase(kind, { onQuery, poolSize: 2, name: kind === "postgres" ? keptName : undefined, reuse: generated });
  return { kind, handle, last, drop, generated };
}

/** Whether database `name` exists and holds exactly `projects` synthetic projects. */
async function holdsProjects(name: string, projects: number): Promise<boolean> {
  const exists = await admin(adminUrl, (c) => c.query("select 1 from pg_database where datname = $1", [name]));
  if (exists.rowCount === 0) return false;
  return admin(withDatabase(adminUrl, name), async (c) => {
    const table = await c.query("select to_regclass('public.project') is not null as present");
    if (!table.rows[0]?.present) return false;
    const count = await c.query<{ n: string }>("select count(*) as n from project");
    return Number(count.rows[0]?.n) === projects;
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

async function explain(db: Kysely<Database>, statement: { sql: string; parameters: readonly unknown[] }): Promise<string[]> {
  const result = await db.executeQuery<{ "QUERY PLAN": string }>(
    CompiledQuery.raw(`explain (analyze, costs off, timing off) ${statement.sql}`, [...statement.parameters]),
  );
  return result.rows.map((r) => r["QUERY PLAN"]);
}

/** The plan's nodes and row counts, without the (very long) inlined folding expressions. */
function outline(plan: string[]): string[] {
  return plan
    .filter((line) => /->|^\S|Rows Removed|Index Cond|Execution Time/.test(line))
    .map((line) => line.replace(/lower\(translate\(NORMALIZE\(.*?, NFKC\), '[^']*'::text, '[^']*'::text\)\)/g, "search_fold(…)"))
    .map((line) => (line.length > 160 ? `${line.slice(0, 157)}...` : line));
}

async function run(kind: DatabaseKind) {
  const size = sizes[kind];
  if (!size) return;
  console.log(`\n=== ${kind}: ${size.toLocaleString("en")} projects ===`);
  const bench = await open(kind);
  try {
    const { db } = bench.handle;
    await migrateToLatest(db);
    if (kind === "postgres") await sql`set maintenance_work_mem = '512MB'`.execute(db);
    const load = await timed(async () => {
      if (bench.generated) return;
      await generateSyntheticProjects(db, {
        projects: size,
        usagePerProject: 3,
        onProgress: (done, total) => process.stdout.write(`\r  generating ${done.toLocaleString("en")} / ${total.toLocaleString("en")}`),
      });
    });
    const sizeRow = await sql<{ table: string; index: string }>`
      select pg_size_pretty(pg_table_size('project')) as table, pg_size_pretty(pg_relation_size('project_search_idx')) as index`.execute(db);
    console.log(
      `\n  ${bench.generated ? `kept database ${keptName}` : `generated and indexed in ${(load.ms / 1000).toFixed(1)} s`} (table ${sizeRow.rows[0]?.table}, search index ${sizeRow.rows[0]?.index})`,
    );

    const app = createApp({ database: bench.handle, graphiql: false, logError: (m, e) => console.error(m, e) });
    // Only the search timing reads its data; the others time the request.
    type NestedDepartment = { projects: { nodes: Array<{ usage: { nodes: unknown[] } }> } };
    type Data = { search?: { totalCount: number }; municipality?: { departments: { nodes: NestedDepartment[] } } };
    const graphql = async (query: string, variables?: Record<string, unknown>): Promise<Data> => {
      const response = await app.fetch("http://bench/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data: Data; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const measure = async (query: string, variables?: Record<string, unknown>) => {
      await graphql(query, variables); // warm the cache
      const times: number[] = [];
      let data: Data = {};
      for (let i = 0; i < RUNS; i++) {
        const r = await timed(() => graphql(query, variables));
        times.push(r.ms);
        data = r.value;
      }
      return { ms: median(times), data };
    };

    console.log("\n  search (median of 7 requests through GraphQL, first 20 hits)");
    for (const q of ["里親", "虐待 防止", "ﾍﾟｱﾚﾝﾄ", "ヤングケアラー", "森林"]) {
      const r = await measure(`query($q: String!) { search(query: $q, first: 20) { totalCount nodes { score snippet } } }`, { q });
      const statement = bench.last.findLast((s) => s.sql.includes("search_bigrams"))!;
      const plan = await explain(db, statement);
      const usesIndex = plan.some((l) => /Bitmap Index Scan on project_search_idx/.test(l));
      const seq = plan.some((l) => /Seq Scan on project\b/.test(l));
      console.log(
        `  ${q.padEnd(10, "　")} ${ms(r.ms).padStart(10)}  ${String(r.data.search?.totalCount).padStart(7)} hits  ${usesIndex && !seq ? "index scan" : "NO INDEX"}`,
      );
      if (q === "里親") for (const line of outline(plan)) console.log(`      ${line}`);
    }
    console.log("\n  text filters (median of 7 requests through GraphQL)");
    for (const [name, query] of [
      ["projects where text 里親, totalCount", `{ projects(first: 20, where: { text: "里親" }) { totalCount nodes { name } } }`],
      ["projects where text 虐待 防止, totalCount", `{ projects(first: 20, where: { text: "虐待 防止" }) { totalCount nodes { name } } }`],
    ] as const) {
      const r = await measure(query);
      console.log(`  ${name.padEnd(40)} ${ms(r.ms).padStart(10)}`);
    }

    console.log("\n  keyset pages (first: 20): page 1 vs page 500 (cursor of row 9,980), median of 7");
    const cursorAt = async (
      orderBy: Array<{ field: "AMOUNT" | "NAME" | "FISCAL_YEAR" | "REPORT_ORDER"; direction: "asc" | "desc" }> | null,
      offset: number,
    ) => {
      const terms = projectOrder(orderBy, "orderBy") ?? reportOrder;
      const row = await sql<Record<string, string | number>>`
        select ${sql.join(terms.map((t, i) => sql`${t.expression} as ${sql.ref(`o${i}`)}`))} from project
        order by ${sql.join(terms.map((t) => sql`${t.expression} ${sql.raw(t.direction)}`))} offset ${offset} limit 1`.execute(db);
      return encodeCursor(
        terms,
        terms.map((_, i) => row.rows[0]![`o${i}`]!),
      );
    };
    for (const [name, orderBy, gqlOrder] of [
      ["amount, largest first", [{ field: "AMOUNT", direction: "desc" }], `[{field: AMOUNT, direction: DESC}]`],
      ["report order (default)", null, "null"],
    ] as const) {
      const query = `query($after: String) { projects(first: 20, after: $after, orderBy: ${gqlOrder}) { totalCount nodes { id amountThousandYen } } }`;
      const first = await measure(query, { after: null });
      const after = await cursorAt(orderBy && [...orderBy], 499 * 20 - 1);
      const deep = await measure(query, { after });
      console.log(`  ${name.padEnd(24)} page 1 ${ms(first.ms).padStart(10)}   page 500 ${ms(deep.ms).padStart(10)}   ratio ${(deep.ms / first.ms).toFixed(2)}`);
      // The same pages when the client does not ask for totalCount: no count of the whole set.
      const uncounted = query.replace("totalCount ", "");
      const firstUncounted = await measure(uncounted, { after: null });
      const deepUncounted = await measure(uncounted, { after });
      console.log(
        `  ${"  without totalCount".padEnd(24)} page 1 ${ms(firstUncounted.ms).padStart(10)}   page 500 ${ms(deepUncounted.ms).padStart(10)}   ratio ${(deepUncounted.ms / firstUncounted.ms).toFixed(2)}`,
      );
    }
    const pageStatement = bench.last.findLast((s) => s.sql.includes('from "project"'))!;
    console.log("    plan of the last page-500 statement (without totalCount):");
    for (const line of outline(await explain(db, pageStatement))) console.log(`      ${line}`);

    // The nested page clients ask for, within one municipality (about 16,700 projects per
    // department at a million): one statement, each list an index scan with a limit.
    const nested = `{ municipality(code: "001000") { departments(first: 20) { nodes { name
      projects(first: 20) { nodes { name amountThousandYen usage(first: 10) { nodes { label value } } } } } } } }`;
    const page = await measure(nested);
    const departments = page.data.municipality?.departments.nodes ?? [];
    const projectCount = departments.reduce((n, d) => n + d.projects.nodes.length, 0);
    const usageCount = departments.reduce((n, d) => n + d.projects.nodes.reduce((m, p) => m + p.usage.nodes.length, 0), 0);
    console.log(
      `\n  nested page departments(20) → projects(20) → usage(10) in one municipality: ${ms(page.ms)} (${departments.length} departments, ${projectCount} projects, ${usageCount} usage figures)`,
    );
    const nestedStatement = bench.last.findLast((s) => s.sql.includes("to_json(array("))!;
    const nestedPlan = await explain(db, nestedStatement);
    const sorted = nestedPlan.some((l) => /Sort Key: .*project\./.test(l));
    const overCte = nestedPlan.some((l) => /CTE Scan/.test(l));
    console.log(
      `    ${!sorted && !overCte ? "every list an index scan with a limit (no sort of a department's projects, no CTE)" : "NOT index-only paging"}; plan:`,
    );
    for (const line of outline(nestedPlan)) console.log(`      ${line}`);

    console.log("\n  aggregates (one statement each), median of 7");
    for (const [name, query] of [
      [
        "projects aggregate, all",
        `{ projects(first: 1) { aggregate { count sum { amountThousandYen } avg { amountThousandYen } min { amountThousandYen } max { amountThousandYen } } } }`,
      ],
      [
        "projects aggregate, one year",
        `{ projects(first: 1, where: { fiscalYears: [2020] }) { aggregate { count sum { amountThousandYen } avg { amountThousandYen } } } }`,
      ],
      ["spending by department × year", `{ spending(groupBy: [DEPARTMENT, FISCAL_YEAR], first: 20) { totalCount nodes { count sum { amountThousandYen } } } }`],
      ["spending by flag", `{ spending(groupBy: [FLAG], includeRelisted: true) { nodes { flag count sum { amountThousandYen } } } }`],
    ] as const) {
      const r = await measure(query);
      console.log(`  ${name.padEnd(32)} ${ms(r.ms).padStart(10)}`);
    }
  } finally {
    await bench.drop();
  }
}

const started = performance.now();
for (const kind of wanted) await run(kind);
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s; ${keptName ? `${keptName} is kept` : "its databases are dropped"}.`);
