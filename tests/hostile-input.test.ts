// The hostile-input suite: over a thousand generated abusive or broken requests against a live
// server (real HTTP on 127.0.0.1). Every one gets a well-formed GraphQL error with a code, none
// crashes or hangs the server, and a legitimate query sent between them keeps its answer.
import { Agent, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "../packages/server/src/http/server.ts";
import { type Json, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { forgetHostileRequests, type HostileRequest, hostileRequests } from "./support/hostile-requests.ts";

const legitimate = "{ departments(first: 3) { totalCount nodes { name projects(first: 2) { nodes { name amountThousandYen } } } } }";
const perKind = 75; // 16 kinds: 1,200 requests
const concurrency = 8;
// Far above any answer here; only a hang reaches it.
const perRequestBound = 20_000;

afterAll(forgetHostileRequests);

describe.each(engines())("hostile input against a live server on %s", (kind) => {
  let t: TestApp;
  let http: HttpServer;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    http = createHttpServer(t.app);
    await new Promise<void>((resolve) => http.server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await http?.shutdown();
    await t?.close();
  });

  // node:http rather than fetch: undici copies each body again (~70 MB of them per engine), 1.7
  // CPU-s more over the corpus. The same request as fetch's: its default accept, a content-length.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  afterAll(() => agent.destroy());
  const send = (request: HostileRequest) =>
    new Promise<{ status: number; type: string; requestId: string | null; text: string }>((resolve, reject) => {
      const headers: Record<string, string> = { accept: "*/*", ...request.headers };
      if (request.body) headers["content-length"] = String(request.body.length);
      const sent = httpRequest(`${base}${request.path}`, { method: request.method, headers, agent, timeout: perRequestBound }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            type: response.headers["content-type"] ?? "",
            requestId: typeof response.headers["x-request-id"] === "string" ? response.headers["x-request-id"] : null,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        response.on("error", reject);
      });
      // A hang sends nothing: the socket's idle timeout catches it as AbortSignal.timeout did.
      sent.on("timeout", () => sent.destroy(new Error(`no answer in ${perRequestBound} ms`)));
      sent.on("error", reject);
      sent.end(request.body);
    });
  const askLegitimate = async () => {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({ query: legitimate }),
      signal: AbortSignal.timeout(perRequestBound),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };

  it("answers every hostile request with a coded GraphQL error and keeps answering honest queries", { timeout: 300_000 }, async () => {
    const baseline = await askLegitimate();
    expect(baseline.status).toBe(200);
    expect(baseline.body.errors).toBeUndefined();

    const ids = (
      (await (
        await fetch(`${base}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ projects(first: 20) { nodes { id } } }" }),
        })
      ).json()) as Json
    ).data.projects.nodes.map((n: Json) => n.id);
    const foreignCursor = (
      (await (
        await fetch(`${base}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ municipalities(first: 1) { pageInfo { endCursor } } }" }),
        })
      ).json()) as Json
    ).data.municipalities.pageInfo.endCursor;
    const corpus = hostileRequests({ perKind, ids, foreignCursor });
    expect(corpus.length).toBeGreaterThanOrEqual(1_000);

    const problems: string[] = [];
    const codes = new Map<string, number>();
    let legitimateChecks = 0;
    for (let start = 0; start < corpus.length; start += concurrency) {
      const batch = corpus.slice(start, start + concurrency);
      const answers = await Promise.all(batch.map(async (request, i) => ({ request, index: start + i, answer: await send(request) })));
      for (const { request, index, answer } of answers) {
        const where = `#${index} ${request.kind} (${request.method} ${request.path.slice(0, 60)})`;
        let body: Json;
        try {
          body = JSON.parse(answer.text);
        } catch {
          problems.push(`${where}: ${answer.status} with a body that is not JSON: ${answer.text.slice(0, 100)}`);
          continue;
        }
        const errors = body?.errors;
        if (!Array.isArray(errors) || errors.length === 0) {
          problems.push(`${where}: ${answer.status} without errors: ${answer.text.slice(0, 200)}`);
          continue;
        }
        for (const error of errors) {
          const code = error?.extensions?.code;
          if (typeof error?.message !== "string" || typeof code !== "string" || !code)
            problems.push(`${where}: an error without a message or code: ${JSON.stringify(error).slice(0, 200)}`);
          else if (code === "INTERNAL_SERVER_ERROR") problems.push(`${where}: unexpected error (masked): ${JSON.stringify(error)}`);
          else if (error.extensions.requestId !== answer.requestId) problems.push(`${where}: error without the request id of x-request-id`);
          codes.set(`${request.kind} → ${code}`, (codes.get(`${request.kind} → ${code}`) ?? 0) + 1);
        }
        if (!/^application\/(graphql-response\+)?json/.test(answer.type)) problems.push(`${where}: content type ${answer.type}`);
        if (answer.status >= 500) problems.push(`${where}: server error status ${answer.status}`);
      }
      // Between every few batches, an honest query gets the same answer as before.
      if ((start / concurrency) % 3 === 0) {
        const check = await askLegitimate();
        legitimateChecks++;
        if (check.status !== 200 || JSON.stringify(check.body.data) !== JSON.stringify(baseline.body.data)) {
          problems.push(`legitimate query after #${start}: ${check.status} ${JSON.stringify(check.body).slice(0, 200)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(legitimateChecks).toBeGreaterThan(40);
    // Nothing went unexpectedly wrong inside the server either.
    expect(t.loggedErrors.map((e) => e.message)).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await askLegitimate()).body.data).toEqual(baseline.body.data);
    console.log(
      `hostile input on ${kind}: ${corpus.length} requests, ${legitimateChecks} legitimate checks; codes by kind:\n${[...codes].map(([k, n]) => `  ${k}: ${n}`).join("\n")}`,
    );
  });
});
