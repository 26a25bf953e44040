// client.request against a listening server with the delivery options main.ts uses: any
// document shape, GET for queries (cacheable: ETag, Cache-Control, the browser's 304), POST
// otherwise, persisted hashes by GET for a trusted-documents server, and typed errors.
import { createHash } from "node:crypto";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createRequestClient, DepartmentsOperation, type DocumentTypeDecoration, GraphQLResponseError } from "../packages/sdk/src/index.ts";
import { defaultDeliveryOptions } from "../packages/server/src/http/delivery.ts";
import { startTestApp, type TestApp } from "./support/app.ts";
import { type Listening, listen } from "./support/listen.ts";

interface Seen {
  method: string;
  url: URL;
  body: string | undefined;
  status: number;
  etag: string | null;
  cacheControl: string | null;
}

describe("client.request", () => {
  let t: TestApp;
  let server: Listening;
  const seen: Seen[] = [];
  const recordingFetch = async (input: string, init: RequestInit) => {
    const response = await fetch(input, init);
    seen.push({
      method: init.method ?? "GET",
      url: new URL(input),
      body: typeof init.body === "string" ? init.body : undefined,
      status: response.status,
      etag: response.headers.get("etag"),
      cacheControl: response.headers.get("cache-control"),
    });
    return response;
  };
  beforeAll(async () => {
    t = await startTestApp("pglite", { app: { delivery: { ...defaultDeliveryOptions, responseCache: false } } });
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("sends a query by GET when asked, and gets a cacheable answer", async () => {
    const client = createClient({ url: server.url, fetch: recordingFetch });
    const document = "query Two($first: Int) { departments(first: $first) { nodes { name } } }";
    const data = await client.request<{ departments: { nodes: Array<{ name: string }> } }>(document, { first: 2 }, { method: "GET" });
    expect(data.departments.nodes).toHaveLength(2);
    const last = seen.at(-1)!;
    expect(last.method).toBe("GET");
    expect(last.url.searchParams.get("query")).toBe(document);
    expect(JSON.parse(last.url.searchParams.get("variables")!)).toEqual({ first: 2 });
    expect(last.url.searchParams.get("operationName")).toBe("Two");
    expect(last.etag).toMatch(/^W\//);
    expect(last.cacheControl).toContain("public");
  });

  it("uses the client's method by default, and POST when the call says so", async () => {
    const client = createRequestClient({ url: server.url, fetch: recordingFetch, method: "GET" });
    await client.request(DepartmentsOperation, { first: 1 });
    expect(seen.at(-1)!.method).toBe("GET");
    await client.request(DepartmentsOperation, { first: 1 }, { method: "POST" });
    const last = seen.at(-1)!;
    expect(last.method).toBe("POST");
    expect(JSON.parse(last.body!)).toMatchObject({ operationName: "Departments", query: DepartmentsOperation.document, variables: { first: 1 } });
  });

  it("runs a parsed DocumentNode (its source text), and refuses one without text unless given print", async () => {
    const document = parse("query One { departments(first: 1) { totalCount } }") as ReturnType<typeof parse> &
      DocumentTypeDecoration<{ departments: { totalCount: number } }, Record<string, never>>;
    const client = createClient({ url: server.url });
    expect((await client.request(document)).departments.totalCount).toBeGreaterThan(0);
    const { loc: _loc, ...withoutText } = document;
    expect(() => client.request(withoutText)).toThrow(/print/);
    const { print } = await import("graphql");
    const printing = createClient({ url: server.url, print });
    expect((await printing.request(withoutText)).departments.totalCount).toBeGreaterThan(0);
  });

  it("throws typed errors as the generated methods do", async () => {
    const client = createClient({ url: server.url });
    const error = await client.request("query Big { departments(first: 1000) { totalCount } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLResponseError);
    expect((error as GraphQLResponseError).codes).toEqual(["BAD_USER_INPUT"]);
    expect((error as GraphQLResponseError).operationName).toBe("Big");
  });
});

describe("client.request with a trusted-documents server", () => {
  it("sends only the hash, by GET, and the server answers from its manifest", async () => {
    const document = "query Three { departments(first: 3) { nodes { name } } }";
    const hash = createHash("sha256").update(document).digest("hex");
    const t = await startTestApp("pglite", {
      app: { trustedDocuments: new Map([[hash, document]]), delivery: { ...defaultDeliveryOptions, responseCache: false } },
    });
    const server = await listen(t.app);
    try {
      const urls: string[] = [];
      const client = createClient({
        url: server.url,
        persistedOperations: "hash-only",
        method: "GET",
        fetch: (input, init) => {
          urls.push(input);
          return fetch(input, init);
        },
      });
      const data = await client.request<{ departments: { nodes: unknown[] } }>(document);
      expect(data.departments.nodes).toHaveLength(3);
      const url = new URL(urls[0]!);
      expect(url.searchParams.get("query")).toBeNull();
      expect(JSON.parse(url.searchParams.get("extensions")!)).toEqual({ persistedQuery: { version: 1, sha256Hash: hash } });
    } finally {
      await server.close();
      await t.close();
    }
  });
});
