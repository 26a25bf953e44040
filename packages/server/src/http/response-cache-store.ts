// Where the response cache keeps answers: in this process (an LRU of maxEntries), or in Redis
// when REDIS_URL is set, shared by every instance. A Redis that is down, slow or gone degrades to
// "no cache": every command fails fast (no offline queue, a short command timeout) and each
// failure is a miss, never an error to the client. Entries are keyed by the data version, so
// nothing is ever invalidated by entity: the Redis store writes one key per answer, with a TTL.
import { createRedisCache } from "@envelop/response-cache-redis";
import { type Cache, createInMemoryCache } from "@graphql-yoga/plugin-response-cache";
import { Redis } from "ioredis";

/**
 * The JSON text of data read back from Redis, by the data object: http-cache.ts hashes and sends
 * it as it came instead of serializing the parsed object again.
 */
export const dataJsonFromStore = new WeakMap<object, string>();

export interface ResponseCacheStore {
  kind: "memory" | "redis";
  cache: Cache;
  close(): Promise<void>;
}

export function memoryStore(maxEntries: number): ResponseCacheStore {
  return { kind: "memory", cache: createInMemoryCache({ max: maxEntries }), close: async () => {} };
}

/**
 * Redis behind a small in-process LRU: a key seen once by this instance is served from memory
 * after that, and Redis shares answers between instances and across restarts. Safe because a
 * key holds the data version: an import makes new keys, never a stale local entry.
 */
export function tieredStore(local: ResponseCacheStore, shared: ResponseCacheStore): ResponseCacheStore {
  const cache: Cache = {
    async get(key) {
      const near = await local.cache.get(key);
      if (near) return near;
      const far = await shared.cache.get(key);
      // Kept locally for a minute at most: long enough for bursts, short enough to follow Redis' TTL.
      if (far) await local.cache.set(key, far, [], 60_000);
      return far;
    },
    async set(key, result, entities, ttl) {
      await Promise.all([local.cache.set(key, result, [], Math.min(ttl, 60_000)), shared.cache.set(key, result, entities, ttl)]);
    },
    invalidate() {},
  };
  return { kind: "redis", cache, close: () => shared.close() };
}

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key (several deployments or test files can share one Redis). */
  keyPrefix: string;
  /** A command slower than this counts as a miss. */
  commandTimeoutMs?: number;
  /** Told once when Redis becomes unusable and once when it is back. */
  onStateChange?: (state: "down" | "up", error?: unknown) => void;
}

export function redisStore(options: RedisStoreOptions): ResponseCacheStore {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: 3_000,
    // Keep trying to reconnect, at most every 2 s; commands meanwhile fail at once (misses).
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  let up: boolean | undefined;
  const report = (state: "down" | "up", error?: unknown) => {
    if (up === (state === "up")) return;
    up = state === "up";
    options.onStateChange?.(state, error);
  };
  // Without an "error" listener ioredis' errors would be unhandled and stop the process.
  redis.on("error", (error) => report("down", error));
  redis.on("ready", () => report("up"));
  // Requests that arrive while the first connection is being made wait for it (or its failure),
  // rather than missing because the socket is not open yet.
  let connecting: Promise<void> | undefined = new Promise<void>((resolve) => {
    const done = () => {
      connecting = undefined;
      resolve();
    };
    redis.once("ready", done);
    redis.once("error", done);
    setTimeout(done, 3_000).unref();
  });
  // A command failing while connected (a timeout) is an outage too; while disconnected the "error" event has said so.
  const failed = (error: unknown) => {
    if (redis.status === "ready") report("down", error);
  };
  const store = createRedisCache({ redis });
  const cache: Cache = {
    async get(key) {
      try {
        if (connecting) await connecting;
        // Read as text (not through store.get): set() wrote exactly {"data":<data>}.
        const text = await redis.get(key);
        if (!text) return undefined;
        const result = JSON.parse(text) as { data?: unknown };
        if (result.data && typeof result.data === "object" && text.startsWith('{"data":')) dataJsonFromStore.set(result.data, text.slice(8, -1));
        return result as Awaited<ReturnType<Cache["get"]>>;
      } catch (error) {
        failed(error);
        return undefined;
      }
    },
    // The plugin does not await set(): a rejection here would be unhandled.
    async set(key, result, _entities, ttl) {
      try {
        if (connecting) await connecting;
        // Only the data: the query cost and the plugin's HTTP headers are per response, not per answer.
        await store.set(key, { data: result.data }, [], ttl);
      } catch (error) {
        failed(error);
      }
    },
    // Invalidation is by data version (in the key), not by entity.
    invalidate() {},
  };
  return {
    kind: "redis",
    cache,
    close: async () => {
      redis.disconnect();
    },
  };
}
