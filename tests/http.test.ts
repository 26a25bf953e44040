// HTTP per the GraphQL-over-HTTP specification, and the error model: a stable code on every
// error, the request id in each error and in x-request-id, unexpected errors masked and logged.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Json, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

const graphqlResponse = "application/graphql-response+json";
const query = "{ departments(first: 1) { nodes { name } } }";

describe.each(engines())("HTTP and the error model on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { app: { maxRequestBodyBytes: 10_000 } });
  });
  afterAll(() => t?.close());

  const send = async (init: RequestInit & { path?: string }) => {
    const response = await t.app.fetch(`http://localhost${init.path ?? "/graphql"}`, init);
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      requestId: response.headers.get("x-request-id"),
      headers: response.headers,
      text,
      body: text ? JSON.parse(text) : undefined,
    };
  };
  const post = (body: unknown, accept?: string, contentType = "application/json") =>
    send({
      method: "POST",
      headers: { "content-type": contentType, ...(accept ? { accept } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("answers a query in the media type asked for, 200, with the request id header", async () => {
    for (const accept of [graphqlResponse, "application/json"]) {
      const r = await post({ query }, accept);
      expect(r.status).toBe(200);
      expect(r.type).toBe(`${accept}; charset=utf-8`);
      expect(r.body.data.departments.nodes).toHaveLength(1);
      expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    // No Accept header: treated as application/json (spec, legacy clients).
    expect((await post({ query })).type).toBe("application/json; charset=utf-8");
  });

  it("uses 4xx for request errors under application/graphql-response+json and 200 under application/json", async () => {
    const parse = await post({ query: "{ departments(first: 1) {" }, graphqlResponse);
    expect([parse.status, parse.body.errors[0].extensions.code]).toEqual([400, "GRAPHQL_PARSE_FAILED"]);
    expect(parse.body.data).toBeUndefined();
    const invalid = await post({ query: "{ nothing }" }, graphqlResponse);
    expect([invalid.status, invalid.body.errors[0].extensions.code]).toEqual([400, "GRAPHQL_VALIDATION_FAILED"]);
    const legacyParse = await post({ query: "{ departments(first: 1) {" }, "application/json");
    expect([legacyParse.status, legacyParse.body.errors[0].extensions.code]).toEqual([200, "GRAPHQL_PARSE_FAILED"]);
    const legacyInvalid = await post({ query: "{ nothing }" }, "application/json");
    expect(legacyInvalid.status).toBe(200);
  });

  it("answers 400 for a body that is not a GraphQL request, under either media type", async () => {
    for (const accept of [graphqlResponse, "application/json"]) {
      const broken = await post("{not json", accept);
      expect([broken.status, broken.body.errors[0].extensions.code]).toEqual([400, "BAD_REQUEST"]);
      const noQuery = await post({ variables: {} }, accept);
      expect([noQuery.status, noQuery.body.errors[0].extensions.code]).toEqual([400, "BAD_REQUEST"]);
    }
  });

  it("runs queries over GET, refuses mutations over GET with 405, and other methods with 405", async () => {
    const get = await send({ method: "GET", headers: { accept: graphqlResponse }, path: `/graphql?query=${encodeURIComponent(query)}` });
    expect(get.status).toBe(200);
    expect(get.body.data.departments.nodes).toHaveLength(1);
    const mutation = await send({ method: "GET", headers: { accept: graphqlResponse }, path: `/graphql?query=${encodeURIComponent("mutation { x }")}` });
    expect([mutation.status, mutation.body.errors[0].extensions.code, mutation.headers.get("allow")]).toEqual([405, "METHOD_NOT_ALLOWED", "POST"]);
    const put = await send({ method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
    expect([put.status, put.body.errors[0].extensions.code, put.headers.get("allow")]).toEqual([405, "METHOD_NOT_ALLOWED", "GET, POST"]);
  });

  it("answers 415 for unsupported content types and 406 for unacceptable Accept headers, with a GraphQL error body", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const r = await post({ query }, graphqlResponse, contentType);
      expect([r.status, r.body.errors[0].extensions.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    }
    const r = await post({ query }, "text/html");
    expect([r.status, r.type, r.body.errors[0].extensions.code]).toEqual([406, "application/json; charset=utf-8", "NOT_ACCEPTABLE"]);
  });

  it("limits the body size: 413 PAYLOAD_TOO_LARGE, by Content-Length or by counting a streamed body", async () => {
    const big = await post({ query, variables: { padding: "x".repeat(20_000) } }, graphqlResponse);
    expect([big.status, big.body.errors[0].extensions.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    expect(big.body.errors[0].message).toMatch(/larger than 10000 bytes/);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 30; i++) controller.enqueue(new TextEncoder().encode(i === 0 ? `{"query":"{ __typename }","variables":{"x":"` : "y".repeat(1_000)));
        controller.close();
      },
    });
    const streamed = await send({ method: "POST", headers: { "content-type": "application/json" }, body: chunks, duplex: "half" } as RequestInit);
    expect([streamed.status, streamed.body.errors[0].extensions.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
  });

  it("refuses invalid UTF-8 instead of replacing it", async () => {
    const body = new Uint8Array([...Buffer.from('{"query":"{ municipality(code: \\"'), 0xff, 0xfe, ...Buffer.from('\\") { name } }"}')]);
    const r = await send({ method: "POST", headers: { "content-type": "application/json" }, body });
    expect([r.status, r.body.errors[0].extensions.code]).toEqual([400, "BAD_REQUEST"]);
    expect(r.body.errors[0].message).toMatch(/UTF-8/);
  });

  it("puts a code and the request id on every error, with messages that say what to change", async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ query: `{ projects(first: 2, after: "bm90LWEtY3Vyc29y") { nodes { id } } }` }, "BAD_USER_INPUT", /use a cursor this list returned/],
      [{ query: "query($n: Int) { projects(first: $n) { nodes { id } } }", variables: { n: "ten" } }, "BAD_USER_INPUT", /Int cannot represent/],
      [
        { query: "query A { __typename } query B { __typename }", operationName: "C" },
        "OPERATION_RESOLUTION_FAILURE",
        /no operation named "C" \(it has "A", "B"\); set operationName/,
      ],
      [{ query: "query A { __typename } query B { __typename }" }, "OPERATION_RESOLUTION_FAILURE", /set operationName/],
    ];
    for (const [body, code, message] of cases) {
      const r = await post(body, graphqlResponse);
      const error = r.body.errors[0];
      expect(error.extensions.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.extensions.requestId).toBe(r.requestId);
    }
  });

  it("masks an unexpected failure, logs it with the request id the response carries", async () => {
    // A real fault, no mock: the table behind wards disappears from under the app.
    const broken = await startTestApp(kind, { load: true });
    try {
      await sql`drop table ward cascade`.execute(broken.database.db);
      const response = await broken.app.fetch("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: graphqlResponse },
        body: JSON.stringify({ query: "{ municipalities(first: 1) { nodes { wards(first: 5) { nodes { name } } } } }" }),
      });
      const body = (await response.json()) as Json;
      const requestId = response.headers.get("x-request-id");
      expect(body.errors[0].message).toBe("Unexpected error.");
      expect(body.errors[0].extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", requestId });
      expect(JSON.stringify(body)).not.toMatch(/relation|does not exist|select/i);
      expect(broken.loggedErrors).toHaveLength(1);
      expect(broken.loggedErrors[0]!.message).toContain(requestId);
      expect(String(broken.loggedErrors[0]!.error)).toMatch(/ward/);
    } finally {
      await broken.close();
    }
  });

  it("serves /healthz and /readyz", async () => {
    const health = await send({ method: "GET", path: "/healthz" });
    expect([health.status, health.body]).toEqual([200, { status: "ok" }]);
    const ready = await send({ method: "GET", path: "/readyz" });
    expect([ready.status, ready.body]).toEqual([200, { status: "ready" }]);
  });
});
