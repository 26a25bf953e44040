// EXPLAIN (ANALYZE, BUFFERS) of every SQL statement the three peer workloads send
// (bench/peer/*.graphql), on the database of DATABASE_URL: what docs/performance.md shows.
//   DATABASE_URL=postgres://… pnpm --filter @welfare-graph/server bench:explain [nested|flat|node …]
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { createDatabase } from "../src/db/database.ts";
import { createApp } from "../src/yoga.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL must name the PostgreSQL database to explain on");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const workloads = process.argv.slice(2).length ? process.argv.slice(2) : ["nested", "flat", "node"];
const captured: Array<{ sql: string; parameters: readonly unknown[] }> = [];
const database = await createDatabase({
  url,
  onQuery: (event) => event.level === "query" && captured.push({ sql: event.query.sql, parameters: event.query.parameters }),
});
const app = createApp({ database, graphiql: false });

for (const workload of workloads) {
  const query = readFileSync(path.join(here, "peer", `${workload}.graphql`), "utf8");
  let variables: unknown = {};
  try {
    variables = JSON.parse(readFileSync(path.join(here, "peer", `${workload}.variables.json`), "utf8"));
  } catch {
    // no variables
  }
  // Warm the caches, then capture one request's statements.
  const send = () =>
    app.fetch("http://bench/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  await (await send()).text();
  captured.length = 0;
  const response = await send();
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`${workload}: ${JSON.stringify(body.errors)}`);
  const statements = [...captured];
  console.log(`\n## ${workload}: ${statements.length} statement(s)\n`);
  for (const statement of statements) {
    console.log("```sql");
    console.log(statement.sql.replace(/\s+/g, " ").trim());
    console.log(`-- parameters: ${JSON.stringify(statement.parameters)}`);
    console.log("```\n```");
    const plan = await sql<{ "QUERY PLAN": string }>`explain (analyze, buffers, costs off) ${sql.raw(
      statement.sql.replace(/\$(\d+)/g, (_, n) => {
        const value = statement.parameters[Number(n) - 1];
        return typeof value === "number" ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
      }),
    )}`.execute(database.db);
    for (const row of plan.rows) console.log(row["QUERY PLAN"]);
    console.log("```");
  }
}
await database.close();
