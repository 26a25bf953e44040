// Keyset pagination for every connection, batched over many parents in one statement:
// rows are numbered per parent by the requested order, the cursor is the last row's order
// values, and totals are counted over the filtered set, not the page.
import { type QueryExecutorProvider, type QueryResult, type RawBuilder, type SelectQueryBuilder, sql } from "kysely";
import { prepared } from "../db/database.ts";
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

export type CursorValue = string | number | boolean;

function signature(order: readonly SortTerm[]): string {
  return order.map((t) => `${t.name}:${t.direction}`).join(",");
}

/**
 * Numbers travel as text, whatever the driver made of them (int4 a number, int8 and numeric a
 * string), so the batched and the planned path write the same cursor for the same row.
 */
export function encodeCursor(order: readonly SortTerm[], values: readonly CursorValue[]): string {
  const canonical = values.map((value, i) => ((order[i] as SortTerm).kind === "integer" || (order[i] as SortTerm).kind === "decimal" ? String(value) : value));
  return Buffer.from(JSON.stringify({ o: signature(order), v: canonical })).toString("base64url");
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

export function decodeCursor(order: readonly SortTerm[], cursor: string, path: string): CursorValue[] {
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
export const valueOutOfDomain = new Set(["22003", "22021", "22P02", "22P05"]);

/**
 * Runs a page's statement; when a cursor was given and the database refuses one of its
 * values, the cursor was altered: a client error, not an internal one.
 */
export async function withCursorValues<T>(args: PageArgs, run: () => Promise<T>): Promise<T> {
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
function orOfPrefixes(expressions: RawBuilder<unknown>[], order: readonly SortTerm[], values: CursorValue[], side: "after" | "before"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    values.map((value, i) => {
      const equalPrefix = values.slice(0, i).map((v, j) => sql`${expressions[j]} = ${v}`);
      const term = order[i] as SortTerm;
      return sql`(${sql.join([...equalPrefix, sql`${expressions[i]} ${comparison(term.direction, side)} ${value}`], sql` and `)})`;
    }),
    sql` or `,
  )})`;
}

// Columns a page statement adds to the base rows, named so no table column can clash; toPage
// strips them from the rows it hands on.
const orderColumn = (i: number) => `page_order_${i}`;
const PARENT = "page_parent";
const TOTAL = "page_total";
const ROW_NUMBER = "page_row_number";
const LIST = "page_list";

/** What the page statements return besides the base row's own columns. */
interface PageColumns {
  [TOTAL]: number;
  /** The list (parent) a row belongs to; batched pages only. */
  [LIST]?: string;
  /** The row's place in its list, null for a list with no rows; batched pages only. */
  [ROW_NUMBER]?: number | null;
}

type PageRow<Row> = Row & PageColumns & Record<string, unknown>;

function isPageColumn(name: string): boolean {
  return name === PARENT || name === TOTAL || name === ROW_NUMBER || name === LIST || name.startsWith("page_order_");
}

/** The cursor condition on the order columns a batched query selected as b.page_order_0, … */
function cursorCondition(order: SortTerm[], values: CursorValue[], side: "after" | "before"): RawBuilder<boolean> {
  return orOfPrefixes(
    order.map((_, i) => sql`b.${sql.ref(orderColumn(i))}`),
    order,
    values,
    side,
  );
}

/** A page query over tables `TB` of database `DB` (the app's tables, or a derived table such as a bucket CTE). */
export interface ConnectionQuery<Row, DB, TB extends keyof DB> {
  /** Runs the statement: the Kysely instance (or transaction) `base` was built from. */
  db: QueryExecutorProvider;
  /** The filtered rows; selects the columns the mapper needs. */
  base: SelectQueryBuilder<DB, TB, Row>;
  /** Expression grouping rows into one connection per parent; omit for a root connection. */
  partitionBy?: RawBuilder<unknown> | undefined;
  /**
   * A query computed once per statement as a materialized CTE that `base` reads by name
   * (root connections): grouped buckets are then not aggregated twice, for count and page.
   */
  shared?: { name: string; query: RawBuilder<unknown> } | undefined;
  /** Ordering; the last term must make it total (an id). */
  order: SortTerm[];
  args: PageArgs;
  /** The statement's plan does not depend on its values (prepared() planOnce): PGlite prepares it too. */
  planOnce?: boolean | undefined;
}

/**
 * Rows after (or before) the cursor, on the order expressions themselves so that PostgreSQL
 * can match them to an index. When every term runs the same way, a row comparison
 * `(a, b, id) > ($1, $2, $3)` lets a btree seek straight to the cursor: page 500 then costs
 * what page 1 costs. Mixed directions fall back to the OR of prefixes.
 */
export function seekCondition(order: readonly SortTerm[], values: CursorValue[], side: "after" | "before"): RawBuilder<boolean> {
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
async function loadRootPage<Row, DB, TB extends keyof DB>(
  query: ConnectionQuery<Row, DB, TB>,
  size: number,
  backward: boolean,
  after?: CursorValue[],
  before?: CursorValue[],
) {
  const order = query.order;
  let paged = query.base;
  order.forEach((term, i) => {
    paged = paged.select(term.expression.as(orderColumn(i)));
  });
  if (after) paged = paged.where(seekCondition(order, after, "after"));
  if (before) paged = paged.where(seekCondition(order, before, "before"));
  for (const term of order) {
    const asc = (term.direction === "asc") !== backward;
    paged = paged.orderBy(sql`${term.expression} ${sql.raw(asc ? "asc" : "desc")}`);
  }
  paged = paged.limit(size + 1);
  const counted = query.base.clearSelect().select(sql`1`.as("one"));
  const shared = query.shared ? sql`with ${sql.id(query.shared.name)} as materialized (${query.shared.query}) ` : sql``;
  const result = await withCursorValues(query.args, () =>
    executePrepared(
      query.db,
      query.planOnce,
      sql<PageRow<Row>>`
    ${shared}select t.${sql.ref(TOTAL)}, p.*
    from (${query.args.countTotal === false ? sql`select 0 as ${sql.ref(TOTAL)}` : sql`select count(*)::int as ${sql.ref(TOTAL)} from (${counted}) c`}) t
    left join lateral (${paged}) p on true`,
    ),
  );
  const total = result.rows[0]?.[TOTAL] ?? 0;
  const rows = result.rows.filter((row) => row[orderColumn(0)] !== undefined && row[orderColumn(0)] !== null);
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
      order.map((_, i) => row[orderColumn(i)] as CursorValue),
    );
    const node = { ...row };
    for (const key of Object.keys(node)) if (isPageColumn(key)) delete node[key];
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
 * Runs a page statement as a named prepared statement: its text depends only on the shape of
 * the request (keys, words and cursors are parameters), so PostgreSQL parses and plans it once
 * per connection; a search spent as long planning as executing.
 */
function executePrepared<Row>(db: QueryExecutorProvider, planOnce: boolean | undefined, statement: RawBuilder<Row>): Promise<QueryResult<Row>> {
  return db.getExecutor().executeQuery(prepared(statement.compile(db), { planOnce }));
}

/**
 * Pages of rows for many parents in one SQL statement. Returns a map from the parent key
 * (as text; "" for a root connection) to its page of raw rows.
 */
export async function loadPages<Row, DB, TB extends keyof DB>(query: ConnectionQuery<Row, DB, TB>): Promise<Map<string, Page<Row>>> {
  const { size, backward } = pageSize(query.args);
  const order = query.order;
  const after = query.args.after != null ? decodeCursor(order, query.args.after, "after") : undefined;
  const before = query.args.before != null ? decodeCursor(order, query.args.before, "before") : undefined;
  if (!query.partitionBy) return loadRootPage(query, size, backward, after, before);

  let base = query.base.select(sql<string>`(${query.partitionBy ?? sql`''`})::text`.as(PARENT));
  order.forEach((term, i) => {
    base = base.select(term.expression.as(orderColumn(i)));
  });
  const conditions: RawBuilder<boolean>[] = [];
  if (after) conditions.push(cursorCondition(order, after, "after"));
  if (before) conditions.push(cursorCondition(order, before, "before"));
  const where = conditions.length ? sql.join(conditions, sql` and `) : sql`true`;
  const windowOrder = sql.join(
    order.map((term, i) => {
      const asc = (term.direction === "asc") !== backward;
      return sql`b.${sql.ref(orderColumn(i))} ${sql.raw(asc ? "asc" : "desc")}`;
    }),
  );

  const result = await withCursorValues(query.args, () =>
    executePrepared(
      query.db,
      query.planOnce,
      sql<PageRow<Row>>`
    with base as (${base}),
    totals as (select page_parent, count(*)::int as page_total from base group by page_parent),
    paged as (
      select b.*, row_number() over (partition by b.page_parent order by ${windowOrder})::int as page_row_number
      from base b where ${where}
    )
    select t.page_total, t.page_parent as page_list, p.*
    from totals t left join paged p on p.page_parent = t.page_parent and p.page_row_number <= ${size + 1}
    order by t.page_parent, p.page_row_number`,
    ),
  );

  const pages = new Map<string, Page<Row>>();
  const rowsByParent = new Map<string, { total: number; rows: Array<Record<string, unknown>> }>();
  for (const row of result.rows) {
    const parent = String(row[LIST]);
    let entry = rowsByParent.get(parent);
    if (!entry) {
      entry = { total: row[TOTAL], rows: [] };
      rowsByParent.set(parent, entry);
    }
    if (row[ROW_NUMBER] !== null && row[ROW_NUMBER] !== undefined) entry.rows.push(row);
  }
  for (const [parent, { total, rows }] of rowsByParent) {
    pages.set(parent, toPage<Row>(order, rows, total, size, backward, after, before));
  }
  return pages;
}

export function emptyPage<T>(): Page<T> {
  return { edges: [], totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
}
