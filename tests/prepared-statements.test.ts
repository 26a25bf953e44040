// Statements marked with prepared() run as prepared statements: named protocol statements on
// PostgreSQL (pg); on PGlite, whose API has no named statements, PREPARE/EXECUTE for those
// marked planOnce (a plan that does not depend on the values).
// On PGlite the values then travel as literals in the EXECUTE text: they must arrive exactly as
// bound values do, and the statement must survive what a session can do to it.
import { CompiledQuery, type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepared } from "../packages/server/src/db/database.ts";
import type { Database } from "../packages/server/src/db/types.ts";
import { createTestDatabase, engines, type TestDatabase } from "./support/databases.ts";

/** PGlite prepares only the statements whose plan does not depend on their values. */
const planOnce = { planOnce: true };

/** The same statement, unregistered (other text): it runs as a plain query. */
const unprepared = (statement: CompiledQuery) => CompiledQuery.raw(`${statement.sql} `, [...statement.parameters]);

async function preparedStatements(db: Kysely<Database>, text: string) {
  const { rows } = await sql<{ name: string; generic_plans: string; custom_plans: string }>`
    select name, generic_plans, custom_plans from pg_prepared_statements where position(${text} in statement) > 0`.execute(db);
  return rows;
}

describe.each(engines())("prepared statements on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind, { load: true });
  });
  afterAll(() => database?.drop());

  it("runs a marked statement as a prepared statement, with the same rows as a plain query", async () => {
    // One connection, so that pg_prepared_statements (per session) shows the one it used.
    await database.db.connection().execute(async (db) => {
      const statement = prepared(
        sql<{ name_ja: string }>`select name_ja from project where municipality_code = ${"431001"} and id = any(${[1, 2, 3]}) order by id`.compile(db),
        planOnce,
      );
      const first = await db.executeQuery(statement);
      const again = await db.executeQuery(statement);
      expect(first.rows.length).toBe(3);
      expect(again.rows).toEqual(first.rows);
      expect((await db.executeQuery(unprepared(statement))).rows).toEqual(first.rows);
      expect(await preparedStatements(db, statement.sql)).toHaveLength(1);
    });
  });

  it("on PGlite, leaves a statement not marked planOnce to be planned per run", async () => {
    await database.db.connection().execute(async (db) => {
      const statement = prepared(sql<{ n: number }>`select count(*)::int as n from project where fiscal_year = ${2023}`.compile(db));
      await db.executeQuery(statement);
      expect(await preparedStatements(db, statement.sql)).toHaveLength(kind === "pglite" ? 0 : 1);
    });
  });

  it("passes every kind of value as a bound parameter would", async () => {
    const values = [
      "O'Brien \\ 'quoted' \\' $1 --",
      "全角　スペースと ﾍﾟｱﾚﾝﾄ",
      42,
      -7.25,
      true,
      null,
      ["a'b", "c\\d", "", "e,f", '"g"', "{h}", "NULL"],
      [1, 2, 3],
      "9007199254740993",
    ];
    const statement = prepared(
      sql<Record<string, unknown>>`select ${values[0]}::text as a, ${values[1]}::text as b, ${values[2]}::int as c, ${values[3]}::numeric as d,
        ${values[4]}::boolean as e, ${values[5]}::text as f, ${values[6]}::text[] as g, ${values[7]}::int[] as h, ${values[8]}::int8 as i`.compile(database.db),
      planOnce,
    );
    const expected = (await database.db.executeQuery(unprepared(statement))).rows;
    expect(expected[0]).toMatchObject({ a: values[0], b: values[1], c: 42, e: true, f: null, g: values[6], h: values[7], i: "9007199254740993" });
    for (let i = 0; i < 3; i++) expect((await database.db.executeQuery(statement)).rows).toEqual(expected);
  });

  it("refuses a NUL in a value with the error a bound value gets", async () => {
    const statement = prepared(sql<{ a: string }>`select ${"a\u0000b"}::text as a`.compile(database.db), planOnce);
    const plain = await database.db.executeQuery(unprepared(statement)).catch((error: { code?: string }) => error);
    const marked = await database.db.executeQuery(statement).catch((error: { code?: string }) => error);
    expect((plain as { code?: string }).code).toBe("22021");
    expect((marked as { code?: string }).code).toBe("22021");
  });

  if (kind === "pglite") {
    // On PostgreSQL, pg keeps its own record of what each connection prepared and does not
    // recover from these two (a statement dropped behind its back; a table change after
    // migrations, which run before the server reads); PGlite's PREPARE/EXECUTE path does.
    it("prepares a statement again after the session dropped it (DEALLOCATE ALL)", async () => {
      await database.db.connection().execute(async (db) => {
        const statement = prepared(sql<{ n: number }>`select count(*)::int as n from department where municipality_code = ${"431001"}`.compile(db), planOnce);
        const before = await db.executeQuery(statement);
        await sql`deallocate all`.execute(db);
        expect((await db.executeQuery(statement)).rows).toEqual(before.rows);
      });
    });

    it("prepares a statement again when a table change alters its result", async () => {
      await database.db.connection().execute(async (db) => {
        await sql`create table prepared_probe (a int)`.execute(db);
        try {
          await sql`insert into prepared_probe values (1)`.execute(db);
          const statement = prepared(sql<Record<string, unknown>>`select * from prepared_probe where a = ${1}`.compile(db), planOnce);
          expect((await db.executeQuery(statement)).rows).toEqual([{ a: 1 }]);
          await sql`alter table prepared_probe add column b text default 'x'`.execute(db);
          expect((await db.executeQuery(statement)).rows).toEqual([{ a: 1, b: "x" }]);
        } finally {
          await sql`drop table prepared_probe`.execute(db);
        }
      });
    });

    it("inside a transaction, a statement the session lost fails with its own error and runs again afterwards", async () => {
      const statement = prepared(
        sql<{ n: number }>`select count(*)::int as n from beneficiary_group where municipality_code = ${"431001"}`.compile(database.db),
        planOnce,
      );
      const before = await database.db.executeQuery(statement);
      const failed = await database.db
        .transaction()
        .execute(async (trx) => {
          await sql`deallocate all`.execute(trx);
          await trx.executeQuery(statement);
        })
        .catch((error: { code?: string; message?: string }) => error);
      expect(failed).toMatchObject({ code: "26000" });
      expect((failed as { message: string }).message).toMatch(/prepared statement .* does not exist/);
      expect((await database.db.executeQuery(statement)).rows).toEqual(before.rows);
    });
  }
});
