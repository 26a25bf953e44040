// Frontend delivery: HTTP caching (ETag, 304, Cache-Control, Vary), the response cache (in
// memory, or Redis when REDIS_URL is set), compression and CORS, configured from the
// environment (docs/operations.md, "Caching and delivery").
import { createHash } from "node:crypto";
import { useResponseCache } from "@graphql-yoga/plugin-response-cache";
import { type GraphQLSchema, printSchema } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { DatabaseHandle } from "../db/database.ts";
import { defaultCompressionThresholdBytes } from "./compression.ts";
import { type CorsOptions, defaultCorsMaxAgeSeconds, parseCorsOrigins } from "./cors.ts";
import { dataVersionOf, defaultDataVersionMaxAgeMs } from "./data-version.ts";
import { type HttpCacheOptions, httpCachePlugin, requestKeys } from "./http-cache.ts";
import { memoryStore, type ResponseCacheStore, redisStore, tieredStore } from "./response-cache-store.ts";

export type ResponseCacheOptions =
  | false
  | { store: "memory"; ttlSeconds: number; maxEntries: number }
  | {
      store: "redis";
      ttlSeconds: number;
      url: string;
      keyPrefix: string;
      commandTimeoutMs?: number;
      /** Answers also kept in this process (an LRU of this many, up to a minute); 0 reads Redis every time. */
      localEntries?: number;
    };

export interface DeliveryOptions {
  httpCache: HttpCacheOptions;
  responseCache: ResponseCacheOptions;
  cors: CorsOptions;
  /** How stale the data version may be read (ms): an import shows after at most this long. */
  dataVersionMaxAgeMs: number;
}

export const defaultDeliveryOptions: DeliveryOptions = {
  httpCache: { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 300, cachePosts: false, compressionThresholdBytes: defaultCompressionThresholdBytes },
  responseCache: { store: "memory", ttlSeconds: 3_600, maxEntries: 1_000 },
  cors: { origins: "*", maxAgeSeconds: defaultCorsMaxAgeSeconds },
  dataVersionMaxAgeMs: defaultDataVersionMaxAgeMs,
};

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number (0 or more), got "${text}"`);
  return value;
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = env[name]?.toLowerCase();
  if (text === undefined || text === "") return fallback;
  if (["true", "1", "on", "yes"].includes(text)) return true;
  if (["false", "0", "off", "no"].includes(text)) return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

export function deliveryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryOptions {
  const defaults = defaultDeliveryOptions;
  const ttlSeconds = wholeNumber(env, "RESPONSE_CACHE_TTL_SECONDS", 3_600);
  const mode = (env.RESPONSE_CACHE ?? "").toLowerCase() || (env.REDIS_URL ? "redis" : "memory");
  let responseCache: ResponseCacheOptions;
  if (mode === "off") responseCache = false;
  else if (mode === "memory") responseCache = { store: "memory", ttlSeconds, maxEntries: wholeNumber(env, "RESPONSE_CACHE_MAX_ENTRIES", 1_000) || 1 };
  else if (mode === "redis") {
    if (!env.REDIS_URL) throw new Error("RESPONSE_CACHE=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379)");
    if (!/^rediss?:\/\//.test(env.REDIS_URL)) throw new Error(`REDIS_URL must be a redis:// or rediss:// URL, got "${env.REDIS_URL}"`);
    responseCache = {
      store: "redis",
      ttlSeconds,
      url: env.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX ?? "welfare-graph:",
      localEntries: wholeNumber(env, "RESPONSE_CACHE_LOCAL_ENTRIES", 1_000),
    };
  } else throw new Error(`RESPONSE_CACHE must be memory, redis or off, got "${env.RESPONSE_CACHE}"`);
  const compression = onOff(env, "COMPRESSION", true);
  return {
    httpCache: {
      maxAgeSeconds: wholeNumber(env, "HTTP_CACHE_MAX_AGE_SECONDS", defaults.httpCache.maxAgeSeconds),
      staleWhileRevalidateSeconds: wholeNumber(env, "HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS", defaults.httpCache.staleWhileRevalidateSeconds),
      cachePosts: onOff(env, "HTTP_CACHE_POSTS", false),
      compressionThresholdBytes: compression ? wholeNumber(env, "COMPRESSION_THRESHOLD_BYTES", defaultCompressionThresholdBytes) : false,
    },
    responseCache,
    cors: {
      origins: env.CORS_ORIGINS ? parseCorsOrigins(env.CORS_ORIGINS) : "*",
      maxAgeSeconds: wholeNumber(env, "CORS_MAX_AGE_SECONDS", defaultCorsMaxAgeSeconds),
    },
    dataVersionMaxAgeMs: wholeNumber(env, "DATA_VERSION_MAX_AGE_MS", defaultDataVersionMaxAgeMs),
  };
}

export interface Delivery {
  /** In order: after trusted documents (so a hash is resolved and a raw query refused first), before the query limits. */
  plugins: Plugin[];
  store: ResponseCacheStore | undefined;
}

function storeFor(options: Exclude<ResponseCacheOptions, false>, logError: (message: string, error: unknown) => void): ResponseCacheStore {
  if (options.store === "memory") return memoryStore(options.maxEntries);
  const redis = redisStore({
    url: options.url,
    keyPrefix: options.keyPrefix,
    ...(options.commandTimeoutMs ? { commandTimeoutMs: options.commandTimeoutMs } : {}),
    onStateChange: (state, error) => {
      if (state === "down") logError("response cache: Redis is unavailable; answering without the cache until it is back", error);
      else console.log("response cache: Redis connected");
    },
  });
  return options.localEntries ? tieredStore(memoryStore(options.localEntries), redis) : redis;
}

export function createDelivery(
  options: DeliveryOptions,
  context: { database: DatabaseHandle; schema: GraphQLSchema; graphqlEndpoint: string; logError: (message: string, error: unknown) => void },
): Delivery {
  const schemaId = createHash("sha256").update(printSchema(context.schema)).digest("base64url").slice(0, 16);
  const keys = requestKeys(dataVersionOf(context.database, options.dataVersionMaxAgeMs), schemaId);
  const store = options.responseCache ? storeFor(options.responseCache, context.logError) : undefined;
  const plugins: Plugin[] = [];
  if (store && options.responseCache) {
    plugins.push(
      useResponseCache({
        cache: store.cache,
        // Public data: one answer for everyone.
        session: () => null,
        ttl: options.responseCache.ttlSeconds * 1_000,
        buildResponseCacheKey: async ({ request, documentString, operationName, variableValues }) =>
          (await keys.keyFor(request, { query: documentString, operationName: operationName ?? undefined, variables: variableValues })) ?? "",
        // Only requests with a key (a known data version); this also skips the plugin's own
        // If-None-Match lookup, which http-cache.ts does against the key instead.
        enabled: (request) => keys.resolvedKey(request) !== undefined,
        includeExtensionMetadata: false,
      }),
      { onDispose: () => store.close() },
    );
  }
  plugins.push(httpCachePlugin(options.httpCache, keys, context.graphqlEndpoint, store !== undefined));
  return { plugins, store };
}
