// Frontend delivery over real HTTP (a listening server, node's fetch): GET + ETag + 304, Vary,
// Cache-Control, compression by Accept-Encoding, CORS allow-list and preflight, the data
// version moving on import (ETags and the response cache with it, in memory and in Redis), and
// a Redis that is down or goes away while the server keeps answering.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { get as httpGet } from "node:http";
import { createServer } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Redis } from "ioredis";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DepartmentsOperation } from "../packages/sdk/src/index.ts";
import { loadBundledDataset } from "../packages/server/src/app-database.ts";
import { sdkPersistedDocuments } from "../packages/server/src/env.ts";
import { type DeliveryOptions, defaultDeliveryOptions, deliveryOptionsFromEnv, type ResponseCacheOptions } from "../packages/server/src/http/delivery.ts";
import { loadTrustedDocuments } from "../packages/server/src/http/trusted-documents.ts";
import { createApp } from "../packages/server/src/yoga.ts";
import { startTestApp, type TestApp } from "./support/app.ts";
import { createTestDatabase, engines } from "./support/databases.ts";
import { exampleDataset } from "./support/import-files.ts";
import { type Listening, listen } from "./support/listen.ts";

const redisUrl = "redis://127.0.0.1:6379";
const departmentsQuery = "query Departments($first: Int) { departments(first: $first) { totalCount nodes { id name municipality { code } } } }";
const nestedQuery =
  "{ departments(first: 20) { nodes { name projects(first: 20) { nodes { name amountThousandYen usage(first: 10) { nodes { metric value } } } } } } }";

function options(overrides: Partial<DeliveryOptions> = {}): DeliveryOptions {
  // The data version read on every request: an import shows at once, without waiting.
  return { ...defaultDeliveryOptions, dataVersionMaxAgeMs: 0, ...overrides };
}

const uniquePrefix = () => `wg-test-${randomBytes(6).toString("hex")}:`;

async function deleteKeys(prefix: string) {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(keys);
  redis.disconnect();
}

function getUrl(base: string, query: string, variables?: Record<string, unknown>): string {
  const url = new URL(base);
  url.searchParams.set("query", query);
  if (variables) url.searchParams.set("variables", JSON.stringify(variables));
  return url.toString();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe.each(engines())("HTTP caching, compression and CORS on %s", (kind) => {
  let t: TestApp;
  let server: Listening;
  beforeAll(async () => {
    t = await startTestApp(kind, { app: { delivery: options({ responseCache: false }) } });
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("answers a GET with an ETag, public Cache-Control and Vary; If-None-Match gets 304 without executing", async () => {
    const url = getUrl(server.url, departmentsQuery, { first: 3 });
    const first = await fetch(url, { headers: { accept: "application/graphql-response+json" } });
    const body = await first.text();
    expect(first.status).toBe(200);
    expect(JSON.parse(body).data.departments.nodes).toHaveLength(3);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^W\/"\d+-[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");
    expect(first.headers.get("vary")).toMatch(/Accept(?!-).*Accept-Encoding/);
    expect(first.headers.get("last-modified")).toBeNull();

    // The same URL again: same body, same ETag.
    const again = await fetch(url, { headers: { accept: "application/graphql-response+json" } });
    expect(await again.text()).toBe(body);
    expect(again.headers.get("etag")).toBe(etag);

    t.database.statements.sql.length = 0;
    const revalidated = await fetch(url, { headers: { accept: "application/graphql-response+json", "if-none-match": etag! } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
    expect(revalidated.headers.get("etag")).toBe(etag);
    expect(revalidated.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");
    // Only the data version was read: nothing executed.
    expect(t.database.statements.sql.filter((s) => !s.includes("data_version"))).toEqual([]);

    // Another document or other variables with that ETag: a full answer.
    const other = await fetch(getUrl(server.url, departmentsQuery, { first: 2 }), { headers: { "if-none-match": etag! } });
    expect(other.status).toBe(200);
    expect(other.headers.get("etag")).not.toBe(etag);
  });

  it("gives POSTs an ETag but no-store, and errors no-store without an ETag", async () => {
    const post = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: departmentsQuery }),
    });
    expect(post.status).toBe(200);
    expect(post.headers.get("etag")).toMatch(/^W\//);
    expect(post.headers.get("cache-control")).toBe("no-store");
    const error = await fetch(getUrl(server.url, "{ departments(first: 1000) { totalCount } }"));
    expect((await error.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(error.headers.get("etag")).toBeNull();
    expect(error.headers.get("cache-control")).toBe("no-store");
  });

  it("compresses with brotli or gzip as Accept-Encoding asks, above the threshold only", async () => {
    const url = getUrl(server.url, nestedQuery);
    // node:http, not fetch: fetch would decompress by itself.
    const raw = (acceptEncoding: string) =>
      new Promise<{ response: { headers: Headers }; bytes: Buffer }>((resolve, reject) => {
        httpGet(url, { headers: { "accept-encoding": acceptEncoding } }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(response.headers)) if (typeof value === "string") headers.set(name, value);
            resolve({ response: { headers }, bytes: Buffer.concat(chunks) });
          });
        }).on("error", reject);
      });
    const plain = await raw("identity");
    expect(plain.response.headers.get("content-encoding")).toBeNull();
    const text = plain.bytes.toString("utf8");
    expect(text.length).toBeGreaterThan(1_024);

    const br = await raw("gzip, deflate, br");
    expect(br.response.headers.get("content-encoding")).toBe("br");
    expect(brotliDecompressSync(br.bytes).toString("utf8")).toBe(text);
    expect(br.bytes.length).toBeLessThan(text.length / 3);
    expect(br.response.headers.get("etag")).toBe(plain.response.headers.get("etag"));

    const gzip = await raw("gzip;q=1, br;q=0");
    expect(gzip.response.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(gzip.bytes).toString("utf8")).toBe(text);

    const small = await fetch(getUrl(server.url, "{ departments(first: 1) { totalCount } }"), { headers: { "accept-encoding": "br, gzip" } });
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(small.headers.get("vary")).toContain("Accept-Encoding");
  });

  it("with the default CORS: any origin gets *, without credentials; preflights are cached", async () => {
    const response = await fetch(getUrl(server.url, departmentsQuery), { headers: { origin: "https://anywhere.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("access-control-expose-headers")).toContain("ETag");
    const preflight = await fetch(server.url, {
      method: "OPTIONS",
      headers: { origin: "https://anywhere.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(preflight.headers.get("access-control-max-age")).toBe("7200");
  });
});

describe("CORS with an allow-list", () => {
  let t: TestApp;
  let server: Listening;
  beforeAll(async () => {
    t = await startTestApp("pglite", {
      app: { delivery: options({ responseCache: false, cors: { origins: ["https://dash.example.org", "http://localhost:5173"], maxAgeSeconds: 600 } }) },
    });
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("answers listed origins with their own origin and Vary: Origin, and others with no CORS headers", async () => {
    const allowed = await fetch(getUrl(server.url, departmentsQuery), { headers: { origin: "http://localhost:5173" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(allowed.headers.get("vary")).toContain("Origin");
    const refused = await fetch(getUrl(server.url, departmentsQuery), { headers: { origin: "https://evil.example" } });
    expect(refused.status).toBe(200);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    expect(refused.headers.get("vary")).toContain("Origin");

    const preflight = (origin: string) =>
      fetch(server.url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "if-none-match" } });
    const ok = await preflight("https://dash.example.org");
    expect([ok.status, ok.headers.get("access-control-allow-origin"), ok.headers.get("access-control-max-age")]).toEqual([
      204,
      "https://dash.example.org",
      "600",
    ]);
    const no = await preflight("https://evil.example");
    expect(no.headers.get("access-control-allow-origin")).toBeNull();
    expect(no.headers.get("access-control-allow-methods")).toBeNull();
  });
});

const stores: Array<[string, () => ResponseCacheOptions]> = [
  ["memory", () => ({ store: "memory", ttlSeconds: 3_600, maxEntries: 100 })],
  ["redis", () => ({ store: "redis", ttlSeconds: 3_600, url: redisUrl, keyPrefix: uniquePrefix() })],
];

describe.each(engines())("the response cache on %s", (kind) => {
  describe.each(stores)("in %s", (_store, cacheOptions) => {
    let t: TestApp;
    let server: Listening;
    const responseCache = cacheOptions();
    beforeAll(async () => {
      t = await startTestApp(kind, { app: { delivery: options({ responseCache }) } });
      server = await listen(t.app);
    });
    afterAll(async () => {
      await server?.close();
      await t?.app.dispose();
      await t?.close();
      if (responseCache && responseCache.store === "redis") await deleteKeys(responseCache.keyPrefix);
    });

    it("serves a repeated query from the cache (x-response-cache: hit) without touching the database, and a new import misses", async () => {
      const url = getUrl(server.url, departmentsQuery, { first: 50 });
      const miss = await fetch(url);
      const body = await miss.text();
      expect(miss.headers.get("x-response-cache")).toBe("miss");
      const etag = miss.headers.get("etag")!;

      t.database.statements.count = 0;
      t.database.statements.sql.length = 0;
      const hit = await fetch(url);
      expect(hit.headers.get("x-response-cache")).toBe("hit");
      // The same data; the miss also carried its query cost (extensions), which a hit did not incur.
      expect((await hit.json()).data).toEqual(JSON.parse(body).data);
      expect(hit.headers.get("etag")).toBe(etag);
      expect(t.database.statements.sql.filter((s) => !s.includes("data_version"))).toEqual([]);

      // Same document by POST: the same cached answer.
      const posted = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: departmentsQuery, variables: { first: 50 } }),
      });
      expect(posted.headers.get("x-response-cache")).toBe("hit");

      // An import moves the data version: the old ETag no longer matches and the cache misses.
      await loadBundledDataset(t.database, exampleDataset);
      const after = await fetch(url, { headers: { "if-none-match": etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get("x-response-cache")).toBe("miss");
      const newEtag = after.headers.get("etag")!;
      expect(newEtag).not.toBe(etag);
      expect(Number(/^W\/"(\d+)-/.exec(newEtag)![1])).toBeGreaterThan(Number(/^W\/"(\d+)-/.exec(etag)![1]));
      const codes = (await after.json()).data.departments.nodes.map((d: { municipality: { code: string } }) => d.municipality.code);
      expect(codes).toContain("999997");
      expect((await fetch(url)).headers.get("x-response-cache")).toBe("hit");

      // A write by hand (not the importer) moves it too.
      await sql`update department set name_ja = name_ja || '（改）' where municipality_code = '999997'`.execute(t.database.db);
      const edited = await fetch(url, { headers: { "if-none-match": newEtag } });
      expect([edited.status, edited.headers.get("x-response-cache")]).toEqual([200, "miss"]);
      expect(await edited.text()).toContain("（改）");
    });

    it("never caches errors", async () => {
      const url = getUrl(server.url, "{ departments(first: 1000) { totalCount } }");
      for (let i = 0; i < 2; i++) {
        const response = await fetch(url);
        expect(response.headers.get("x-response-cache")).toBe("miss");
        expect((await response.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
      }
    });
  });
});

describe("the Redis store", () => {
  it("is shared: an answer cached by one instance is a hit on another", async () => {
    const keyPrefix = uniquePrefix();
    const responseCache: ResponseCacheOptions = { store: "redis", ttlSeconds: 60, url: redisUrl, keyPrefix };
    const t = await startTestApp("pglite", { app: { delivery: options({ responseCache }) } });
    const other = createApp({ database: t.database, delivery: options({ responseCache }) });
    try {
      const url = getUrl("http://localhost/graphql", departmentsQuery, { first: 5 });
      expect((await t.app.fetch(url)).headers.get("x-response-cache")).toBe("miss");
      const hit = await other.fetch(url);
      expect(hit.headers.get("x-response-cache")).toBe("hit");
      expect((await hit.json()).data.departments.nodes).toHaveLength(5);
    } finally {
      await other.dispose();
      await t.app.dispose();
      await t.close();
      await deleteKeys(keyPrefix);
    }
  });

  it("with local entries: a Redis hit is kept in the process, and served from there once Redis has lost it", async () => {
    const keyPrefix = uniquePrefix();
    const shared: ResponseCacheOptions = { store: "redis", ttlSeconds: 60, url: redisUrl, keyPrefix };
    const t = await startTestApp("pglite", { app: { delivery: options({ responseCache: shared }) } });
    const tiered = createApp({ database: t.database, delivery: options({ responseCache: { ...shared, localEntries: 10 } }) });
    try {
      const url = getUrl("http://localhost/graphql", departmentsQuery, { first: 6 });
      expect((await t.app.fetch(url)).headers.get("x-response-cache")).toBe("miss");
      expect((await tiered.fetch(url)).headers.get("x-response-cache")).toBe("hit");
      await deleteKeys(keyPrefix);
      expect((await t.app.fetch(url)).headers.get("x-response-cache")).toBe("miss");
      await deleteKeys(keyPrefix);
      const local = await tiered.fetch(url);
      expect(local.headers.get("x-response-cache")).toBe("hit");
      expect((await local.json()).data.departments.nodes).toHaveLength(6);
    } finally {
      await tiered.dispose();
      await t.app.dispose();
      await t.close();
      await deleteKeys(keyPrefix);
    }
  });

  it("down from the start (nothing listens on its port): every query is answered, uncached, and the outage is logged once", async () => {
    const port = await freePort();
    const t = await startTestApp("pglite", {
      app: { delivery: options({ responseCache: { store: "redis", ttlSeconds: 60, url: `redis://127.0.0.1:${port}`, keyPrefix: "x:" } }) },
    });
    try {
      for (let i = 0; i < 3; i++) {
        const response = await t.app.fetch(getUrl("http://localhost/graphql", departmentsQuery, { first: 2 }));
        expect(response.status).toBe(200);
        expect(response.headers.get("x-response-cache")).toBe("miss");
        expect((await response.json()).data.departments.nodes).toHaveLength(2);
      }
      const outages = t.loggedErrors.filter((e) => e.message.includes("Redis is unavailable"));
      expect(outages).toHaveLength(1);
    } finally {
      await t.app.dispose();
      await t.close();
    }
  });

  describe("a Redis that stops while the server runs", () => {
    let redis: ChildProcess;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      // Our own throwaway Redis (the shared one at 6379 is never stopped).
      redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      const probe = new Redis(port, "127.0.0.1", { retryStrategy: (n) => (n > 50 ? null : 100) });
      probe.on("error", () => {}); // refused until redis-server listens
      await probe.ping();
      probe.disconnect();
    });
    afterAll(() => {
      redis.kill("SIGKILL");
    });

    it("keeps answering (misses) after it is gone", async () => {
      const t = await startTestApp("pglite", {
        app: { delivery: options({ responseCache: { store: "redis", ttlSeconds: 60, url: `redis://127.0.0.1:${port}`, keyPrefix: "x:" } }) },
      });
      try {
        const url = getUrl("http://localhost/graphql", departmentsQuery, { first: 4 });
        expect((await t.app.fetch(url)).headers.get("x-response-cache")).toBe("miss");
        expect((await t.app.fetch(url)).headers.get("x-response-cache")).toBe("hit");
        const exited = new Promise((resolve) => redis.once("exit", resolve));
        redis.kill("SIGTERM");
        await exited;
        for (let i = 0; i < 3; i++) {
          const response = await t.app.fetch(url);
          expect(response.status).toBe(200);
          expect(response.headers.get("x-response-cache")).toBe("miss");
          expect((await response.json()).data.departments.nodes).toHaveLength(4);
        }
      } finally {
        await t.app.dispose();
        await t.close();
      }
    });
  });
});

describe("caching with trusted documents", () => {
  it("serves persisted documents by GET ?documentId= with ETags, and still refuses the same document as text", async () => {
    const { createHash } = await import("node:crypto");
    const document = "query Two { departments(first: 2) { nodes { name } } }";
    const hash = createHash("sha256").update(document).digest("hex");
    const t = await startTestApp("pglite", { app: { trustedDocuments: new Map([[hash, document]]), delivery: options() } });
    try {
      const byId = `http://localhost/graphql?documentId=sha256:${hash}`;
      const first = await t.app.fetch(byId);
      expect(first.status).toBe(200);
      expect(first.headers.get("cache-control")).toContain("public");
      const etag = first.headers.get("etag")!;
      expect((await t.app.fetch(byId)).headers.get("x-response-cache")).toBe("hit");
      expect((await t.app.fetch(byId, { headers: { "if-none-match": etag } })).status).toBe(304);
      // The cached document as text, even with the right ETag: refused, not served from the cache.
      const asText = await t.app.fetch(getUrl("http://localhost/graphql", document), { headers: { "if-none-match": etag } });
      expect(asText.status).toBe(400);
      expect((await asText.json()).errors[0].extensions.code).toBe("PERSISTED_QUERY_ONLY");
    } finally {
      await t.app.dispose();
      await t.close();
    }
  });
});

describe("the SDK's operations by hash, outside trusted-documents mode", () => {
  it("answers GET ?documentId= of a known document with an ETag, runs text as before, and names an unknown hash", async () => {
    const manifest = loadTrustedDocuments(sdkPersistedDocuments);
    const t = await startTestApp("pglite", { app: { knownDocuments: manifest, delivery: options({ responseCache: false }) } });
    try {
      const url = new URL("http://localhost/graphql");
      url.searchParams.set("documentId", `sha256:${DepartmentsOperation.sha256}`);
      url.searchParams.set("variables", JSON.stringify({ first: 2 }));
      const byId = await t.app.fetch(url.toString());
      expect(byId.status).toBe(200);
      expect(byId.headers.get("cache-control")).toContain("public");
      expect((await byId.json()).data.departments.nodes).toHaveLength(2);
      expect((await t.app.fetch(url.toString(), { headers: { "if-none-match": byId.headers.get("etag")! } })).status).toBe(304);
      expect((await t.app.fetch(getUrl("http://localhost/graphql", departmentsQuery, { first: 1 }))).status).toBe(200);
      const unknown = await t.app.fetch(`http://localhost/graphql?documentId=sha256:${"0".repeat(64)}`);
      expect((await unknown.json()).errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    } finally {
      await t.close();
    }
  });
});

describe.runIf(engines().includes("postgres"))("a data version that cannot be read", () => {
  it("does not hold answers back: while a lock blocks the read they go out uncached (no ETag, no-store)", async () => {
    const t = await startTestApp("postgres", { app: { delivery: options() } });
    const blocker = new pg.Client({ connectionString: t.database.url });
    await blocker.connect();
    try {
      await blocker.query("begin");
      await blocker.query("lock table data_version in access exclusive mode");
      // Answered while the lock is still held.
      const response = await t.app.fetch(getUrl("http://localhost/graphql", departmentsQuery, { first: 1 }));
      expect(response.status).toBe(200);
      expect((await response.json()).data.departments.nodes).toHaveLength(1);
      expect(response.headers.get("etag")).toBeNull();
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-response-cache")).toBeNull();
      await blocker.query("rollback");
    } finally {
      await blocker.end();
      await t.app.dispose();
      await t.close();
    }
  });
});

describe("the data version", () => {
  it("moves with every migration-tracked write, once per transaction, and is read by the server", async () => {
    // The migrated template: the same migrations, without running PGlite's initdb here.
    const handle = await createTestDatabase("pglite");
    try {
      const version = async () => Number((await sql<{ version: string }>`select version from data_version`.execute(handle.db)).rows[0]!.version);
      const start = await version();
      await loadBundledDataset(handle, exampleDataset);
      const afterImport = await version();
      expect(afterImport).toBe(start + 1);
      await sql`truncate usage_figure`.execute(handle.db);
      expect(await version()).toBe(afterImport + 1);
      await sql`select 1 from project`.execute(handle.db);
      expect(await version()).toBe(afterImport + 1);
    } finally {
      await handle.drop();
    }
  });
});

describe("delivery settings from the environment", () => {
  it("defaults: memory cache, Redis when REDIS_URL is set, CORS *", () => {
    expect(deliveryOptionsFromEnv({})).toEqual(defaultDeliveryOptions);
    expect(deliveryOptionsFromEnv({ REDIS_URL: "redis://127.0.0.1:6379" }).responseCache).toEqual({
      store: "redis",
      ttlSeconds: 3_600,
      url: "redis://127.0.0.1:6379",
      keyPrefix: "welfare-graph:",
      localEntries: 1_000,
    });
    expect(deliveryOptionsFromEnv({ RESPONSE_CACHE: "off", REDIS_URL: "redis://x:1" }).responseCache).toBe(false);
    const set = deliveryOptionsFromEnv({
      CORS_ORIGINS: "https://a.example, http://localhost:5173",
      HTTP_CACHE_MAX_AGE_SECONDS: "0",
      HTTP_CACHE_POSTS: "true",
      COMPRESSION: "off",
    });
    expect(set.cors.origins).toEqual(["https://a.example", "http://localhost:5173"]);
    expect(set.httpCache).toMatchObject({ maxAgeSeconds: 0, cachePosts: true, compressionThresholdBytes: false });
  });

  it("refuses bad values with one line naming the variable", () => {
    expect(() => deliveryOptionsFromEnv({ CORS_ORIGINS: "https://a.example/path" })).toThrow(/^CORS_ORIGINS: "https:\/\/a.example\/path" is not an origin/);
    expect(() => deliveryOptionsFromEnv({ HTTP_CACHE_MAX_AGE_SECONDS: "-1" })).toThrow(/^HTTP_CACHE_MAX_AGE_SECONDS must be a whole number/);
    expect(() => deliveryOptionsFromEnv({ RESPONSE_CACHE: "disk" })).toThrow(/^RESPONSE_CACHE must be memory, redis or off/);
    expect(() => deliveryOptionsFromEnv({ RESPONSE_CACHE: "redis" })).toThrow(/^RESPONSE_CACHE=redis needs REDIS_URL/);
    expect(() => deliveryOptionsFromEnv({ REDIS_URL: "localhost:6379" })).toThrow(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => deliveryOptionsFromEnv({ COMPRESSION: "maybe" })).toThrow(/^COMPRESSION must be true or false/);
  });
});
