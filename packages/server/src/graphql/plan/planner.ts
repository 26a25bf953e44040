// The selection planner: a root field's whole selection (the fields the planner knows, nested
// lists and to-one relations included) compiled into ONE SQL statement in which PostgreSQL
// builds the nested objects as JSON: each nested list a correlated subquery with ORDER BY …
// LIMIT on its own index, counts only where totalCount is selected, cursor values only where a
// cursor is. Resolvers then read what was preloaded (`preloaded`); whatever the planner leaves
// out falls back to the batched loaders, so every field keeps working.
import { type ASTNode, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo, getNamedType, visit } from "graphql";
import { type CompiledQuery, type Kysely, type RawBuilder, sql } from "kysely";
import {
  type CursorValue,
  decodeCursor,
  encodeCursor,
  type Page,
  type PageArgs,
  pageSize,
  type SortTerm,
  seekCondition,
  valueOutOfDomain,
} from "../../data/pagination.ts";
import { prepared } from "../../db/database.ts";
import type { Database } from "../../db/types.ts";
import type { Context } from "../context.ts";
import type { ProjectListScope } from "../schema/project-query.ts";
import { argumentsOf, collectFields, objectTypeOf, type SelectedField, type SelectionContext, subSelections } from "./selection.ts";
import { type ListOptions, type PlannedTable, type Relation, rootLists, rootNodes, shapes, type TableShape } from "./shapes.ts";

/** Property of a planned object holding what the planner loaded for one response key. */
const preloadedKey = (responseKey: string) => `$${responseKey}`;
/** Property of a planned row holding its order values, when a cursor is selected. */
const CURSOR = "$cursor";

interface NodePlan {
  shape: TableShape;
  props: string[];
  relations: Array<{ responseKey: string; plan: RelationPlan }>;
}

interface ConnectionPlan {
  kind: "connection";
  table: PlannedTable;
  correlate: RawBuilder<boolean> | undefined;
  options: ListOptions;
  args: PageArgs;
  size: number;
  backward: boolean;
  after: CursorValue[] | undefined;
  before: CursorValue[] | undefined;
  cursors: boolean;
  count: boolean;
  /** Whether the client asks if more rows follow the page: only then is one more row read. */
  more: boolean;
  /** Whether the list's aggregate is selected (its resolver needs the list's scope and parent). */
  aggregate: boolean;
  /** The list's field in the document, which its aggregate's loader is kept by. */
  list: FieldNode;
  node: NodePlan;
}

type RelationPlan =
  | ConnectionPlan
  | { kind: "one"; table: PlannedTable; correlate: RawBuilder<boolean>; node: NodePlan }
  | { kind: "value"; expression: RawBuilder<unknown> };

/** The statement's JSON for a connection: rows (one more than the page, to tell if more follow) and the total. */
/** A list's rows, with its total when totalCount is selected. */
type ConnectionJson = Array<Record<string, unknown>> | { rows: Array<Record<string, unknown>>; total: number | null };

function selectionContext(info: GraphQLResolveInfo): SelectionContext {
  return { schema: info.schema, fragments: info.fragments, variableValues: info.variableValues };
}

function planNode(context: SelectionContext, shape: TableShape, type: GraphQLObjectType, field: SelectedField): NodePlan {
  return planNodeFrom(context, shape, collectFields(context, type, subSelections(field)));
}

function planNodeFrom(context: SelectionContext, shape: TableShape, fields: Map<string, SelectedField>): NodePlan {
  const props = new Set<string>();
  const relations: NodePlan["relations"] = [];
  for (const field of fields.values()) {
    if (field.name === "__typename") continue;
    const relation = shape.relations[field.name];
    const plan = relation ? planRelation(context, relation, field) : undefined;
    if (plan) {
      relations.push({ responseKey: field.responseKey, plan });
      // A list's aggregate covers the list of this parent: it needs the parent's key.
      if (plan.kind === "connection" && plan.aggregate) props.add("key");
      continue;
    }
    // What the resolver reads; a field the planner does not know gets the whole object.
    for (const prop of shape.fieldProps[field.name] ?? Object.keys(shape.props)) props.add(prop);
  }
  return { shape, props: [...props].filter((prop) => prop in shape.props), relations };
}

/**
 * A nested relation's plan, or undefined to leave it to its resolver: when its arguments are
 * not usable (the resolver then reports the error at the right path) or its nodes disagree.
 */
function planRelation(context: SelectionContext, relation: Relation, field: SelectedField): RelationPlan | undefined {
  if (relation.kind === "value") return field.nodes.length > 0 ? { kind: "value", expression: relation.expression } : undefined;
  const type = objectTypeOf(field);
  const args = argumentsOf(context, field);
  if (!type || !args) return undefined;
  try {
    if (relation.kind === "one")
      return { kind: "one", table: relation.target, correlate: relation.correlate, node: planNode(context, shapes[relation.target], type, field) };
    return planConnection(context, relation.target, relation.correlate, relation.options(args), args, type, field);
  } catch {
    return undefined;
  }
}

function planConnection(
  context: SelectionContext,
  table: PlannedTable,
  correlate: RawBuilder<boolean> | undefined,
  options: ListOptions,
  args: Record<string, unknown>,
  connectionType: GraphQLObjectType,
  field: SelectedField,
): ConnectionPlan {
  const pageArgs: PageArgs = {
    first: args.first as number | null | undefined,
    last: args.last as number | null | undefined,
    after: args.after as string | null | undefined,
    before: args.before as string | null | undefined,
  };
  const { size, backward } = pageSize(pageArgs);
  const after = pageArgs.after != null ? decodeCursor(options.order, pageArgs.after, "after") : undefined;
  const before = pageArgs.before != null ? decodeCursor(options.order, pageArgs.before, "before") : undefined;
  const connectionFields = collectFields(context, connectionType, subSelections(field));
  const nodeSelections: SelectedField[] = [];
  let cursors = false;
  let count = false;
  let more = false;
  let aggregate = false;
  let nodeType: GraphQLObjectType | undefined;
  for (const selected of connectionFields.values()) {
    if (selected.name === "totalCount") count = true;
    if (selected.name === "aggregate") aggregate = true;
    if (selected.name === "nodes") {
      nodeSelections.push(selected);
      nodeType = objectTypeOf(selected);
    }
    const selectedType = objectTypeOf(selected);
    if (selected.name === "pageInfo" && selectedType) {
      for (const info of collectFields(context, selectedType, subSelections(selected)).values()) {
        if (info.name === "startCursor" || info.name === "endCursor") cursors = true;
        if (info.name === (backward ? "hasPreviousPage" : "hasNextPage")) more = true;
      }
    }
    if (selected.name === "edges" && selectedType) {
      for (const edgeField of collectFields(context, selectedType, subSelections(selected)).values()) {
        if (edgeField.name === "cursor") cursors = true;
        if (edgeField.name === "node") {
          nodeSelections.push(edgeField);
          nodeType = objectTypeOf(edgeField);
        }
      }
    }
  }
  const shape = shapes[table];
  const fields = nodeType
    ? collectFields(
        context,
        nodeType,
        nodeSelections.flatMap((selected) => subSelections(selected)),
      )
    : new Map<string, SelectedField>();
  const node = nodeType ? planNodeFrom(context, shape, fields) : { shape, props: [], relations: [] };
  return {
    kind: "connection",
    table,
    correlate,
    options,
    args: pageArgs,
    size,
    backward,
    after,
    before,
    cursors,
    count,
    more,
    aggregate,
    list: field.nodes[0] as FieldNode,
    node,
  };
}

const conjunction = (conditions: Array<RawBuilder<boolean> | undefined>) => {
  const present = conditions.filter((c): c is RawBuilder<boolean> => c !== undefined);
  return present.length ? sql.join(present, sql` and `) : sql`true`;
};

/** Order values as JSON keeps them exactly: numbers as text (int8 and numeric exceed a double). */
function cursorValues(order: readonly SortTerm[]): RawBuilder<unknown> {
  return sql`json_build_array(${sql.join(order.map((term) => (term.kind === "integer" || term.kind === "decimal" ? sql`(${term.expression})::text` : term.expression)))})`;
}

// json_build_object takes at most 100 arguments: larger objects are built in parts and merged.
const MAX_PAIRS = 50;

function jsonObject(pairs: Array<[string, RawBuilder<unknown>]>): RawBuilder<unknown> {
  if (pairs.length === 0) return sql`'{}'::json`;
  const parts: RawBuilder<unknown>[] = [];
  for (let i = 0; i < pairs.length; i += MAX_PAIRS) {
    parts.push(sql`json_build_object(${sql.join(pairs.slice(i, i + MAX_PAIRS).flatMap(([name, value]) => [sql.lit(name), value]))})`);
  }
  if (parts.length === 1) return parts[0] as RawBuilder<unknown>;
  return sql`(${sql.join(
    parts.map((part) => sql`${part}::jsonb`),
    sql` || `,
  )})::json`;
}

function nodeJson(node: NodePlan, extra: Array<[string, RawBuilder<unknown>]> = []): RawBuilder<unknown> {
  const pairs: Array<[string, RawBuilder<unknown>]> = node.props.map((prop) => [prop, node.shape.props[prop] as RawBuilder<unknown>]);
  for (const { responseKey, plan } of node.relations) pairs.push([preloadedKey(responseKey), relationJson(plan)]);
  return jsonObject([...pairs, ...extra]);
}

function relationJson(plan: RelationPlan): RawBuilder<unknown> {
  switch (plan.kind) {
    case "value":
      return plan.expression;
    case "one":
      return sql`(select ${nodeJson(plan.node)} from ${sql.table(plan.table)} where ${plan.correlate})`;
    case "connection":
      return connectionJson(plan);
  }
}

function connectionJson(plan: ConnectionPlan): RawBuilder<unknown> {
  const { order, where } = plan.options;
  const table = sql.table(plan.table);
  const seek = [plan.after ? seekCondition(order, plan.after, "after") : undefined, plan.before ? seekCondition(order, plan.before, "before") : undefined];
  const orderBy = sql.join(order.map((term) => sql`${term.expression} ${sql.raw((term.direction === "asc") !== plan.backward ? "asc" : "desc")}`));
  const row = nodeJson(plan.node, plan.cursors ? [[CURSOR, cursorValues(order)]] : []);
  const rows = sql`(select coalesce(json_agg(page.row), '[]'::json) from (select ${row} as row from ${table}
    where ${conjunction([plan.correlate, where, ...seek])} order by ${orderBy} limit ${plan.more ? plan.size + 1 : plan.size}) page)`;
  // Only with a count is the list wrapped: each wrapper copies the whole nested text once more
  // (the nested page spent half its database time in them).
  if (!plan.count) return rows;
  return sql`json_build_object('rows', ${rows}, 'total', (select count(*)::int from ${table} where ${conjunction([plan.correlate, where])}))`;
}

/** Turns the statement's JSON into what resolvers return: pages with edges and cursors. */
function toPlannedPage(plan: ConnectionPlan, json: ConnectionJson, parentKey: string): Page<Record<string, unknown>> & { scope?: ProjectListScope } {
  const rows = Array.isArray(json) ? json : json.rows;
  const hasMore = rows.length > plan.size;
  const pageRows = rows.slice(0, plan.size);
  if (plan.backward) pageRows.reverse();
  const order = plan.options.order;
  const edges = pageRows.map((row) => {
    fillNode(plan.node, row);
    return { cursor: plan.cursors ? encodeCursor(order, row[CURSOR] as CursorValue[]) : "", node: row };
  });
  const page = {
    edges,
    totalCount: Array.isArray(json) ? 0 : (json.total ?? 0),
    pageInfo: {
      hasNextPage: plan.backward ? plan.before !== undefined : hasMore,
      hasPreviousPage: plan.backward ? hasMore : plan.after !== undefined,
      startCursor: plan.cursors ? (edges[0]?.cursor ?? null) : null,
      endCursor: plan.cursors ? (edges.at(-1)?.cursor ?? null) : null,
    },
  };
  const scope = plan.options.scope;
  return scope ? { ...page, scope: { parent: scope.parent, parentKey, where: scope.where, list: plan.list } } : page;
}

function fillNode(node: NodePlan, row: Record<string, unknown>): void {
  for (const { responseKey, plan } of node.relations) {
    const key = preloadedKey(responseKey);
    const value = row[key];
    if (plan.kind === "connection") row[key] = toPlannedPage(plan, value as ConnectionJson, String(row.key));
    else if (plan.kind === "one" && value) fillNode(plan.node, value as Record<string, unknown>);
  }
}

/** What the planner loaded for this field of a planned parent; undefined when it was not planned. */
export function preloaded<T>(parent: object, info: GraphQLResolveInfo): T | undefined {
  return (parent as Record<string, T | undefined>)[preloadedKey(String(info.path.key))];
}

/** Runs a planned statement; undefined when a cursor held a value the database refused, so the loaders report it. */
async function run<Row>(db: Kysely<Database>, statement: CompiledQuery<Row>): Promise<{ row: Row | undefined } | undefined> {
  try {
    return { row: (await db.executeQuery(statement)).rows[0] };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && valueOutOfDomain.has(code)) return undefined;
    throw error;
  }
}

/**
 * Plans compiled once per field of a document and the values of the variables its selection
 * reads, so a repeated request neither walks its selection nor builds SQL again, and sends
 * the same statement text. Kept with the parsed document (Yoga caches those), a few per field.
 */
interface PlanCache {
  variables: string[];
  plans: Map<string, unknown>;
}
const planCaches = new WeakMap<FieldNode, PlanCache>();
const PLANS_PER_FIELD = 32;

/** Names of the variables these nodes read (arguments and directives, through fragments). */
function variablesRead(info: GraphQLResolveInfo, nodes: readonly ASTNode[]): string[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (node: ASTNode) =>
    visit(node, {
      Variable: (variable) => {
        names.add(variable.name.value);
      },
      FragmentSpread: (spread) => {
        const fragment = info.fragments[spread.name.value];
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          walk(fragment);
        }
      },
    });
  for (const node of nodes) walk(node);
  return [...names].sort();
}

function cachedPlan<P>(info: GraphQLResolveInfo, withArguments: boolean, build: () => P): P {
  const fieldNode = info.fieldNodes[0] as FieldNode;
  let cache = planCaches.get(fieldNode);
  if (!cache) {
    const nodes = withArguments ? info.fieldNodes : info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
    cache = { variables: variablesRead(info, nodes), plans: new Map() };
    planCaches.set(fieldNode, cache);
  }
  const key = JSON.stringify(cache.variables.map((name) => info.variableValues[name] ?? null));
  let plan = cache.plans.get(key) as P | undefined;
  if (!plan) {
    plan = build();
    if (cache.plans.size >= PLANS_PER_FIELD) cache.plans.delete(cache.plans.keys().next().value as string);
    cache.plans.set(key, plan);
  }
  return plan;
}

function rootField(info: GraphQLResolveInfo): SelectedField {
  return { responseKey: String(info.path.key), name: info.fieldName, nodes: [...info.fieldNodes], definition: undefined, consistent: true };
}

/**
 * A root list (departments, projects) loaded with its whole selection in one statement.
 * Undefined when the fallback must answer (a cursor the database refused).
 */
export async function planRootList<T>(context: Context, info: GraphQLResolveInfo, list: keyof typeof rootLists, args: object): Promise<Page<T> | undefined> {
  if (!context.planned) return undefined;
  const db = context.db;
  const { plan, statement } = cachedPlan(info, true, () => {
    const root = rootLists[list];
    const values = args as Record<string, unknown>;
    const plan = planConnection(
      selectionContext(info),
      root.table,
      undefined,
      root.options(values),
      values,
      getNamedType(info.returnType) as GraphQLObjectType,
      rootField(info),
    );
    return { plan, statement: prepared(sql<{ page: ConnectionJson }>`select ${connectionJson(plan)} as page`.compile(db)) };
  });
  const result = await run(db, statement);
  return result?.row ? (toPlannedPage(plan, result.row.page, "") as unknown as Page<T>) : undefined;
}

/**
 * One row of a planned table by key, with its whole selection, in one statement: null when
 * absent, undefined when the fallback must answer (a nested cursor the database refused).
 */
export async function planRootNode<T>(
  context: Context,
  info: GraphQLResolveInfo,
  root: keyof typeof rootNodes,
  key: readonly string[],
): Promise<T | null | undefined> {
  if (!context.planned) return undefined;
  const db = context.db;
  const { table } = rootNodes[root];
  const { node, statement } = cachedPlan(info, false, () => {
    const node = planNode(selectionContext(info), shapes[table], getNamedType(info.returnType) as GraphQLObjectType, rootField(info));
    // The key is the statement's last parameters, so one compiled statement serves every key.
    const where = sql.join(
      rootNodes[root].key.map((condition) => condition("")),
      sql` and `,
    );
    return {
      node,
      statement: prepared(sql<{ node: Record<string, unknown> }>`select ${nodeJson(node)} as node from ${sql.table(table)} where ${where}`.compile(db)),
    };
  });
  const keyed: CompiledQuery<{ node: Record<string, unknown> }> = { ...statement, parameters: [...statement.parameters.slice(0, -key.length), ...key] };
  const result = await run(db, keyed);
  if (!result) return undefined;
  if (!result.row) return null;
  fillNode(node, result.row.node);
  return result.row.node as T;
}
