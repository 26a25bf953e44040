// CORS from an allow-list. The API uses no cookies or HTTP auth, so credentials are never
// allowed; with the default "*" every origin gets `Access-Control-Allow-Origin: *` (one cached
// response serves them all), with a list only those origins get theirs back. Preflights are
// answered here, cached by the browser for maxAgeSeconds.
import type { Plugin } from "graphql-yoga";
import { appendVary } from "./http-cache.ts";

export interface CorsOptions {
  /** "*" (any origin, no credentials) or exact origins such as https://dashboard.example.org. */
  origins: "*" | readonly string[];
  /** Access-Control-Max-Age of preflight answers, in seconds. */
  maxAgeSeconds: number;
}

export const defaultCorsMaxAgeSeconds = 7_200;

/** Headers a browser script may read from our responses. */
const exposedHeaders = "ETag, X-Request-Id, X-Response-Cache";

/** Parses CORS_ORIGINS: "*" or comma-separated origins (scheme://host[:port], nothing else). */
export function parseCorsOrigins(text: string): "*" | string[] {
  if (text.trim() === "*") return "*";
  const origins = text
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {}
    if (!parsed || parsed.origin !== origin)
      throw new Error(`CORS_ORIGINS: "${origin}" is not an origin such as https://example.org (scheme, host and port only; or "*")`);
  }
  if (!origins.length) throw new Error(`CORS_ORIGINS must be "*" or a comma-separated list of origins`);
  return origins;
}

export function corsPlugin({ origins, maxAgeSeconds }: CorsOptions): Plugin {
  const allowed = origins === "*" ? undefined : new Set(origins);
  const allowOrigin = (origin: string | null) => (origin === null ? undefined : !allowed ? "*" : allowed.has(origin) ? origin : undefined);
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== "OPTIONS") return;
      const headers = new fetchAPI.Headers({ "content-length": "0" });
      const origin = allowOrigin(request.headers.get("origin"));
      if (origin && request.headers.has("access-control-request-method")) {
        headers.set("access-control-allow-origin", origin);
        headers.set("access-control-allow-methods", "GET, POST, OPTIONS");
        const requested = request.headers.get("access-control-request-headers");
        if (requested) headers.set("access-control-allow-headers", requested);
        headers.set("access-control-max-age", String(maxAgeSeconds));
      }
      headers.set("vary", allowed ? "Origin, Access-Control-Request-Headers" : "Access-Control-Request-Headers");
      endResponse(new fetchAPI.Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      if (request.method === "OPTIONS") return;
      const origin = allowOrigin(request.headers.get("origin"));
      if (origin) {
        response.headers.set("access-control-allow-origin", origin);
        response.headers.set("access-control-expose-headers", exposedHeaders);
      }
      // With a list the answer differs by Origin, so shared caches must key on it.
      if (allowed) appendVary(response.headers, "Origin");
    },
  };
}
