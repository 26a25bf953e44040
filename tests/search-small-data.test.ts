// Search as cheap on the bundled 75 projects as on a million: whatever plan the database picks
// (on a table this small, a sequential scan), no row may pay for folding or splitting its text
// into bigrams again; the statements compare stored bigram arrays (generated columns) only.
import { CompiledQuery, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

describe.each(engines())("search on the bundled data on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it.each([
    ["search", `{ search(query: "支援", first: 100) { totalCount nodes { score snippet } } }`],
    ["a text filter", `{ projects(first: 100, where: { text: "支援 事業" }) { totalCount nodes { name } } }`],
    ["a nested text filter", `{ departments(first: 20) { nodes { projects(first: 20, where: { text: "相談" }) { nodes { name } } } } }`],
  ])("%s computes no bigrams or folding per row", async (_, query) => {
    const from = t.database.statements.sql.length;
    const { body } = await t.graphql(query);
    expect(body.errors).toBeUndefined();
    const sent = t.database.statements.sql.slice(from).map((text, i) => ({ text, parameters: t.database.statements.parameters[from + i]! }));
    const searching = sent.filter((s) => s.text.includes("search_bigrams"));
    expect(searching.length).toBeGreaterThan(0);
    for (const statement of searching) {
      const plan = await t.database.db.executeQuery<{ "QUERY PLAN": string }>(
        CompiledQuery.raw(`explain (verbose) ${statement.text}`, [...statement.parameters]),
      );
      const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
      // Folding and bigrams of the query's words are constants, folded at planning; any
      // call on a column would run once per row.
      expect(text).not.toMatch(/search_bigrams\((?!'|search_fold\(')/);
      expect(text).not.toMatch(/normalize\((?:\(+)?(?:project|department|beneficiary_group)\./i);
    }
  });

  it("plans the search once: its prepared statement takes a generic plan, which folds the words once per run", async () => {
    const from = t.database.statements.sql.length;
    const { body } = await t.graphql(`{ search(query: "支援 事業", first: 100) { totalCount nodes { score snippet } } }`);
    expect(body.errors).toBeUndefined();
    const index = t.database.statements.sql.findIndex((text, i) => i >= from && text.includes("search_bigrams"));
    const text = t.database.statements.sql[index]!;
    const parameters = [...t.database.statements.parameters[index]!];
    // One connection: prepared statements and their plans belong to a session.
    await t.database.db.connection().execute(async (db) => {
      // PostgreSQL plans the first five runs for their values, then compares with a generic plan.
      for (let i = 0; i < 8; i++) await db.executeQuery(CompiledQuery.raw(text, parameters));
      const { rows } = await sql<{ name: string; generic_plans: string }>`
        select name, generic_plans from pg_prepared_statements where position(${text} in statement) > 0`.execute(db);
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.generic_plans)).toBeGreaterThan(0);
      const literals = parameters.map((p) => (typeof p === "number" ? String(p) : `'${String(p).replaceAll("'", "''")}'`)).join(", ");
      await sql`set plan_cache_mode = force_generic_plan`.execute(db);
      try {
        const plan = await sql<{ "QUERY PLAN": string }>`explain (verbose) execute ${sql.raw(rows[0]!.name)}(${sql.raw(literals)})`.execute(db);
        const lines = plan.rows.map((r) => r["QUERY PLAN"]);
        // The words are folded and split only where search_terms is computed (one row per run).
        const folding = lines.filter((line) => /search_bigrams\(|normalize\(/i.test(line));
        expect(folding.length).toBeGreaterThan(0);
        for (const line of folding) expect(line.trim()).toMatch(/^Output: .*search_bigrams\(/);
        expect(lines.findIndex((line) => /CTE search_terms/.test(line))).toBeGreaterThanOrEqual(0);
      } finally {
        await sql`reset plan_cache_mode`.execute(db);
      }
    });
  });
});
