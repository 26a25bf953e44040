// pnpm bench:cost — the database work behind the cost weights of graphql/query-limits.ts: each
// expensive field is timed through GraphQL (median of 3) against the same request without it,
// on a synthetic database, and shown beside its weight (1 unit ≈ 0.02 ms). Printed, not asserted.
//
//   BENCH_PROJECTS=200000   BENCH_DATABASE_URL (admin connection)

import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { createPostgresDatabase, dropPostgresDatabase, withDatabase } from "../../../tests/support/postgres-admin.ts";
import { createDatabase } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { databaseWorkWeights as w } from "../src/graphql/query-limits.ts";
import { createApp } from "../src/yoga.ts";
import { adminUrl } from "./serve.ts";
import { generateSyntheticProjects } from "./synthetic.ts";

const projects = Number(process.env.BENCH_PROJECTS ?? 200_000);
const name = `wg_cost_${randomBytes(4).toString("hex")}`;
await createPostgresDatabase(adminUrl, name);
const handle = await createDatabase({ url: withDatabase(adminUrl, name), poolSize: 2 });
try {
  await migrateToLatest(handle.db);
  await sql`set maintenance_work_mem = '512MB'`.execute(handle.db);
  await generateSyntheticProjects(handle.db, { projects });
  const app = createApp({ database: handle, graphiql: false, limits: { maxCost: Number.MAX_SAFE_INTEGER }, requestTimeoutMs: 120_000 });
  const request = async (query: string) => {
    const started = performance.now();
    const response = await app.fetch("http://bench/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
    return performance.now() - started;
  };
  const median = async (query: string) => {
    await request(query);
    const times = [await request(query), await request(query), await request(query)].sort((a, b) => a - b);
    return times[1]!;
  };
  const tiny = "{ fiscalYears(first: 1) { nodes { year } } }";
  const page20 = "{ projects(first: 20) { nodes { name } } }";
  const nested = "{ departments(first: 20) { nodes { projects(first: 1) { nodes { name } } } } }";
  const cases: Array<[string, string, string, number]> = [
    [
      "search, commonest word, 100 + totalCount",
      `{ search(query: "支援", first: 100) { totalCount nodes { score snippet } } }`,
      tiny,
      w.fields["Query.search"]! + w.rootTotalCount.QuerySearchConnection!,
    ],
    [
      "spending department × year",
      `{ spending(groupBy: [DEPARTMENT, FISCAL_YEAR], first: 20) { nodes { count sum { amountThousandYen } } } }`,
      tiny,
      w.fields["Query.spending"]!,
    ],
    ["usageTotals metric × year", `{ usageTotals(groupBy: [METRIC, FISCAL_YEAR], first: 20) { nodes { count } } }`, tiny, w.fields["Query.usageTotals"]!],
    [
      "root aggregate",
      `{ projects(first: 1) { aggregate { count sum { amountThousandYen } avg { amountThousandYen } } } }`,
      "{ projects(first: 1) { nodes { name } } }",
      w.fields["QueryProjectsConnection.aggregate"]!,
    ],
    ["root totalCount", "{ projects(first: 20) { totalCount nodes { name } } }", page20, w.rootTotalCount.QueryProjectsConnection!],
    [
      "text filter + totalCount",
      `{ projects(first: 20, where: { text: "支援" }) { totalCount nodes { name } } }`,
      page20,
      w.textFilter + w.rootTotalCount.QueryProjectsConnection!,
    ],
    ["series × 20 projects", "{ projects(first: 20) { nodes { name series { amountThousandYen } } } }", page20, 20 * w.fields["Project.series"]!],
    ["usageSeries × 20 projects", "{ projects(first: 20) { nodes { name usageSeries { metric } } } }", page20, 20 * w.fields["Project.usageSeries"]!],
    ["nested totalCount × 20", "{ departments(first: 20) { nodes { projects(first: 1) { totalCount nodes { name } } } } }", nested, 20 * w.nestedTotalCount],
    [
      "nested aggregate × 20",
      "{ departments(first: 20) { nodes { projects(first: 1) { aggregate { sum { amountThousandYen } } nodes { name } } } } }",
      nested,
      20 * w.fieldNames.aggregate!,
    ],
  ];
  console.log(`${projects.toLocaleString("en")} projects; extra = request − the same request without the field (median of 3)`);
  for (const [label, query, base, weight] of cases) {
    const extra = (await median(query)) - (await median(base));
    console.log(
      `  ${label.padEnd(42)} extra ${extra.toFixed(1).padStart(8)} ms   weight ${String(weight).padStart(7)} ≈ ${(weight * 0.02).toFixed(0).padStart(5)} ms`,
    );
  }
} finally {
  await handle.close();
  await dropPostgresDatabase(adminUrl, name);
}
