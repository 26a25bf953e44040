// gzip and brotli for responses above a threshold, chosen from the request's Accept-Encoding.
// Brotli at quality 5: close to gzip's speed with smaller output; 11 (zlib's default) takes
// tens of milliseconds per 100 kB, too slow for responses computed on demand.
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

export type Encoding = "br" | "gzip";

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export const defaultCompressionThresholdBytes = 1_024;

/** The encoding to answer with: brotli, else gzip, when the client accepts it (q > 0); undefined for identity. */
export function negotiateEncoding(acceptEncoding: string | null): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const quality = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name, ...parameters] = part.trim().split(";");
    if (!name) continue;
    const q = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    quality.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const accepts = (name: Encoding) => (quality.get(name) ?? quality.get("*") ?? 0) > 0;
  if (accepts("br")) return "br";
  if (accepts("gzip")) return "gzip";
  return undefined;
}

export function compress(body: string | Uint8Array, encoding: Encoding): Promise<Buffer> {
  return encoding === "br"
    ? brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } })
    : gzipAsync(body);
}

/** Text types worth compressing; images and already-compressed formats are not. */
export function isCompressible(contentType: string | null): boolean {
  return !!contentType && /^(application\/(graphql-response\+)?json|text\/|application\/(javascript|xml))/i.test(contentType);
}
