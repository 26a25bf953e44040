// Which database failures are conditions of the service rather than bugs: the GraphQL layer
// answers them with SERVICE_UNAVAILABLE or REQUEST_TIMEOUT instead of a masked internal error.

export type DatabaseFailure = "unavailable" | "busy" | "statement-timeout";

// SQLSTATE classes and codes (PostgreSQL appendix A): 08 connection exception,
// 57P01-57P03 admin/crash shutdown and "cannot connect now", 53300 too many connections.
const unavailableStates = new Set(["57P01", "57P02", "57P03", "53300"]);
// Node socket errors when the server is gone or unreachable.
const unavailableSocketCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

export function classifyDatabaseError(error: unknown): DatabaseFailure | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      if (code === "57014") return "statement-timeout";
      if (code.startsWith("08") || unavailableStates.has(code) || unavailableSocketCodes.has(code)) return "unavailable";
    }
    // node-postgres reports these without a code.
    if (/timeout exceeded when trying to connect/i.test(current.message)) return "busy";
    if (/Connection terminated|connection (?:is )?closed|Client has encountered a connection error|server closed the connection/i.test(current.message)) {
      return "unavailable";
    }
  }
  return undefined;
}
