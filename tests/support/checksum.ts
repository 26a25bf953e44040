// "The database is exactly as it was": one md5 per table over every row ordered by primary
// key, with the row count beside it so a failing comparison says which table moved.
import { type Kysely, sql } from "kysely";
import type { Database } from "../../packages/server/src/db/types.ts";

export async function tableChecksums(db: Kysely<Database>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string; key: string[] }>`
    select c.relname as name,
           array(select a.attname::text
                   from unnest(i.indkey) with ordinality as k(attnum, n)
                   join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                  order by k.n) as key
      from pg_class c
      join pg_namespace ns on ns.oid = c.relnamespace
      left join pg_index i on i.indrelid = c.oid and i.indisprimary
     where ns.nspname = 'public' and c.relkind = 'r'
       -- The data version is a cache key, not data: statement triggers move it even when
       -- a re-import rewrites nothing (tests/delivery.test.ts covers it).
       and c.relname <> 'data_version'
     order by c.relname`.execute(db);
  const sums: Record<string, string> = {};
  for (const { name, key } of tables.rows) {
    // Without a primary key the whole row is the order: still deterministic.
    const order = key.length ? sql.join(key.map((k) => sql.ref(`t.${k}`))) : sql`t::text`;
    const { rows } = await sql<{ n: string; md5: string | null }>`
      select count(*)::text as n, md5(string_agg(t::text, E'\n' order by ${order})) as md5 from ${sql.table(name)} as t`.execute(db);
    sums[name] = `${rows[0]?.n} rows, md5 ${rows[0]?.md5 ?? "-"}`;
  }
  return sums;
}
