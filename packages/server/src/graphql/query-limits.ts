// Static limits of a GraphQL document — depth, aliases, directives, tokens — measured before
// the standard validation runs, so that an abusive document is refused before anything
// expensive (field-merging checks, execution) happens. The cost limit needs the variables and
// is checked at execution (see query-cost.ts and http/query-limits-plugin.ts).

import { type DocumentNode, type FragmentDefinitionNode, Kind, Lexer, type OperationDefinitionNode, type SelectionSetNode, Source, TokenKind } from "graphql";
import type { DatabaseWorkWeights } from "./query-cost.ts";

export interface QueryLimits {
  /** Most objects one request may ask for (the cost model of query-cost.ts). */
  maxCost: number;
  /** Deepest nesting of fields, counting through fragments. */
  maxDepth: number;
  /** Most aliased fields, counting a fragment once per use. */
  maxAliases: number;
  /** Most directives, counting a fragment once per use. */
  maxDirectives: number;
  /** Most lexical tokens in the document text. */
  maxTokens: number;
}

/** Chosen against graphql-armor's defaults and GitHub's public limits: see docs/limits.md. */
export const defaultQueryLimits: QueryLimits = {
  maxCost: 500_000,
  maxDepth: 15,
  maxAliases: 30,
  maxDirectives: 50,
  maxTokens: 5_000,
};

/**
 * Database work beyond the objects returned, in units of ~0.02 ms of database time measured at
 * 200,000 projects on the 2-core benchmark machine (docs/limits.md has the figures): the cost
 * limit of 500,000 then admits at most ~10 s of this work per request, which is also the time
 * budget that cancels whatever runs longer.
 */
export const databaseWorkWeights: DatabaseWorkWeights = {
  fields: {
    // The commonest word, 100 hits with totalCount: 1,067 ms.
    "Query.search": 50_000,
    // Sums over the whole filtered list: 225 ms.
    "QueryProjectsConnection.aggregate": 11_000,
    // Department × year over every project: 232 ms.
    "Query.spending": 12_000,
    // Not measurable at scale (the synthetic data has no usage figures); priced like spending.
    "Query.usageTotals": 12_000,
    // Per project: 23 ms and 20 ms for 20 projects.
    "Project.series": 60,
    "Project.usageSeries": 50,
  },
  // A nested connection's aggregate, per parent: 276 ms for 20 departments.
  fieldNames: { aggregate: 700 },
  // Counting every project (or every hit): 119 ms; a nested count per parent: 87 ms for 20
  // departments. Root lists of reference tables (departments, documents …) and of groups
  // (spending, usage totals: counted by the aggregation already priced) add nothing.
  rootTotalCount: { QueryProjectsConnection: 6_000, QuerySearchConnection: 6_000 },
  nestedTotalCount: 220,
  // where: { text: "支援" } counted over 200,000 projects: 449 ms with the count (330 ms beyond it).
  textFilter: 16_000,
};

export interface OperationMeasure {
  depth: number;
  aliases: number;
  directives: number;
}

/**
 * Depth, aliases and directives of every operation of a document. Each fragment is measured
 * once and reused, so fragments spreading each other many times cannot make this slow; a
 * fragment cycle counts as nothing here (validation refuses it).
 */
export function measureOperations(document: DocumentNode): ReadonlyMap<OperationDefinitionNode, OperationMeasure> {
  // Yoga reuses the parsed document of a repeated query: the limits and the request log
  // measure it on every request, the walk happens once.
  let operations = measuredDocuments.get(document);
  if (!operations) {
    operations = measureDocument(document);
    measuredDocuments.set(document, operations);
  }
  return operations;
}

const measuredDocuments = new WeakMap<DocumentNode, ReadonlyMap<OperationDefinitionNode, OperationMeasure>>();

function measureDocument(document: DocumentNode): Map<OperationDefinitionNode, OperationMeasure> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, OperationMeasure>();
  const walking = new Set<string>();

  const measureSelections = (selectionSet: SelectionSetNode): OperationMeasure => {
    const result: OperationMeasure = { depth: 0, aliases: 0, directives: 0 };
    for (const selection of selectionSet.selections) {
      result.directives += selection.directives?.length ?? 0;
      let inner: OperationMeasure = { depth: 0, aliases: 0, directives: 0 };
      let depth = 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) result.aliases++;
        if (selection.selectionSet) inner = measureSelections(selection.selectionSet);
        depth = 1 + inner.depth;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measureSelections(selection.selectionSet);
        depth = inner.depth;
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || walking.has(name)) continue;
        let known = measured.get(name);
        if (!known) {
          walking.add(name);
          known = measureSelections(fragment.selectionSet);
          known.directives += fragment.directives?.length ?? 0;
          walking.delete(name);
          measured.set(name, known);
        }
        inner = known;
        depth = inner.depth;
      }
      result.depth = Math.max(result.depth, depth);
      result.aliases += inner.aliases;
      result.directives += inner.directives;
    }
    return result;
  };

  const operations = new Map<OperationDefinitionNode, OperationMeasure>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const measure = measureSelections(definition.selectionSet);
    measure.directives += definition.directives?.length ?? 0;
    for (const variable of definition.variableDefinitions ?? []) measure.directives += variable.directives?.length ?? 0;
    operations.set(definition, measure);
  }
  return operations;
}

/**
 * Number of lexical tokens in a document, counting at most `cap` + 1 (enough to say it is over).
 * Returns undefined when the text cannot be lexed; the parser then reports the syntax error.
 */
export function countTokens(text: string, cap: number): number | undefined {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count++;
      if (count > cap) break;
    }
  } catch {
    return undefined;
  }
  return count;
}

/**
 * Deepest nesting of selection sets ({ … }) in a document, read token by token without
 * recursion: for documents too deeply nested for the (recursive) parser to read at all.
 */
export function selectionNesting(text: string): number {
  const lexer = new Lexer(new Source(text));
  let depth = 0;
  let deepest = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (token.kind === TokenKind.BRACE_L) deepest = Math.max(deepest, ++depth);
      else if (token.kind === TokenKind.BRACE_R) depth--;
    }
  } catch {
    // A syntax error further on: the nesting read so far is what counts.
  }
  return deepest;
}
