// A migrated database loaded with the bundled dataset, and the Yoga app over it.

import type { DatabaseKind } from "../../packages/server/src/db/database.ts";
import { type App, type AppOptions, createApp } from "../../packages/server/src/yoga.ts";
import { createTestDatabase, type TestDatabase } from "./databases.ts";
import type { TemplateName } from "./templates.ts";

/**
 * A GraphQL answer's `data` as tests read it: shaped by each test's own query, checked by its
 * assertions, so not typed here. The one place tests opt out of types (noExplicitAny is an error
 * everywhere else); typing each query's result (the SDK's codegen does it for its operations) is
 * the way out of it.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; every other any in the tests is this alias
export type Json = any;

type Fetching = { fetch(url: string, init: RequestInit): Promise<Response> | Response };
export type GraphQLAnswer<T = Json> = {
  status: number;
  body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, Json>; path?: unknown[] }>; extensions?: Record<string, Json> };
};

/** POSTs a JSON body to /graphql of an app (yoga.fetch: the whole HTTP pipeline, in process); the answer is whatever JSON came back. */
export async function postGraphQL(app: Fetching, body: unknown): Promise<{ status: number; body: Json }> {
  const response = await app.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  /** POSTs a GraphQL request through yoga.fetch (the whole HTTP pipeline, in process). */
  graphql<T = Json>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>>;
  /** POSTs any JSON body (batches, extensions, odd requests) the same way; the answer is whatever JSON came back. */
  post(body: unknown): Promise<{ status: number; body: Json }>;
  /** What the app logged: unexpected errors and database faults, with their request id in the message. */
  loggedErrors: Array<{ message: string; error: unknown }>;
  close(): Promise<void>;
}

/**
 * The app with production defaults unless `app` overrides some options (limits, timeouts …),
 * over the bundled dataset unless `load` is false (migrated only) or another template is named.
 */
export async function startTestApp(
  kind: DatabaseKind,
  options: { load?: boolean; template?: TemplateName; app?: Omit<AppOptions, "database"> } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(kind, { load: options.load !== false, template: options.template });
  return appOver(database, options.app, () => database.drop());
}

/**
 * Another app, with its own options, over the database of `over`: for a test of a setting that
 * reads only (a clone costs a PostgreSQL database). Closing it leaves the database to `over`.
 */
export function otherApp(over: TestApp, app: Omit<AppOptions, "database">): TestApp {
  return appOver(over.database, app, async () => {});
}

function appOver(database: TestDatabase, options: Omit<AppOptions, "database"> | undefined, close: () => Promise<void>): TestApp {
  const errors: Array<{ message: string; error: unknown }> = [];
  const app = createApp({ logError: (message, error) => errors.push({ message, error }), ...options, database });
  return {
    app,
    database,
    loggedErrors: errors,
    graphql: (query, variables) => postGraphQL(app, { query, variables }),
    post: (body) => postGraphQL(app, body),
    close,
  };
}
