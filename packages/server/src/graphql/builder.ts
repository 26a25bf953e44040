// Builder configuration only: plugins, context, scalars. Types live in schema/<type>.ts.
import SchemaBuilder from "@pothos/core";
import RelayPlugin from "@pothos/plugin-relay";
import { GraphQLError, Kind } from "graphql";
import type { BeneficiaryCount, BeneficiaryGroup, Department, FiscalYear, Municipality, Project, SourceDocument, UsageFigure, Ward } from "../data/model.ts";
import { MAX_PAGE_SIZE } from "../data/pagination.ts";
import type { Context } from "./context.ts";
import { userInputError } from "./errors.ts";
import { parseGlobalId } from "./global-id.ts";

export const MAX_NODES_PER_LOOKUP = MAX_PAGE_SIZE;

export const builder = new SchemaBuilder<{
  Context: Context;
  // Named here so that types can refer to each other by name without import cycles.
  Objects: {
    Municipality: Municipality;
    Ward: Ward;
    FiscalYear: FiscalYear;
    SourceDocument: SourceDocument;
    SourceReference: { documentKey: string; page: number };
    Department: Department;
    BeneficiaryGroup: BeneficiaryGroup;
    BeneficiaryCount: BeneficiaryCount;
    UsageFigure: UsageFigure;
    Project: Project;
  };
  Interfaces: { Figure: BeneficiaryCount | UsageFigure };
  Connection: { totalCount: number };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  DefaultFieldNullability: false;
  Scalars: {
    BigInt: { Input: string; Output: string | bigint | number };
    Decimal: { Input: string; Output: string };
    Date: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
  };
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    nodesOnConnection: { description: "The nodes of this page, in order (a shortcut for edges { node })." },
    idFieldOptions: { description: "Opaque global identifier (Relay), stable across imports of the same data." },
    nodeTypeOptions: { description: "An object with a global identifier, fetchable with `node(id)`." },
    pageInfoTypeOptions: { description: "Where a page sits in its connection (Relay cursor pagination)." },
    nodeQueryOptions: {
      description: "Fetches any object by its global ID; null when it does not exist.",
      args: { id: { description: "Global ID, as returned in `id`." } },
    },
    nodesQueryOptions: {
      description: `Fetches objects by global IDs, in order; null for each that does not exist (at most ${MAX_NODES_PER_LOOKUP}).`,
      args: { ids: { description: "Global IDs, as returned in `id`." } },
      resolve: (_root, { ids }, _context, _info, resolveNodes) => {
        if (ids.length > MAX_NODES_PER_LOOKUP) {
          throw userInputError(`"ids" has ${ids.length} IDs; at most ${MAX_NODES_PER_LOOKUP} can be fetched at once`, { argumentName: "ids" });
        }
        return resolveNodes(ids);
      },
    },
    decodeGlobalID: (globalID) => {
      const decoded = parseGlobalId(globalID);
      if (!decoded) throw userInputError(`"${globalID.slice(0, 100)}" is not a valid ID: use an \`id\` this API returned`, { argumentName: "id" });
      return decoded;
    },
    cursorFieldOptions: { description: "Opaque cursor of this edge, for `after`/`before`." },
    firstArgOptions: { description: "Page size from the start or after `after` (0–100, default 20)." },
    lastArgOptions: { description: "Page size from the end or before `before` (0–100)." },
    afterArgOptions: { description: "Return items after this cursor." },
    beforeArgOptions: { description: "Return items before this cursor." },
    hasNextPageFieldOptions: { description: "More items follow this page." },
    hasPreviousPageFieldOptions: { description: "More items precede this page." },
    startCursorFieldOptions: { description: "Cursor of the first item of the page." },
    endCursorFieldOptions: { description: "Cursor of the last item of the page." },
    pageInfoFieldOptions: { description: "Pagination state of this page." },
    edgesFieldOptions: { nullable: false, description: "The items of this page with their cursors." },
    nodeFieldOptions: { nullable: false, description: "The item." },
    defaultConnectionTypeOptions: { description: "A page of a list (Relay cursor connection), with the total count of the whole list." },
    defaultEdgeTypeOptions: { description: "An item of a list with its cursor." },
  },
});

/** The builder's type parameters, for typed helpers that add the same fields or arguments to several types. */
export type SchemaTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

builder.globalConnectionField("totalCount", (t) =>
  t.int({ description: "Number of items in the whole (filtered) list, not just this page.", resolve: (parent) => parent.totalCount }),
);

const integerText = /^-?\d{1,30}$/;

builder.scalarType("BigInt", {
  description:
    'An integer of any size, as a JSON string of decimal digits (e.g. "29116098"), so that no value or sum overflows or loses precision in JavaScript.',
  serialize: (value) => String(value),
  parseValue: (value) => {
    const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== "string" || !integerText.test(text)) throw new GraphQLError('BigInt must be a string of decimal digits, e.g. "29116098"');
    return text;
  },
  parseLiteral: (ast) => {
    if ((ast.kind === Kind.STRING || ast.kind === Kind.INT) && integerText.test(ast.value)) return ast.value;
    throw new GraphQLError('BigInt must be a string of decimal digits, e.g. "29116098"');
  },
});

const decimalText = /^-?\d{1,30}(\.\d{1,30})?$/;

builder.scalarType("Decimal", {
  description: 'An exact decimal number as a JSON string (e.g. "99.1"); never a binary float.',
  serialize: (value) => String(value),
  parseValue: (value) => {
    const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
    if (typeof text !== "string" || !decimalText.test(text)) throw new GraphQLError('Decimal must be a decimal number as a string, e.g. "99.1"');
    return text;
  },
  parseLiteral: (ast) => {
    if ((ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) && decimalText.test(ast.value)) return ast.value;
    throw new GraphQLError('Decimal must be a decimal number as a string, e.g. "99.1"');
  },
});

const dateText = /^\d{4}-\d{2}-\d{2}$/;

builder.scalarType("Date", {
  description: "A calendar date, ISO 8601 (YYYY-MM-DD).",
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== "string" || !dateText.test(value)) throw new GraphQLError("Date must be YYYY-MM-DD");
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING && dateText.test(ast.value)) return ast.value;
    throw new GraphQLError("Date must be YYYY-MM-DD");
  },
});

builder.scalarType("DateTime", {
  description: "A moment in time, ISO 8601 with time zone (e.g. 2026-11-27T03:08:00.000Z).",
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO 8601 timestamp");
    return date;
  },
  parseLiteral: (ast) => {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO 8601 timestamp");
    return date;
  },
});

builder.queryType({ description: "The welfare graph: municipal welfare projects (主要事業) and their results." });
