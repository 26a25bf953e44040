// The HTTP/GraphQL application, without listening: tests call yoga.fetch in-process.
import { GraphQLError } from "graphql";
import { createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import type { DatabaseHandle } from "./db/database.ts";
import { compiledExecutionPlugin } from "./graphql/compiled-execution.ts";
import { type Context, createContext } from "./graphql/context.ts";
import { publicError } from "./graphql/errors.ts";
import { defaultQueryLimits, type QueryLimits } from "./graphql/query-limits.ts";
import { schema } from "./graphql/schema/index.ts";
import { availabilityPlugin } from "./http/availability-plugin.ts";
import { corsPlugin, defaultCorsMaxAgeSeconds } from "./http/cors.ts";
import { createDelivery, type DeliveryOptions } from "./http/delivery.ts";
import { errorModelPlugin, logWhenSent } from "./http/error-model-plugin.ts";
import { graphiqlAssetsPlugin, renderGraphiQLPage } from "./http/graphiql.ts";
import { graphiqlExampleTabs } from "./http/graphiql-examples.ts";
import { queryLimitsPlugin } from "./http/query-limits-plugin.ts";
import { requestBodyLimitPlugin } from "./http/request-body-limit.ts";
import { requestIdPlugin } from "./http/request-id.ts";
import { stringArgumentsPlugin } from "./http/string-arguments-plugin.ts";
import { timeBudgetPlugin } from "./http/time-budget-plugin.ts";
import { documentIdParameter, knownDocumentsPlugin, type TrustedDocuments, trustedDocumentsPlugin } from "./http/trusted-documents.ts";

// GraphiQL's default tab: one request that shows what analysts come for (the largest projects
// with their provenance, spending by department, Japanese search). tests/graphiql.test.ts runs it;
// comment lines fit the editor at 1280 px (48 columns, a CJK character counting two). More tabs:
// http/graphiql-examples.ts.
export const exampleQuery = `# Kumamoto City's FY2023 welfare report as a
# graph (熊本市 令和5年度 福祉関係主要事業報告).
# Press ▶ (Ctrl+Enter) to run; Ctrl+Space
# completes names. In the sidebar: Docs explains
# every field; the Explorer builds a query as
# you tick fields. More examples in other tabs.
# Amounts are thousand yen (千円), sent as
# strings: no yen is lost.
query Showcase {
  # The largest projects (事業) by spending
  # (実績額), with their department (所属) and
  # source page (出典).
  projects(
    first: 5
    orderBy: [{ field: AMOUNT, direction: DESC }]
  ) {
    totalCount
    aggregate { sum { amountThousandYen } }
    nodes {
      name
      nameEn
      amountThousandYen
      department { name nameEn }
      source { page document { title } }
    }
  }
  # Spending by department, largest first,
  # summed by the database.
  spending(groupBy: [DEPARTMENT], first: 5) {
    nodes {
      department { name nameEn }
      count
      sum { amountThousandYen }
    }
  }
  # Japanese search: 2-character words match,
  # and kana and half-width forms alike (try
  # ﾍﾟｱﾚﾝﾄ, or 生活保護 就労).
  search(query: "里親", first: 3) {
    totalCount
    nodes {
      snippet
      node {
        __typename
        ... on Project { name amountThousandYen }
        ... on BeneficiaryGroup { name }
      }
    }
  }
}
`;

export interface AppOptions {
  database: DatabaseHandle;
  /** Log unexpected errors; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
  graphiql?: boolean;
  /** Query limits; each one omitted keeps its default (docs/limits.md). */
  limits?: Partial<QueryLimits>;
  /** Time budget of one request, in ms (REQUEST_TIMEOUT beyond it). */
  requestTimeoutMs?: number;
  /** Largest request body accepted, in bytes (PAYLOAD_TOO_LARGE beyond it). */
  maxRequestBodyBytes?: number;
  /** Schema introspection; on by default (the schema is public). */
  introspection?: boolean;
  /** "Did you mean …?" in error messages; by default only with NODE_ENV=development. */
  fieldSuggestions?: boolean;
  /** Trusted-documents mode: only these persisted operations run, GraphiQL is off. */
  trustedDocuments?: TrustedDocuments | undefined;
  /** Outside trusted-documents mode, documents that also run by hash (the SDK's manifest: GET ?documentId=…). */
  knownDocuments?: TrustedDocuments | undefined;
  /**
   * Root fields load their whole selection in one SQL statement (graphql/plan); false sends every
   * relation through its batched loader (tests compare the two). Default true.
   */
  selectionPlanner?: boolean;
  /** False while the database is still being prepared (migrated, loaded); default always true. */
  isPrepared?: () => boolean;
  /** Metrics, request logs and tracing (observability/); they run last, seeing final results. */
  observability?: Plugin[];
  /** HTTP caching, the response cache, compression and CORS (docs/operations.md); main.ts always sets it, without it only CORS "*" applies. */
  delivery?: DeliveryOptions | undefined;
}

export const defaultRequestTimeoutMs = 10_000;
export const defaultMaxRequestBodyBytes = 100_000;

export type App = YogaServerInstance<Record<string, unknown>, Context>;

/** True when a GraphQLError carries a client error of its own (not a wrapped exception). */
function isOwnGraphQLError(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError ? isOwnGraphQLError(error.originalError) : true;
}

export function createApp(options: AppOptions): App {
  const { database } = options;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const limits: QueryLimits = { ...defaultQueryLimits, ...options.limits };
  const maxRequestBodyBytes = options.maxRequestBodyBytes ?? defaultMaxRequestBodyBytes;
  const trusted = options.trustedDocuments;
  const graphiql = options.graphiql !== false && !trusted;
  const delivery = options.delivery && createDelivery(options.delivery, { database, schema, graphqlEndpoint: "/graphql", logError });
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: graphiql ? { title: "welfare-graph", defaultQuery: exampleQuery, defaultTabs: graphiqlExampleTabs(exampleQuery) } : false,
    renderGraphiQL: renderGraphiQLPage,
    // Batching is refused (errorModelPlugin): no client of ours batches, and one request = one cost.
    batching: false,
    multipart: false,
    // Enforced by requestBodyLimitPlugin, which skips yoga's per-request stream when Content-Length decides.
    maxRequestBodySize: false,
    logging: false,
    cors: false,
    ...(trusted || options.knownDocuments ? { extraParamNames: [documentIdParameter] } : {}),
    context: () => createContext(database.reads ?? database.db, { planned: options.selectionPlanner !== false }),
    maskedErrors: {
      maskError: (error, message) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        const location = error instanceof GraphQLError ? { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path } : {};
        const mapped = publicError(original);
        if (mapped) {
          const located = new GraphQLError(mapped.message, { ...location, extensions: mapped.extensions });
          // Database faults are expected but worth a log line with their cause.
          return mapped.extensions.code === "BAD_USER_INPUT" ? located : logWhenSent(located, original);
        }
        if (isOwnGraphQLError(error)) return error as GraphQLError;
        return logWhenSent(new GraphQLError(message, { ...location, extensions: { code: "INTERNAL_SERVER_ERROR", unexpected: true } }), original);
      },
    },
    plugins: [
      requestIdPlugin(),
      corsPlugin(options.delivery?.cors ?? { origins: "*", maxAgeSeconds: defaultCorsMaxAgeSeconds }),
      ...(graphiql ? [graphiqlAssetsPlugin()] : []),
      availabilityPlugin({ database, isPrepared: options.isPrepared ?? (() => true) }),
      errorModelPlugin({
        fieldSuggestions: options.fieldSuggestions ?? process.env.NODE_ENV === "development",
        maxRequestBodyBytes,
        logError,
      }),
      // After the error model: it wraps the strict body reader, so that a streamed body is counted as it is read.
      requestBodyLimitPlugin(maxRequestBodyBytes),
      ...(trusted ? [trustedDocumentsPlugin(trusted)] : options.knownDocuments ? [knownDocumentsPlugin(options.knownDocuments)] : []),
      stringArgumentsPlugin(),
      // Sets the execute function first: the response cache and the time budget wrap it (set
      // after the cache, it would run in the cache's place and nothing would be stored).
      compiledExecutionPlugin(),
      ...(delivery?.plugins ?? []),
      queryLimitsPlugin(schema, limits, { introspection: options.introspection !== false }),
      timeBudgetPlugin(options.requestTimeoutMs ?? defaultRequestTimeoutMs, {
        cancel: database.cancelRequest,
        onCancelError: (error) => logError("cancelling the statements of a timed-out request failed", error),
      }),
      ...(options.observability ?? []),
    ],
  });
}
