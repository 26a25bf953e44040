// HTTP caching of GraphQL answers, so browsers and CDNs can keep them, and the response cache
// keyed to match.
// - A request's key is its document, operation name and variables with the data version (and
//   the schema): a new import changes every key, so no cache serves an answer from before it.
// - Every successful answer carries ETag W/"<data version>-<hash of the body>"; a request whose
//   If-None-Match names the ETag this instance last sent for the same key gets 304 without
//   executing; any other matching request gets 304 after executing (or from the response cache).
// - Cache-Control: GETs are public for maxAge (then stale-while-revalidate); errors, and POSTs
//   unless cachePosts, are no-store. Vary names what else the answer depends on.
// - Bodies above the threshold are compressed (brotli or gzip, by Accept-Encoding); the
//   serialized body and its compressed forms are kept with an in-memory cached answer, so a hit
//   is neither serialized nor compressed again.
import { createHash, hash } from "node:crypto";
import type { ExecutionResult } from "graphql";
import { type GraphQLParams, type Plugin, processRegularResult } from "graphql-yoga";
import { compress, type Encoding, isCompressible, negotiateEncoding } from "./compression.ts";
import type { DataVersion } from "./data-version.ts";
import { requestSlot } from "./request-id.ts";
import { dataJsonFromStore } from "./response-cache-store.ts";

export interface HttpCacheOptions {
  /** Cache-Control max-age of successful GET answers, in seconds. */
  maxAgeSeconds: number;
  /** stale-while-revalidate of successful GET answers, in seconds. */
  staleWhileRevalidateSeconds: number;
  /** Successful POST answers get the same Cache-Control as GETs instead of no-store. */
  cachePosts: boolean;
  /** Smallest body compressed, in bytes; false turns compression off. */
  compressionThresholdBytes: number | false;
}

export const responseCacheHeader = "x-response-cache";

/** The path of a request URL, without building a URL object (this runs on every response). */
export function pathnameOf(url: string): string {
  const scheme = url.indexOf("://");
  const start = scheme < 0 ? 0 : url.indexOf("/", scheme + 3);
  if (start < 0) return "/";
  let end = url.length;
  for (const mark of ["?", "#"]) {
    const at = url.indexOf(mark, start);
    if (at >= 0 && at < end) end = at;
  }
  return url.slice(start, end);
}

/** Adds names to a Vary header without repeating any. */
export function appendVary(headers: Headers, ...names: string[]): void {
  const current = headers.get("vary");
  // Most responses: no Vary yet (every response of the endpoint comes through here).
  if (!current) {
    headers.set("vary", names.join(", "));
    return;
  }
  const present = current
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  const lower = new Set(present.map((v) => v.toLowerCase()));
  for (const name of names) if (!lower.has(name.toLowerCase())) present.push(name);
  headers.set("vary", present.join(", "));
}

/** True when an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for it). */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === opaque);
}

interface SerializedAnswer {
  /** The UTF-8 body, made once per answer: encoding JSON with Japanese text is a large part of a response's cost. */
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
  encoded: Partial<Record<Encoding, Promise<Uint8Array<ArrayBuffer>>>>;
}

const dataPrefix = Buffer.from('{"data":');
const plainSuffix = Buffer.from("}");

/** `{"data":…}` or `{"data":…,"extensions":…}` from the data's bytes, without building the body as a string. */
function answerBytes(dataBytes: Buffer, extensions: Record<string, unknown> | undefined): Uint8Array<ArrayBuffer> {
  const suffix = extensions ? Buffer.from(`,"extensions":${JSON.stringify(extensions)}}`) : plainSuffix;
  // Buffer.concat returns a Buffer over an ArrayBuffer of its own (never a SharedArrayBuffer).
  return Buffer.concat([dataPrefix, dataBytes, suffix]) as Uint8Array<ArrayBuffer>;
}

function encodedHeaders(headers: Headers, encoding: Encoding, body: Uint8Array): Headers {
  const encoded = new Headers(headers);
  encoded.set("content-encoding", encoding);
  encoded.set("content-length", String(body.byteLength));
  return encoded;
}

/**
 * The media type yoga's regular result processor answers this request with, chosen as yoga
 * chooses it (plugins/use-result-processor.ts: the last match of the Accept list, read in
 * reverse, against application/graphql-response+json then application/json).
 */
function mediaTypeFor(acceptHeader: string): string | undefined {
  const asked: string[] = [];
  for (const accept of acceptHeader.replace(/\s/g, "").toLowerCase().split(",")) {
    const [mediaType, ...parameters] = accept.split(";");
    if (mediaType === undefined) continue;
    const charset = parameters.find((p) => p.includes("charset=")) || "charset=utf-8";
    if (charset === "charset=utf-8") asked.push(mediaType);
  }
  let chosen: string | undefined;
  for (const mediaType of asked.reverse()) {
    const [askedType, askedSubtype] = mediaType.split("/");
    for (const candidate of ["application/graphql-response+json", "application/json"]) {
      const [type, subtype] = candidate.split("/");
      if ((askedType === "*" || askedType === type) && (askedSubtype === "*" || askedSubtype === subtype)) chosen = candidate;
    }
  }
  return chosen;
}

// Clients send a handful of distinct Accept headers; each is read once.
const mediaTypeByAccept = new Map<string, string | undefined>();

function regularMediaType(request: Request): string | undefined {
  const accept = request.headers.get("accept") || "*/*";
  if (mediaTypeByAccept.has(accept)) return mediaTypeByAccept.get(accept);
  const mediaType = mediaTypeFor(accept);
  if (mediaTypeByAccept.size >= 100) mediaTypeByAccept.clear();
  mediaTypeByAccept.set(accept, mediaType);
  return mediaType;
}

interface SerializedData {
  bytes: Buffer;
  etag: string;
  /** The answer without extensions (a cache hit's), kept with its compressed forms. */
  plain?: SerializedAnswer;
}

interface RequestState {
  answer?: SerializedAnswer;
  /** The request was answered 304 before executing. */
  notModified?: string;
  cache?: "hit" | "miss";
}

const servedFromCache = Symbol.for("servedFromResponseCache");
/** Stands in for the result of a request answered 304 before executing; never sent. */
const notModifiedResult: ExecutionResult = { data: {} };
const knownEtagsLimit = 10_000;

type KeyParams = { query?: string | undefined; operationName?: string | undefined; variables?: unknown };

export interface RequestKeys {
  /** The request's cache key, or undefined when its answer must not be cached (data version unknown, no document). */
  keyFor(request: Request, params: KeyParams): string | undefined | Promise<string | undefined>;
  /** The key computed for this request, once keyFor has resolved. */
  resolvedKey(request: Request): string | undefined;
  /** The data version part of an ETag, for this request. */
  versionOf(request: Request): string | undefined;
}

export function requestKeys(dataVersion: DataVersion, schemaId: string): RequestKeys {
  const pending = requestSlot<Promise<string | undefined>>("request cache key");
  const resolved = requestSlot<{ key: string; version: string }>("resolved cache key");
  const keyOf = (request: Request, params: KeyParams, version: string | undefined): string | undefined => {
    if (version === undefined || !params.query) return undefined;
    const variables = params.variables === undefined || params.variables === null ? "" : JSON.stringify(params.variables);
    const key = createHash("sha256")
      .update(`${schemaId}\0${version}\0${params.operationName ?? ""}\0${params.query}\0${variables}`)
      .digest("base64url");
    resolved.set(request, { key, version: version.split(".")[0]! });
    return key;
  };
  return {
    keyFor(request, params) {
      const known = resolved.get(request);
      if (known) return known.key;
      const waiting = pending.get(request);
      if (waiting) return waiting;
      const fresh = dataVersion.fresh();
      if (fresh) return keyOf(request, params, fresh.version);
      const key = dataVersion.current().then((version) => keyOf(request, params, version));
      pending.set(request, key);
      return key;
    },
    resolvedKey: (request) => resolved.get(request)?.key,
    versionOf: (request) => resolved.get(request)?.version,
  };
}

export function httpCachePlugin(options: HttpCacheOptions, keys: RequestKeys, graphqlEndpoint: string, responseCacheOn: boolean): Plugin {
  const states = requestSlot<RequestState>("http cache state");
  const stateOf = (request: Request) => {
    let state = states.get(request);
    if (!state) {
      state = {};
      states.set(request, state);
    }
    return state;
  };
  // Serialized data by its identity: an in-memory cache hit returns the same object.
  const serialized = new WeakMap<object, SerializedData>();
  // The ETag last sent for each key, to answer If-None-Match before executing (insertion-ordered: the oldest goes first).
  const knownEtags = new Map<string, string>();
  const rememberEtag = (key: string, etag: string) => {
    knownEtags.delete(key);
    knownEtags.set(key, etag);
    if (knownEtags.size > knownEtagsLimit) knownEtags.delete(knownEtags.keys().next().value!);
  };
  const cacheControlFor = (method: string) =>
    method === "GET" || options.cachePosts
      ? `public, max-age=${options.maxAgeSeconds}, stale-while-revalidate=${options.staleWhileRevalidateSeconds}`
      : "no-store";

  return {
    onParams({ params, request, setResult }) {
      const answerNotModified = (key: string | undefined) => {
        const known = key === undefined ? undefined : knownEtags.get(key);
        if (known && matchesIfNoneMatch(request.headers.get("if-none-match"), known)) {
          stateOf(request).notModified = known;
          setResult(notModifiedResult);
        }
      };
      // Synchronous while the data version is fresh: no promise in the request's path.
      const key = keys.keyFor(request, params as GraphQLParams);
      if (typeof key === "object") return key.then(answerNotModified);
      answerNotModified(key);
    },
    onResultProcess({ request, result, setResult, resultProcessor, setResultProcessor }) {
      if (result === notModifiedResult || Array.isArray(result) || Symbol.asyncIterator in result) return;
      const single = result as ExecutionResult & { [servedFromCache]?: boolean };
      const state = stateOf(request);
      const key = keys.resolvedKey(request);
      if (responseCacheOn && key) state.cache = single[servedFromCache] ? "hit" : "miss";
      const version = keys.versionOf(request);
      if (single.errors?.length || !single.data || !key || version === undefined) return;
      // The ETag hashes the data only: extensions (the query cost) are sent on a miss but not
      // kept in the cache, so the two bodies differ yet mean the same (hence a weak ETag).
      let data = serialized.get(single.data);
      if (!data) {
        const bytes = Buffer.from(dataJsonFromStore.get(single.data) ?? JSON.stringify(single.data));
        data = { bytes, etag: `W/"${version}-${hash("sha1", bytes, "base64url")}"` };
        serialized.set(single.data, data);
      }
      // The yoga response cache adds ETag and Last-Modified headers of its own (extensions.http); ours replace them.
      const { http: _http, ...extensions } = single.extensions ?? {};
      let answer: SerializedAnswer;
      if (Object.keys(extensions).length === 0) {
        // Kept with the data: a hit is neither serialized nor encoded again.
        data.plain ??= { bytes: answerBytes(data.bytes, undefined), etag: data.etag, encoded: {} };
        answer = data.plain;
      } else {
        answer = { bytes: answerBytes(data.bytes, extensions), etag: data.etag, encoded: {} };
      }
      rememberEtag(key, answer.etag);
      state.answer = answer;
      const bytes = answer.bytes;
      const mediaType = resultProcessor === processRegularResult ? regularMediaType(request) : undefined;
      if (mediaType) {
        const contentType = `${mediaType}; charset=utf-8`;
        setResultProcessor((_result, fetchAPI) => new fetchAPI.Response(bytes, { status: 200, headers: { "content-type": contentType } }), mediaType);
      } else {
        setResult({ ...single, stringify: () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString() } as ExecutionResult);
      }
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const state = states.get(request);
      const isGraphQL = pathnameOf(request.url) === graphqlEndpoint;
      if (isGraphQL && request.method !== "OPTIONS") appendVary(response.headers, "Accept", "Accept-Encoding");
      if (state?.cache) response.headers.set(responseCacheHeader, state.cache);
      const etag = state?.notModified ?? (response.status === 200 ? state?.answer?.etag : undefined);
      if (etag) {
        response.headers.set("etag", etag);
        // Only when present: deleting turns whatwg-node's plain header object into a Map, and the
        // response then leaves by the slower per-header path instead of one writeHead.
        if (response.headers.has("last-modified")) response.headers.delete("last-modified");
        response.headers.set("cache-control", cacheControlFor(request.method));
        if (state?.notModified || matchesIfNoneMatch(request.headers.get("if-none-match"), etag)) {
          const headers = new fetchAPI.Headers(response.headers);
          for (const name of ["content-type", "content-length", "content-encoding"]) headers.delete(name);
          setResponse(new fetchAPI.Response(null, { status: 304, headers }));
          return;
        }
      } else if (isGraphQL && !response.headers.has("cache-control")) {
        response.headers.set("cache-control", "no-store");
      }

      // Compression, for every route (GraphiQL's assets arrive already gzipped and are left alone).
      const threshold = options.compressionThresholdBytes;
      const compressible =
        threshold !== false && !!response.body && !response.headers.has("content-encoding") && isCompressible(response.headers.get("content-type"));
      if (compressible) appendVary(response.headers, "Accept-Encoding");
      const encoding = compressible ? negotiateEncoding(request.headers.get("accept-encoding")) : undefined;
      const answer = response.status === 200 ? state?.answer : undefined;
      const replace = (body: Uint8Array<ArrayBuffer>, headers: Headers) =>
        setResponse(new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }));
      if (answer) {
        if (!encoding || threshold === false || answer.bytes.byteLength < threshold) return;
        answer.encoded[encoding] ??= compress(answer.bytes, encoding).then((buffer) => new Uint8Array(buffer));
        const encoded = await answer.encoded[encoding];
        return replace(encoded, encodedHeaders(response.headers, encoding, encoded));
      }
      if (!encoding || threshold === false) return;
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.byteLength < threshold) return replace(bytes, response.headers);
      const compressed = new Uint8Array(await compress(bytes, encoding));
      replace(compressed, encodedHeaders(response.headers, encoding, compressed));
    },
  };
}
