// Rows of municipal tables are identified by (municipality_code, id): the key string
// "431001:42" carries both, so lookups stay routable by municipality.
import { type Kysely, type RawBuilder, type Selectable, sql } from "kysely";
import type { Database } from "../db/types.ts";

export interface RowKey {
  municipalityCode: string;
  id: string;
}

export function keyOf(municipalityCode: string, id: string): string {
  return `${municipalityCode}:${id}`;
}

/** Parses "431001:42"; undefined for anything else (a malformed id finds nothing). */
export function parseKey(key: string): RowKey | undefined {
  const match = /^(\d{6}):(\d{1,18})$/.exec(key);
  return match ? { municipalityCode: match[1] as string, id: match[2] as string } : undefined;
}

export type MunicipalTable = "ward" | "source_document" | "department" | "beneficiary_group" | "project" | "beneficiary_count" | "usage_figure";

/**
 * One statement for any number of keys, each row mapped to its domain object; the result is in
 * the order of `keys`, undefined where missing.
 */
export async function findByKeys<T extends MunicipalTable, V>(
  db: Kysely<Database>,
  table: T,
  keys: readonly string[],
  map: (row: Selectable<Database[T]>) => V,
): Promise<Array<V | undefined>> {
  const rows = (await (db as Kysely<any>)
    .selectFrom(table)
    .selectAll()
    .where(inKeys("municipality_code", "id", keys))
    .execute()) as Array<Selectable<Database[T]> & { municipality_code: string; id: string }>;
  const byKey = new Map(rows.map((r) => [keyOf(r.municipality_code, String(r.id)), r]));
  return keys.map((k) => {
    const row = byKey.get(k);
    return row ? map(row) : undefined;
  });
}

/** `(code_column, id_column) in ((…), …)` for row keys; false when there are none. */
export function inKeys(codeColumn: string, idColumn: string, keys: readonly string[]): RawBuilder<boolean> {
  const parsed = keys.map(parseKey).filter((k): k is RowKey => k !== undefined);
  if (parsed.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.ref(codeColumn)}, ${sql.ref(idColumn)}) in (${sql.join(parsed.map((k) => sql`(${k.municipalityCode}, ${k.id}::bigint)`))})`;
}

/**
 * A row key as sortable text, for grouped buckets whose keys a cursor compares: the id
 * zero-padded so that text order is id order. Null when the id is null.
 */
export function sortableKey(code: RawBuilder<unknown>, id: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`${code} || ':' || lpad(${id}::text, 19, '0')`;
}

/** The row key of a sortableKey text; null for an empty or absent one. */
export function fromSortableKey(text: string | null | undefined): string | null {
  if (!text) return null;
  const [code, id] = text.split(":");
  return keyOf(code as string, BigInt(id as string).toString());
}
