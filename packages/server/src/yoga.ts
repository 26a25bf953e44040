// The HTTP/GraphQL application, without listening: tests call yoga.fetch in-process.
import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import type { DatabaseHandle } from "./db/database.ts";
import { type Context, createContext } from "./graphql/context.ts";
import { publicError } from "./graphql/errors.ts";
import { schema } from "./graphql/schema/index.ts";

export const exampleQuery = `# Kumamoto City's FY2023 welfare projects, department by department.
# Press ▶ to run; Ctrl+Space completes field names.
query DepartmentsWithProjects {
  departments(first: 5) {
    totalCount
    nodes {
      name
      nameEn
      projects(first: 5) {
        totalCount
        nodes {
          name
          nameEn
          amountThousandYen
          flags
          source { page document { title } }
          usage(first: 3) { nodes { label value unit ward { name } } }
        }
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
}

export type App = YogaServerInstance<Record<string, unknown>, Context>;

export function createApp(options: AppOptions): App {
  const { database } = options;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: options.graphiql === false ? false : { title: "welfare-graph", defaultQuery: exampleQuery },
    context: () => createContext(database.db),
    maskedErrors: {
      maskError: (error, message) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        const mapped = publicError(original);
        if (mapped) return new GraphQLError(mapped.message, { ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}), extensions: mapped.extensions });
        if (error instanceof GraphQLError && !error.originalError) return error;
        const requestId = randomUUID();
        logError(`[${requestId}] unexpected error`, original);
        return new GraphQLError(message, {
          ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
          extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
        });
      },
    },
    plugins: [
      {
        onRequest({ url, endResponse, fetchAPI }) {
          if (url.pathname === "/healthz") {
            endResponse(Response.json({ status: "ok" }));
          } else if (url.pathname === "/readyz") {
            return database.ping().then((ready) => {
              endResponse(
                new fetchAPI.Response(JSON.stringify({ status: ready ? "ready" : "database unavailable" }), {
                  status: ready ? 200 : 503,
                  headers: { "content-type": "application/json" },
                }),
              );
            });
          }
        },
      },
    ],
  });
}
