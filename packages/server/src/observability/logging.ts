// Structured logs (pino): JSON lines for log collectors, readable lines in a terminal
// (pino-pretty, in a worker thread), and one line per GraphQL request.
import pino, { type Logger } from "pino";
import type { LogLevel } from "../config.ts";
import type { RequestFacts } from "./request-facts.ts";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable lines; default when standard output is a terminal. */
  pretty?: boolean;
  /** Where JSON lines go (tests); default standard output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, base: { service: "welfare-graph" } };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty ?? process.stdout.isTTY) {
    return pino({ ...base, transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" } } });
  }
  // One line per request would be one write to standard output each: lines are gathered and
  // written in blocks (at least every 100 ms); pino writes what is left when the process exits.
  return pino(base, pino.destination({ dest: 1, sync: false, minLength: 4_096, periodicFlush: 100 }));
}

/** One line per GraphQL request; failed requests (status ≥ 500) at warn. */
export function requestLogger(logger: Logger) {
  return (facts: RequestFacts) => {
    const line = {
      requestId: facts.requestId,
      operation: facts.operation,
      status: facts.status,
      outcome: facts.outcome,
      durationMs: Math.round(facts.durationMs * 10) / 10,
      ...(facts.cost !== undefined ? { cost: facts.cost } : {}),
      ...(facts.errorCodes.length ? { errors: facts.errorCodes } : {}),
      ...(facts.cacheHit !== undefined ? { cacheHit: facts.cacheHit } : {}),
      ...(facts.traceId ? { traceId: facts.traceId } : {}),
    };
    if (facts.status >= 500) logger.warn(line, "request");
    else logger.info(line, "request");
  };
}

/** yoga.ts's logError: unexpected errors with their cause (the message starts with the request id). */
export function errorLogger(logger: Logger) {
  return (message: string, error: unknown) => {
    const requestId = /^\[([^\]]+)\]/.exec(message)?.[1];
    logger.error({ ...(requestId ? { requestId } : {}), err: error }, message);
  };
}
