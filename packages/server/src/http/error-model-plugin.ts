// The error model at the HTTP edge. Every response that carries errors leaves here with a
// stable extensions.code and the request id on each error; unexpected errors are logged with
// that id; field suggestions ("Did you mean …?") are removed outside development; requests
// the GraphQL-over-HTTP specification does not allow get a GraphQL error body, not an empty one.
import { type ExecutionResult, GraphQLError } from "graphql";
import { type GraphQLParams, isAsyncIterable, type Plugin, processRegularResult } from "graphql-yoga";
import { type ErrorCode, requestError } from "../graphql/errors.ts";
import { requestInfo, requestSlot } from "./request-id.ts";
import { validationHint } from "./validation-hints.ts";

export interface ErrorModelOptions {
  /** Show "Did you mean …?" suggestions (NODE_ENV=development only: they reveal the schema). */
  fieldSuggestions: boolean;
  /** Request body limit, to say it in PAYLOAD_TOO_LARGE. */
  maxRequestBodyBytes: number;
  logError: (message: string, error: unknown) => void;
}

/** Errors to log with their cause when the response is sent (then the request id is known). */
const errorsToLog = new WeakMap<GraphQLError, unknown>();

export function logWhenSent(error: GraphQLError, cause: unknown): GraphQLError {
  errorsToLog.set(error, cause);
  return error;
}

const paramsByRequest = requestSlot<GraphQLParams>("request params");
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const suggestion = /\s*Did you mean .*\?$/s;
const acceptedPostTypes = ["application/json", "application/graphql-response+json", "application/graphql+json", "application/graphql"];

function contentTypeOf(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

function badRequest(message: string): GraphQLError {
  return requestError("BAD_REQUEST", message, { status: 400 });
}

/** Strict reading of the body: invalid UTF-8 is refused instead of silently replaced by U+FFFD. */
async function strictBody(request: Request): Promise<Request> {
  let bytes: ArrayBuffer;
  try {
    bytes = await request.arrayBuffer();
  } catch (error) {
    if (error instanceof GraphQLError) throw error; // the body size limit
    throw badRequest("The request body could not be read completely; send it again.");
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw badRequest("The request body is not valid UTF-8; encode the JSON body as UTF-8.");
  }
  // yoga's body parsers (JSON, application/graphql, form) read the body with text() or json()
  // only: the decoded text is handed to them as is, not through a new Request (headers copied,
  // the body encoded into a stream again) on every request.
  const decoded: Pick<Request, "url" | "method" | "headers" | "text" | "json"> = {
    url: request.url,
    method: request.method,
    headers: request.headers,
    text: async () => text,
    json: async () => JSON.parse(text),
  };
  return decoded as Request;
}

function operationResolutionMessage(params: GraphQLParams | undefined): string {
  const names = [...(params?.query ?? "").matchAll(/\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/g)].map((m) => m[1]);
  const list = names.length ? names.map((n) => `"${n}"`).join(", ") : "none named";
  if (params?.operationName) {
    return `The document has no operation named "${params.operationName}" (it has ${list}); set operationName to one of its operations.`;
  }
  return `The document has several operations (${list}) or none; set operationName to the one to run.`;
}

/**
 * A request that is not a well-formed GraphQL-over-HTTP request gets its 4xx status under
 * application/json too (the specification's "regardless of the media type"); yoga marks some
 * of them as "spec" errors that application/json would answer with 200.
 */
function requestLevelStatus(error: GraphQLError, code: string): Pick<GraphQLError["extensions"], "http"> {
  const http = error.extensions.http;
  return code === "BAD_REQUEST" && http?.spec ? { http: { ...http, spec: false } } : {};
}

/** Code renames: yoga's and the spec's request errors, in this API's vocabulary. */
function codeFor(error: GraphQLError): ErrorCode | string {
  const code = error.extensions.code;
  const status = (error.extensions.http as { status?: number } | undefined)?.status;
  if (code === "REQUEST_ENTITY_TOO_LARGE" || status === 413) return "PAYLOAD_TOO_LARGE";
  if (status === 405) return "METHOD_NOT_ALLOWED";
  if (typeof code === "string" && code) return code;
  // Without a code: graphql-js's own input errors (variables that do not coerce, etc.).
  return "BAD_USER_INPUT";
}

/** The message a client sees for an error of this code: says what to change, never suggests fields outside development. */
function publicMessage(error: GraphQLError, code: ErrorCode | string, request: Request, options: ErrorModelOptions): string {
  if (code === "PAYLOAD_TOO_LARGE") return `The request body is larger than ${options.maxRequestBodyBytes} bytes; send a shorter query or fewer variables.`;
  if (code === "OPERATION_RESOLUTION_FAILURE") return operationResolutionMessage(paramsByRequest.get(request));
  const message = options.fieldSuggestions ? error.message : error.message.replace(suggestion, "");
  const hint = code === "GRAPHQL_VALIDATION_FAILED" ? validationHint(message, { suggestionsShown: options.fieldSuggestions }) : undefined;
  return hint ? `${message} ${hint}` : message;
}

/** The error as it leaves: stable code, public message, request id; its cause logged with that id when there is one to log. */
function rewriteError(error: GraphQLError, request: Request, options: ErrorModelOptions): GraphQLError {
  const { id } = requestInfo(request);
  const cause = errorsToLog.get(error);
  if (cause !== undefined) options.logError(`[${id}] ${String(error.extensions.code ?? "error")}: ${error.message}`, cause);
  const code = codeFor(error);
  return new GraphQLError(publicMessage(error, code, request, options), {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    path: error.path ?? null,
    originalError: error.originalError ?? null,
    extensions: { ...error.extensions, ...requestLevelStatus(error, code), code, requestId: id },
  });
}

/** POST must be JSON: form posts are "simple" cross-site requests (CSRF), other types unreadable. */
function refuseUnsupportedMediaType(request: Request, hasParser: boolean) {
  if (request.method === "POST" && (!hasParser || !acceptedPostTypes.includes(contentTypeOf(request)))) {
    throw requestError(
      "UNSUPPORTED_MEDIA_TYPE",
      `POST requests must have Content-Type: application/json (got "${contentTypeOf(request) || "none"}"); send {"query": "…", "variables": {…}} as JSON.`,
      { status: 415 },
    );
  }
}

/** yoga's parser type (graphql-yoga does not export it by name). */
type RequestParser = NonNullable<Parameters<NonNullable<Plugin["onRequestParse"]>>[0]["requestParser"]>;

/** yoga's request parser behind strict checks: percent-encoding of GET, UTF-8 of bodies, readable variables. */
function strictRequestParser(parser: RequestParser, method: string): RequestParser {
  return async (incoming) => {
    let readable = incoming;
    if (method === "GET") {
      try {
        decodeURIComponent(new URL(incoming.url).search.replace(/\+/g, " "));
      } catch {
        throw badRequest("The query string is not valid percent-encoded UTF-8; encode query, variables and operationName with encodeURIComponent.");
      }
    } else if (incoming.body) {
      readable = await strictBody(incoming);
    }
    try {
      return await parser(readable);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      // E.g. GET ?variables= that is not JSON.
      throw badRequest(
        `The request could not be read (${error instanceof Error ? error.message : String(error)}); send variables and extensions as JSON objects.`,
      );
    }
  };
}

function notAcceptableResult(): ExecutionResult {
  return {
    errors: [
      requestError("NOT_ACCEPTABLE", "This endpoint answers application/graphql-response+json or application/json; send an Accept header with one of them.", {
        status: 406,
      }),
    ],
  };
}

export function errorModelPlugin(options: ErrorModelOptions): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      refuseUnsupportedMediaType(request, requestParser !== undefined);
      if (!requestParser) return;
      setRequestParser(strictRequestParser(requestParser, request.method));
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult)) {
            throw requestError("BATCHING_NOT_SUPPORTED", "Send one operation per request: batching (a JSON array of operations) is not supported.", {
              status: 400,
            });
          }
          paramsByRequest.set(request, requestParserResult);
        },
      };
    },
    onResultProcess({ request, result, setResult, resultProcessor, setResultProcessor }) {
      let current = result;
      if (!resultProcessor) {
        // No representation the client accepts: answer 406 with an error it can still read.
        setResultProcessor(processRegularResult, "application/json");
        current = notAcceptableResult();
      }
      if (isAsyncIterable(current)) return;
      const rewriteResult = (one: ExecutionResult): ExecutionResult =>
        one.errors?.length ? { ...one, errors: one.errors.map((error) => rewriteError(error, request, options)) } : one;
      setResult(Array.isArray(current) ? current.map(rewriteResult) : rewriteResult(current));
    },
  };
}
