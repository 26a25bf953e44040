// The request body limit, as yoga's maxRequestBodySize enforces it, minus its cost on ordinary
// requests: yoga pipes every body through a counting stream (a new Request, a stream pipeline
// and an AbortController per request). A body with a valid Content-Length is exactly that long
// (the HTTP parser reads no more), so the header decides it; only bodies without one (chunked)
// are counted as they arrive.
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";

const contentLengthPattern = /^\d+$/;

function tooLarge(): GraphQLError {
  return new GraphQLError("Request body too large", { extensions: { http: { status: 413 }, code: "REQUEST_ENTITY_TOO_LARGE" } });
}

function countedBody(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  const body = request.body;
  if (!body) return request;
  // A native stream must be piped through the native TransformStream (graphql-yoga#4583).
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let bytesRead = 0;
  const limited = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytesRead += chunk.byteLength;
        if (bytesRead > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: limited,
    duplex: "half",
  } as RequestInit);
}

/** Use with yoga's maxRequestBodySize: false. */
export function requestBodyLimitPlugin(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get("content-length");
      if (contentLength !== null) {
        // Anything but one whole number (a comma-joined pair is a smuggling attempt) is refused.
        if (!contentLengthPattern.test(contentLength)) {
          throw new GraphQLError("Content-Length header is invalid.", { extensions: { http: { status: 400 }, code: "BAD_REQUEST" } });
        }
        if (Number(contentLength) > limit) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((unlimited) => parse(countedBody(unlimited, limit, fetchAPI)));
    },
  };
}
