// Keyset pagination for every connection, batched over many parents in one statement:
// rows are numbered per parent by the requested order, the cursor is the last row's order
// values, and totals are counted over the filtered set, not the page.
import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from "kysely";
import { QueryInputError } from "./query-input.ts";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageArgs {
  first?: number | null | undefined;
  last?: number | null | undefined;
  after?: string | null | undefined;
  before?: string | null | undefined;
  /**
   * Root lists only: false when the client did not ask for totalCount, so a page of a large
   * list does not count the whole filtered set (the page's totalCount is then 0).
   */
  countTotal?: boolean | undefined;
}

export type SortKind = "text" | "integer" | "decimal" | "boolean";

export interface SortTerm {
  /** A SQL expression over the base query's tables; must not be null (coalesce it). */
  expression: RawBuilder<unknown>;
  direction: "asc" | "desc";
  kind: SortKind;
  /** Part of the ordering's signature, so a cursor made for one order is refused by another. */
  name: string;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

type CursorValue = string | number | boolean;

function signature(order: SortTerm[]): string {
  return order.map((t) => `${t.name}:${t.direction}`).join(",");
}

export function encodeCursor(order: SortTerm[], values: CursorValue[]): string {
  return Buffer.from(JSON.stringify({ o: signature(order), v: values })).toString("base64url");
}

function isValueOfKind(value: unknown, kind: SortKind): value is CursorValue {
  switch (kind) {
    case "text":
      return typeof value === "string" && value.length <= 10_000;
    case "integer":
      return (typeof value === "string" && /^-?\d{1,19}$/.test(value)) || Number.isSafeInteger(value);
    case "decimal":
      return (typeof value === "string" && /^-?\d{1,30}(\.\d{1,30})?$/.test(value)) || (typeof value === "number" && Number.isFinite(value));
    case "boolean":
      return typeof value === "boolean";
  }
}

function invalidCursor(path: string, why: string): QueryInputError {
  return new QueryInputError(`"${path}" is not a valid cursor for this list (${why}); use a cursor this list returned`, path);
}

export function decodeCursor(order: SortTerm[], cursor: string, path: string): CursorValue[] {
  const invalid = (why: string) => invalidCursor(path, why);
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw new Error("not base64url");
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid("it cannot be decoded");
  }
  if (!parsed || typeof parsed !== "object") throw invalid("it cannot be decoded");
  const { o, v } = parsed as { o?: unknown; v?: unknown };
  if (o !== signature(order)) throw invalid("it was made for a different ordering");
  if (!Array.isArray(v) || v.length !== order.length || !v.every((value, i) => isValueOfKind(value, (order[i] as SortTerm).kind))) {
    throw invalid("it has been altered");
  }
  return v as CursorValue[];
}

// SQLSTATEs of a value its column type cannot hold: out of range (an int4 beyond 2^31), not in
// the encoding (a NUL in text), not a number. A cursor this API made never carries one.
const valueOutOfDomain = new Set(["22003", "22021", "22P02", "22P05"]);

/**
 * Runs a page's statement; when a cursor was given and the database refuses one of its
 * values, the cursor was altered: a client error, not an internal one.
 */
async function withCursorValues<T>(args: PageArgs, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const path = args.after != null ? "after" : args.before != null ? "before" : undefined;
    if (path && typeof code === "string" && valueOutOfDomain.has(code)) throw invalidCursor(path, "it has been altered");
    throw error;
  }
}

export function pageSize(args: PageArgs): { size: number; backward: boolean } {
  for (const name of ["first", "last"] as const) {
    const value = args[name];
    if (value === null || value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) throw new QueryInputError(`"${name}" must be a whole number from 0 to ${MAX_PAGE_SIZE}`, name);
    if (value > MAX_PAGE_SIZE)
      throw new QueryInputError(`"${name}" is ${value}, above the maximum page size of ${MAX_PAGE_SIZE}; page with "after"/"before" instead`, name);
  }
  if (args.first != null && args.last != null) throw new QueryInputError(`pass either "first" or "last", not both`, "last");
  if (args.last != null) return { size: args.last, backward: true };
  return { size: args.first ?? DEFAULT_PAGE_SIZE, backward: false };
}

function comparison(direction: "asc" | "desc", side: "after" | "before"): RawBuilder<unknown> {
  const greater = (direction === "asc") === (side === "after");
  return sql.raw(greater ? ">" : "<");
}

/**
 * Rows strictly after (or before) the cursor: an OR over prefixes of equal order values, each
 * term compared in its own direction. `expressions` are the order terms as the query sees them.
 */
function orOfPrefixes(expressions: RawBuilder<unknown>[], order: SortTerm[], values: CursorValue[], side: "after" | "before"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    values.map((value, i) => {
      const equalPrefix = values.slice(0, i).map((v, j) => sql`${expressions[j]} = ${v}`);
      const term = order[i] as SortTerm;
      return sql`(${sql.join([...equalPrefix, sql`${expressions[i]} ${comparison(term.direction, side)} ${value}`], sql` and `)})`;
    }),
    sql` or `,
  )})`;
}

/** The cursor condition on the order columns a batched query selected as b.__o0, b.__o1, … */
function cursorCondition(order: SortTerm[], values: CursorValue[], side: "after" | "before"): RawBuilder<boolean> {
  return orOfPrefixes(
    order.map((_, i) => sql`b.${sql.ref(`__o${i}`)}`),
    order,
    values,
    side,
  );
}

export interface ConnectionQuery<Row> {
  db: Kysely<any>;
  /** The filtered rows; selects the columns the mapper needs. */
  base: SelectQueryBuilder<any, any, Row>;
  /** Expression grouping rows into one connection per parent; omit for a root connection. */
  partitionBy?: RawBuilder<unknown> | undefined;
  /**
   * A query computed once per statement as a materialized CTE that `base` reads by name
   * (root connections): grouped buckets are then not aggregated twice, for count and page.
   */
  shared?: { name: string; query: RawBuilder<unknown> } | undefined;
  /** The same rows for counting, when `base` computes costly columns a count does not need (root connections). */
  countBase?: SelectQueryBuilder<any, any, any> | undefined;
  /** Ordering; the last term must make it total (an id). */
  order: SortTerm[];
  args: PageArgs;
}

/**
 * Rows after (or before) the cursor, on the order expressions themselves so that PostgreSQL
 * can match them to an index. When every term runs the same way, a row comparison
 * `(a, b, id) > ($1, $2, $3)` lets a btree seek straight to the cursor: page 500 then costs
 * what page 1 costs. Mixed directions fall back to the OR of prefixes.
 */
function seekCondition(order: SortTerm[], values: CursorValue[], side: "after" | "before"): RawBuilder<boolean> {
  const direction = order[0]?.direction;
  if (order.every((term) => term.direction === direction)) {
    return sql<boolean>`(${sql.join(order.map((t) => t.expression))}) ${comparison(direction ?? "asc", side)} (${sql.join(values.map((v) => sql`${v}`))})`;
  }
  return orOfPrefixes(
    order.map((t) => t.expression),
    order,
    values,
    side,
  );
}

/**
 * A root connection (no parents): ORDER BY … LIMIT over the filtered rows, which an index on
 * the order expressions serves without reading the rows before the cursor, and the total
 * counted over the whole filtered set in the same statement.
 */
async function loadRootPage<Row>(query: ConnectionQuery<Row>, size: number, backward: boolean, after?: CursorValue[], before?: CursorValue[]) {
  const order = query.order;
  let paged = query.base;
  order.forEach((term, i) => {
    paged = paged.select(term.expression.as(`__o${i}`));
  });
  if (after) paged = paged.where(seekCondition(order, after, "after"));
  if (before) paged = paged.where(seekCondition(order, before, "before"));
  for (const term of order) {
    const asc = (term.direction === "asc") !== backward;
    paged = paged.orderBy(sql`${term.expression} ${sql.raw(asc ? "asc" : "desc")}`);
  }
  paged = paged.limit(size + 1);
  const counted = (query.countBase ?? query.base).clearSelect().select(sql`1`.as("one"));
  const shared = query.shared ? sql`with ${sql.id(query.shared.name)} as materialized (${query.shared.query}) ` : sql``;
  const result = await withCursorValues(query.args, () =>
    sql<Row & { __total: number } & Record<string, unknown>>`
    ${shared}select t.__total, p.*
    from (${query.args.countTotal === false ? sql`select 0 as __total` : sql`select count(*)::int as __total from (${counted}) c`}) t
    left join lateral (${paged}) p on true`.execute(query.db),
  );
  const total = result.rows[0]?.__total ?? 0;
  const rows = result.rows.filter((row) => row.__o0 !== undefined && row.__o0 !== null);
  return new Map([["", toPage<Row>(order, rows, total, size, backward, after, before)]]);
}

function toPage<Row>(
  order: SortTerm[],
  rows: Array<Record<string, unknown>>,
  total: number,
  size: number,
  backward: boolean,
  after?: CursorValue[],
  before?: CursorValue[],
): Page<Row> {
  const hasMore = rows.length > size;
  const pageRows = rows.slice(0, size);
  if (backward) pageRows.reverse();
  const edges = pageRows.map((row) => {
    const cursor = encodeCursor(
      order,
      order.map((_, i) => row[`__o${i}`] as CursorValue),
    );
    const node = { ...row };
    for (const key of Object.keys(node)) if (key.startsWith("__")) delete node[key];
    return { cursor, node: node as Row };
  });
  return {
    edges,
    totalCount: total,
    pageInfo: {
      hasNextPage: backward ? before !== undefined : hasMore,
      hasPreviousPage: backward ? hasMore : after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Pages of rows for many parents in one SQL statement. Returns a map from the parent key
 * (as text; "" for a root connection) to its page of raw rows.
 */
export async function loadPages<Row>(query: ConnectionQuery<Row>): Promise<Map<string, Page<Row>>> {
  const { size, backward } = pageSize(query.args);
  const order = query.order;
  const after = query.args.after != null ? decodeCursor(order, query.args.after, "after") : undefined;
  const before = query.args.before != null ? decodeCursor(order, query.args.before, "before") : undefined;
  if (!query.partitionBy) return loadRootPage(query, size, backward, after, before);

  let base = query.base.select(sql<string>`(${query.partitionBy ?? sql`''`})::text`.as("__parent"));
  order.forEach((term, i) => {
    base = base.select(term.expression.as(`__o${i}`));
  });
  const conditions: RawBuilder<boolean>[] = [];
  if (after) conditions.push(cursorCondition(order, after, "after"));
  if (before) conditions.push(cursorCondition(order, before, "before"));
  const where = conditions.length ? sql.join(conditions, sql` and `) : sql`true`;
  const windowOrder = sql.join(
    order.map((term, i) => {
      const asc = (term.direction === "asc") !== backward;
      return sql`b.${sql.ref(`__o${i}`)} ${sql.raw(asc ? "asc" : "desc")}`;
    }),
  );

  const result = await withCursorValues(query.args, () =>
    sql<Row & { __parent: string; __total: number; __rn: number | null } & Record<string, unknown>>`
    with base as (${base}),
    totals as (select __parent, count(*)::int as __total from base group by __parent),
    paged as (
      select b.*, row_number() over (partition by b.__parent order by ${windowOrder})::int as __rn
      from base b where ${where}
    )
    select t.__total, t.__parent as __tparent, p.*
    from totals t left join paged p on p.__parent = t.__parent and p.__rn <= ${size + 1}
    order by t.__parent, p.__rn`.execute(query.db),
  );

  const pages = new Map<string, Page<Row>>();
  const rowsByParent = new Map<string, { total: number; rows: Array<Record<string, unknown>> }>();
  for (const row of result.rows) {
    const parent = String(row.__tparent);
    let entry = rowsByParent.get(parent);
    if (!entry) {
      entry = { total: row.__total, rows: [] };
      rowsByParent.set(parent, entry);
    }
    if (row.__rn !== null && row.__rn !== undefined) entry.rows.push(row);
  }
  for (const [parent, { total, rows }] of rowsByParent) {
    pages.set(parent, toPage<Row>(order, rows, total, size, backward, after, before));
  }
  return pages;
}

export function emptyPage<T>(): Page<T> {
  return { edges: [], totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
}
