// The SDK's transport: typed errors, headers, cancellation, the pagination bound and persisted
// operations, against the real server (in process and listening on 127.0.0.1). Only the
// misbehaving servers no real one imitates (HTML error pages, a stuck cursor) are stand-ins.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";
import { createYoga } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, GraphQLResponseError, HttpError, NetworkError, operations, PaginationError, WelfareGraphError } from "../packages/sdk/src/index.ts";
import { createContext } from "../packages/server/src/graphql/context.ts";
import { schema } from "../packages/server/src/graphql/schema/index.ts";
import { type Json, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { type Listening, listen } from "./support/listen.ts";

const manifest: Record<string, string> = JSON.parse(
  readFileSync(new URL("../packages/sdk/src/__generated__/persisted-documents.json", import.meta.url), "utf8"),
);

/** A fetch that answers every request with the given body: a proxy, not a GraphQL server. */
const answering =
  (status: number, body: string, contentType = "text/html") =>
  async () =>
    new Response(body, { status, headers: { "content-type": contentType } });

describe.each(engines())("SDK transport on %s", (kind) => {
  let t: TestApp;
  let server: Listening;
  const requests: Array<{ headers: Headers; body: Record<string, Json> }> = [];
  const recordingFetch = async (input: string, init: RequestInit) => {
    requests.push({ headers: new Headers(init.headers), body: JSON.parse(String(init.body)) });
    return t.app.fetch(input, init);
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("queries a listening server over real HTTP with the global fetch", async () => {
    const client = createClient({ url: server.url });
    const { fiscalYears } = await client.fiscalYears();
    expect(fiscalYears.nodes.map((y) => y.eraLabel)).toContain("令和5年度");
  });

  it("throws GraphQLResponseError with errors, codes, status and the request for bad input", async () => {
    const client = createClient({ url: server.url });
    const error = await client.projects({ first: 101 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLResponseError);
    expect(error).toBeInstanceOf(WelfareGraphError);
    const e = error as GraphQLResponseError;
    expect(e.name).toBe("GraphQLResponseError");
    expect(e.operationName).toBe("Projects");
    expect(e.status).toBe(200);
    expect(e.codes).toEqual(["BAD_USER_INPUT"]);
    expect(e.errors[0]?.message).toMatch(/maximum page size of 100/);
    expect(e.message).toMatch(/^Projects: .*maximum page size of 100.*\[BAD_USER_INPUT\]/);
    expect(e.data).toBeNull();
    expect(e.request).toEqual({ url: server.url, operationName: "Projects", variables: { first: 101 }, persisted: false });

    const tampered = await client.departments({ after: "bm90LWEtY3Vyc29y" }).catch((x: unknown) => x);
    expect(tampered).toBeInstanceOf(GraphQLResponseError);
    expect((tampered as GraphQLResponseError).errors[0]?.message).toMatch(/not a valid cursor/);
  });

  it("throws HttpError for a response that is not GraphQL, and NetworkError when nothing answers", async () => {
    const wrongPath = createClient({ url: server.url.replace("/graphql", "/no-such-endpoint") });
    const notFound = await wrongPath.fiscalYears().catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(HttpError);
    expect((notFound as HttpError).status).toBe(404);

    const proxy = createClient({ url: server.url, fetch: answering(502, "<html><body>Bad Gateway</body></html>") });
    const badGateway = await proxy.fiscalYears().catch((e: unknown) => e);
    expect(badGateway).toBeInstanceOf(HttpError);
    expect(badGateway).toMatchObject({ status: 502, operationName: "FiscalYears", body: "<html><body>Bad Gateway</body></html>" });
    const emptyJson = createClient({ url: server.url, fetch: answering(200, "{}", "application/json") });
    await expect(emptyJson.fiscalYears()).rejects.toBeInstanceOf(HttpError);

    const closed = await listen((_req, res) => res.end());
    await closed.close();
    const nobody = createClient({ url: closed.url });
    const refused = await nobody.fiscalYears().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NetworkError);
    expect((refused as NetworkError).cause).toBeInstanceOf(Error);
    expect((refused as NetworkError).message).toContain(closed.url);
  });

  it("rejects with the caller's abort reason when cancelled by the client's or the call's signal", async () => {
    const reason = new Error("user navigated away");
    const perCall = createClient({ url: server.url });
    await expect(perCall.fiscalYears({}, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const clientWide = new AbortController();
    const cancelled = createClient({ url: server.url, signal: clientWide.signal });
    await expect(cancelled.fiscalYears()).resolves.toBeDefined();
    clientWide.abort(reason);
    await expect(cancelled.fiscalYears()).rejects.toBe(reason);
  });

  it("sends JSON with the client's headers, call headers overriding them", async () => {
    requests.length = 0;
    let calls = 0;
    const client = createClient({
      url: "http://localhost/graphql",
      fetch: recordingFetch,
      headers: () => ({ authorization: `Bearer token-${++calls}`, "x-trace": "client" }),
    });
    await client.fiscalYears({ first: 1 }, { headers: { "x-trace": "call" } });
    await client.fiscalYears();
    const [first, second] = requests;
    expect(first?.headers.get("content-type")).toBe("application/json");
    expect(first?.headers.get("accept")).toContain("application/graphql-response+json");
    expect(first?.headers.get("authorization")).toBe("Bearer token-1");
    expect(first?.headers.get("x-trace")).toBe("call");
    expect(second?.headers.get("authorization")).toBe("Bearer token-2");
    expect(first?.body).toEqual({ query: operations.fiscalYears.document, operationName: "FiscalYears", variables: { first: 1 } });
    expect(second?.body).toEqual({ query: operations.fiscalYears.document, operationName: "FiscalYears" });
  });

  it("paginates up to maxPages, then throws PaginationError with a cursor to resume from", async () => {
    const client = createClient({ url: "http://localhost/graphql", fetch: recordingFetch });
    const all = (await client.projects({ first: 15 })).projects.nodes.map((p) => p.id);

    const read: string[] = [];
    let thrown: unknown;
    try {
      for await (const page of client.paginate.projects({ first: 5 }, { maxPages: 2 })) read.push(...page.nodes.map((p) => p.id));
    } catch (error) {
      thrown = error;
    }
    expect(read).toEqual(all.slice(0, 10));
    expect(thrown).toBeInstanceOf(PaginationError);
    const limit = thrown as PaginationError;
    expect(limit).toMatchObject({ reason: "max-pages", pagesRead: 2, operationName: "Projects" });
    expect(limit.message).toMatch(/raise maxPages/);

    const resumed = client.paginate.projects({ first: 5, after: limit.endCursor }, { maxPages: 1 });
    const next = await resumed.next();
    expect(next.value && "nodes" in next.value ? next.value.nodes.map((p) => p.id) : []).toEqual(all.slice(10, 15));

    // Breaking out early is the way to read fewer pages: no error, no further request.
    requests.length = 0;
    for await (const page of client.paginate.projects({ first: 3 }, { maxPages: 1 })) {
      expect(page.nodes).toHaveLength(3);
      break;
    }
    expect(requests).toHaveLength(1);

    await expect(client.paginate.projects({}, { maxPages: 0 }).next()).rejects.toBeInstanceOf(RangeError);
  });

  it("stops with PaginationError when a server repeats its cursor", async () => {
    const stuck = {
      data: { fiscalYears: { totalCount: 9, pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: "c", endCursor: "c" }, nodes: [] } },
    };
    const client = createClient({ url: "http://localhost/graphql", fetch: answering(200, JSON.stringify(stuck), "application/json") });
    let pages = 0;
    const error = await (async () => {
      for await (const _ of client.paginate.fiscalYears()) pages++;
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "PaginationError", reason: "cursor-stalled", pagesRead: 2 });
    expect(pages).toBe(2);
  });

  it("persisted operations: the manifest hashes the exact text the client sends", () => {
    expect(Object.keys(manifest).sort()).toEqual(
      Object.values(operations)
        .map((op) => op.sha256)
        .sort(),
    );
    for (const op of Object.values(operations)) {
      expect(manifest[op.sha256]).toBe(op.document);
      expect(createHash("sha256").update(op.document).digest("hex")).toBe(op.sha256);
    }
  });

  describe("against a server that accepts only the manifest's documents", () => {
    const persistedApp = (options: { store: Record<string, string>; allowArbitraryOperations: boolean }) =>
      createYoga({
        schema,
        context: () => createContext(t.database.db),
        plugins: [
          usePersistedOperations({ allowArbitraryOperations: options.allowArbitraryOperations, getPersistedOperation: (hash) => options.store[hash] ?? null }),
        ],
      });
    const via = (app: ReturnType<typeof persistedApp>) => async (input: string, init: RequestInit) => {
      requests.push({ headers: new Headers(init.headers), body: JSON.parse(String(init.body)) });
      return app.fetch(input, init);
    };

    it("hash-only sends no document text, and every operation runs from the manifest", async () => {
      const trusted = persistedApp({ store: manifest, allowArbitraryOperations: false });
      const client = createClient({ url: "http://localhost/graphql", fetch: via(trusted), persistedOperations: "hash-only" });
      requests.length = 0;
      const { departments } = await client.departments({ first: 2 });
      expect(departments.nodes).toHaveLength(2);
      expect(requests[0]?.body).toEqual({
        operationName: "Departments",
        variables: { first: 2 },
        extensions: { persistedQuery: { version: 1, sha256Hash: operations.departments.sha256 } },
      });
      const { projects } = await client.projects({ first: 1 });
      const { project } = await client.project({ id: projects.nodes[0]!.id });
      expect(project?.name).toBe(projects.nodes[0]!.name);
      await expect(client.nodes({ ids: [departments.nodes[0]!.id] })).resolves.toMatchObject({ nodes: [{ __typename: "Department" }] });

      const plain = createClient({ url: "http://localhost/graphql", fetch: via(trusted) });
      await expect(plain.fiscalYears()).rejects.toMatchObject({ name: "GraphQLResponseError", errors: [{ message: "PersistedQueryOnly" }] });
    });

    it("hash-only surfaces an unknown hash as GraphQLResponseError; hash-then-text retries with the text", async () => {
      const empty = persistedApp({ store: {}, allowArbitraryOperations: true });
      const strict = createClient({ url: "http://localhost/graphql", fetch: via(empty), persistedOperations: "hash-only" });
      const error = await strict.fiscalYears().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphQLResponseError);
      expect((error as GraphQLResponseError).request.persisted).toBe(true);
      expect((error as GraphQLResponseError).errors[0]?.message).toBe("PersistedQueryNotFound");

      requests.length = 0;
      const fallback = createClient({ url: "http://localhost/graphql", fetch: via(empty), persistedOperations: "hash-then-text" });
      const { fiscalYears } = await fallback.fiscalYears();
      expect(fiscalYears.nodes.length).toBeGreaterThan(0);
      expect(requests.map((r) => typeof r.body.query)).toEqual(["undefined", "string"]);
      expect(requests[1]?.body.extensions).toEqual({ persistedQuery: { version: 1, sha256Hash: operations.fiscalYears.sha256 } });
    });
  });
});
