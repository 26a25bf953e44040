// The selection planner: a root field's whole selection (the fields the planner knows, nested
// lists and to-one relations included) compiled into ONE SQL statement in which PostgreSQL
// builds the nested rows as arrays of text: each nested list a correlated subquery with ORDER BY …
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
import {
  type ListOptions,
  type PlannedProp,
  type PlannedTable,
  type PropKind,
  type Relation,
  rootLists,
  rootNodes,
  shapes,
  type TableShape,
} from "./shapes.ts";

/** Property of a planned object holding what the planner loaded for one response key. */
const preloadedKey = (responseKey: string) => `$${responseKey}`;

interface NodePlan {
  shape: TableShape;
  props: string[];
  /** How each of `props` is read back from its text, in the same order. */
  readers: Array<(value: string) => unknown>;
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
  const planned = [...props].filter((prop) => prop in shape.props);
  return { shape, props: planned, readers: planned.map((prop) => readProp[(shape.props[prop] as PlannedProp).kind]), relations };
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
  const node = nodeType ? planNodeFrom(context, shape, fields) : { shape, props: [], readers: [], relations: [] };
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
  return sql`json_build_array(${sql.join(order.map((term) => (term.kind === "integer" || term.kind === "decimal" ? sql`(${term.expression})::text` : term.expression)))})::text`;
}

// Rows travel as text arrays turned into JSON once per list (to_json of array(…)): PostgreSQL
// then looks up how to write a value once per list, where json_build_object does it for every
// value of every row (the nested page's statement took twice as long). A nested list or row is
// one text value of its parent's array, parsed when its parent is read.

/** A row as the statement sends it: its values as text, in the plan's order. */
type RowValues = Array<string | null>;

function propValue(prop: PlannedProp): RawBuilder<unknown> {
  return prop.kind === "textList" ? sql`array_to_json(${prop.expression})::text` : sql`(${prop.expression})::text`;
}

const readProp: Record<PropKind, (value: string) => unknown> = {
  text: (value) => value,
  integer: Number,
  boolean: (value) => value === "true",
  textList: (value) => JSON.parse(value),
};

function textArray(values: RawBuilder<unknown>[]): RawBuilder<unknown> {
  // array() refuses rows of no values: a row that needs none sends one null.
  return sql`array[${sql.join(values.length > 0 ? values : [sql`null`])}]::text[]`;
}

function nodeValues(node: NodePlan): RawBuilder<unknown>[] {
  const values = node.props.map((prop) => propValue(node.shape.props[prop] as PlannedProp));
  for (const { plan } of node.relations) values.push(...relationValues(plan));
  return values;
}

function relationValues(plan: RelationPlan): RawBuilder<unknown>[] {
  switch (plan.kind) {
    case "value":
      return [sql`(${plan.expression})::text`];
    case "one":
      return [sql`(select to_json(${textArray(nodeValues(plan.node))}) from ${sql.table(plan.table)} where ${plan.correlate})::text`];
    case "connection":
      return connectionValues(plan);
  }
}

/** A list's rows (one more than the page when the client asks if more follow), then its total when selected. */
function connectionValues(plan: ConnectionPlan): RawBuilder<unknown>[] {
  const { order, where } = plan.options;
  const table = sql.table(plan.table);
  const seek = [plan.after ? seekCondition(order, plan.after, "after") : undefined, plan.before ? seekCondition(order, plan.before, "before") : undefined];
  const orderBy = sql.join(order.map((term) => sql`${term.expression} ${sql.raw((term.direction === "asc") !== plan.backward ? "asc" : "desc")}`));
  const row = textArray([...nodeValues(plan.node), ...(plan.cursors ? [cursorValues(order)] : [])]);
  const rows = sql`to_json(array(select ${row} from ${table}
    where ${conjunction([plan.correlate, where, ...seek])} order by ${orderBy} limit ${plan.more ? plan.size + 1 : plan.size}))::text`;
  if (!plan.count) return [rows];
  return [rows, sql`(select count(*) from ${table} where ${conjunction([plan.correlate, where])})::text`];
}

/** Reads a row's values into the object resolvers read; nested lists become pages. */
function readNode(node: NodePlan, values: RowValues): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  let i = 0;
  for (const prop of node.props) {
    const value = values[i] ?? null;
    row[prop] = value === null ? null : (node.readers[i] as (value: string) => unknown)(value);
    i++;
  }
  for (const { responseKey, plan } of node.relations) {
    const value = values[i++] ?? null;
    const key = preloadedKey(responseKey);
    if (plan.kind === "value") row[key] = value;
    else if (plan.kind === "one") row[key] = value === null ? null : readNode(plan.node, JSON.parse(value) as RowValues);
    else {
      const total = plan.count ? Number(values[i++]) : 0;
      row[key] = toPlannedPage(plan, JSON.parse(value ?? "[]") as RowValues[], total, String(row.key));
    }
  }
  return row;
}

/** Turns a list's rows into what resolvers return: a page with edges and cursors. */
function toPlannedPage(
  plan: ConnectionPlan,
  rows: RowValues[],
  totalCount: number,
  parentKey: string,
): Page<Record<string, unknown>> & { scope?: ProjectListScope } {
  const hasMore = rows.length > plan.size;
  const pageRows = rows.length > plan.size ? rows.slice(0, plan.size) : rows;
  if (plan.backward) pageRows.reverse();
  const order = plan.options.order;
  const edges = pageRows.map((values) => ({
    cursor: plan.cursors ? encodeCursor(order, JSON.parse(values.at(-1) as string) as CursorValue[]) : "",
    node: readNode(plan.node, values),
  }));
  const page = {
    edges,
    totalCount,
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
    const [rows, total] = connectionValues(plan);
    return { plan, statement: prepared(sql<{ page: string; total: string | null }>`select ${rows} as page, ${total ?? sql`null`} as total`.compile(db)) };
  });
  const result = await run(db, statement);
  if (!result?.row) return undefined;
  const { page, total } = result.row;
  return toPlannedPage(plan, JSON.parse(page) as RowValues[], Number(total ?? 0), "") as unknown as Page<T>;
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
      statement: prepared(
        sql<{ node: string }>`select to_json(${textArray(nodeValues(node))})::text as node from ${sql.table(table)} where ${where}`.compile(db),
      ),
    };
  });
  const keyed: CompiledQuery<{ node: string }> = { ...statement, parameters: [...statement.parameters.slice(0, -key.length), ...key] };
  const result = await run(db, keyed);
  if (!result) return undefined;
  if (!result.row) return null;
  return readNode(node, JSON.parse(result.row.node) as RowValues) as T;
}
