// Applies the query limits: tokens while parsing, depth/aliases/directives before validation,
// the cost (which needs the variables) before execution; reports the cost of every accepted
// operation in extensions.cost, like Shopify does.
import {
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  type ParseOptions,
  parse,
  type Source,
} from "graphql";
import { isAsyncIterable, type Plugin } from "graphql-yoga";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../data/pagination.ts";
import { limitExceededError } from "../graphql/errors.ts";
import { type OperationVariables, operationVariables } from "../graphql/operation-variables.ts";
import { QueryCostCalculator } from "../graphql/query-cost.ts";
import { countTokens, databaseWorkWeights, measureOperations, type QueryLimits, selectionNesting } from "../graphql/query-limits.ts";

export interface QueryCostReport {
  /** Most objects the operation can return (see docs/limits.md). */
  requestedQueryCost: number;
  /** The most a request may ask for. */
  limit: number;
}

// graphql 16 says "more that N tokens" (sic); accept the corrected spelling too.
const tooManyTokens = /contains more tha[nt] \d+ tokens/;

/** Parses with the token limit; a document too long or nested too deep to parse gets a coded error. */
function parseWithinLimits(limits: QueryLimits): (source: string | Source, options?: ParseOptions) => DocumentNode {
  return (source, parseOptions) => {
    try {
      return parse(source, { ...parseOptions, maxTokens: limits.maxTokens });
    } catch (error) {
      const text = typeof source === "string" ? source : source.body;
      if (error instanceof Error && tooManyTokens.test(error.message))
        throw tokenLimitError(limits, countTokens(text, Number.MAX_SAFE_INTEGER) ?? limits.maxTokens + 1);
      // The parser recurses per nesting level; thousands of levels exhaust the stack.
      if (error instanceof RangeError) throw depthLimitError(limits, selectionNesting(text));
      throw error;
    }
  };
}

function tokenLimitError(limits: QueryLimits, actual: number): GraphQLError {
  return limitExceededError(
    "TOKEN_LIMIT_EXCEEDED",
    `The document has ${actual} tokens, above the limit of ${limits.maxTokens}; send a shorter query (fewer fields, aliases or fragments).`,
    limits.maxTokens,
    actual,
  );
}

function depthLimitError(limits: QueryLimits, nesting: number): GraphQLError {
  return limitExceededError(
    "DEPTH_LIMIT_EXCEEDED",
    `The document nests ${nesting} selection sets, far above the depth limit of ${limits.maxDepth}; send a flatter query.`,
    limits.maxDepth,
    nesting,
  );
}

/** Depth, alias and directive counts of every operation of the document, each over its limit an error. */
function shapeLimitErrors(document: DocumentNode, limits: QueryLimits): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const [operation, measure] of measureOperations(document)) {
    const name = operation.name ? `Operation "${operation.name.value}"` : "The operation";
    if (measure.depth > limits.maxDepth) {
      errors.push(
        limitExceededError(
          "DEPTH_LIMIT_EXCEEDED",
          `${name} is nested ${measure.depth} fields deep, above the limit of ${limits.maxDepth}; fetch deeper data in a separate query (e.g. by node(id)).`,
          limits.maxDepth,
          measure.depth,
        ),
      );
    }
    if (measure.aliases > limits.maxAliases) {
      errors.push(
        limitExceededError(
          "ALIAS_LIMIT_EXCEEDED",
          `${name} uses ${measure.aliases} aliases, above the limit of ${limits.maxAliases}; ask for lists with one connection or nodes(ids:) instead of many aliases.`,
          limits.maxAliases,
          measure.aliases,
        ),
      );
    }
    if (measure.directives > limits.maxDirectives) {
      errors.push(
        limitExceededError(
          "DIRECTIVE_LIMIT_EXCEEDED",
          `${name} uses ${measure.directives} directives, above the limit of ${limits.maxDirectives}; remove repeated @include/@skip.`,
          limits.maxDirectives,
          measure.directives,
        ),
      );
    }
  }
  return errors;
}

/**
 * The cost of the operation about to run with its coerced variables; undefined when it cannot
 * be priced (no such operation, or invalid variables, which execution reports precisely).
 */
function operationCost(
  calculator: QueryCostCalculator,
  costs: WeakMap<OperationVariables, QueryCostReport>,
  args: ExecutionArgs,
  limits: QueryLimits,
): QueryCostReport | undefined {
  const variables = operationVariables(args.schema, args.document, args.operationName, args.variableValues);
  const { operation, coerced } = variables;
  if (!operation || !coerced) return undefined;
  let cost = costs.get(variables);
  if (!cost) {
    cost = { requestedQueryCost: calculator.operationCost(args.document, operation, coerced), limit: limits.maxCost };
    costs.set(variables, cost);
  }
  return cost;
}

function costLimitError(cost: QueryCostReport): GraphQLError {
  return limitExceededError(
    "COST_LIMIT_EXCEEDED",
    `The query costs ${cost.requestedQueryCost} (objects it may return plus database work: search 50,000, aggregate 11,000, spending 12,000, text filter 16,000, totalCount 6,000 …), above the limit of ${cost.limit}; lower first/last, nest fewer connections or send fewer searches and sums per request (docs/limits.md).`,
    cost.limit,
    cost.requestedQueryCost,
  );
}

export function queryLimitsPlugin(schema: GraphQLSchema, limits: QueryLimits, options: { introspection: boolean }): Plugin {
  const calculator = new QueryCostCalculator(schema, { defaultPageSize: DEFAULT_PAGE_SIZE, maxPageSize: MAX_PAGE_SIZE, databaseWork: databaseWorkWeights });
  // Per document and variable values (operationVariables returns one object for each).
  const costs = new WeakMap<OperationVariables, QueryCostReport>();
  return {
    onParse({ setParseFn }) {
      setParseFn(parseWithinLimits(limits));
    },
    onValidate({ params, addValidationRule, setResult }) {
      if (!options.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
      const errors = shapeLimitErrors(params.documentAST, limits);
      // Refused before the standard rules run: some of them are quadratic in the document.
      if (errors.length) setResult(errors);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const cost = operationCost(calculator, costs, args, limits);
      if (!cost) return;
      if (cost.requestedQueryCost > limits.maxCost) {
        setResultAndStopExecution({ errors: [costLimitError(cost)], extensions: { cost } });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          setResult({ ...result, extensions: { ...result.extensions, cost } });
        },
      };
    },
  };
}
