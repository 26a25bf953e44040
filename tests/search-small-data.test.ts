// Search as cheap on the bundled 75 projects as on a million: whatever plan the database picks
// (on a table this small, a sequential scan), no row may pay for folding or splitting its text
// into bigrams again; the statements compare stored bigram arrays (generated columns) only.
import { CompiledQuery } from "kysely";
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
});
