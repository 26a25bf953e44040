// Trusted-documents mode: only operations of a persisted manifest ({ "<sha256 hex>": "<document>" },
// as the SDK generates it) run, chosen by hash. Clients send the hash either as
// extensions.persistedQuery.sha256Hash (Apollo's format) or as documentId ("sha256:<hex>" or
// the bare hex, the GraphQL-over-HTTP persisted-documents draft), by POST or GET.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";
import type { GraphQLParams, Plugin } from "graphql-yoga";
import { requestError } from "../graphql/errors.ts";

export type TrustedDocuments = ReadonlyMap<string, string>;

/** The extra request parameter this mode accepts besides query, variables, operationName, extensions. */
export const documentIdParameter = "documentId";

const sha256Hex = /^[0-9a-f]{64}$/;

/**
 * Reads and checks a manifest: every key must be the SHA-256 of its document, so a tampered
 * or stale manifest fails at startup rather than serving the wrong operation.
 */
export function loadTrustedDocuments(file: string): TrustedDocuments {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`trusted documents: cannot read ${file} as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`trusted documents: ${file} must hold a JSON object { "<sha256 hash>": "<document>" }`);
  }
  return trustedDocumentsFrom(parsed as Record<string, unknown>, file);
}

export function trustedDocumentsFrom(manifest: Record<string, unknown>, origin = "manifest"): TrustedDocuments {
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(manifest)) {
    if (typeof document !== "string") throw new Error(`trusted documents: ${origin}: the value of ${hash} is not a document string`);
    const key = hash.replace(/^sha256:/, "").toLowerCase();
    if (!sha256Hex.test(key)) throw new Error(`trusted documents: ${origin}: ${hash} is not a SHA-256 hash in hex`);
    const actual = createHash("sha256").update(document).digest("hex");
    if (actual !== key) throw new Error(`trusted documents: ${origin}: ${hash} is not the SHA-256 of its document (that is ${actual})`);
    documents.set(key, document);
  }
  return documents;
}

function documentIdOf(params: GraphQLParams, request: Request): string | null {
  const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  if (persisted && typeof persisted.sha256Hash === "string") return persisted.sha256Hash.toLowerCase();
  const fromBody = (params as Record<string, unknown>)[documentIdParameter];
  const id = typeof fromBody === "string" ? fromBody : request.method === "GET" ? new URL(request.url).searchParams.get(documentIdParameter) : null;
  return id ? id.replace(/^sha256:/, "").toLowerCase() : null;
}

/**
 * Outside trusted-documents mode: these documents (the SDK's manifest) also run by hash, so a GET
 * URL can name one (`?documentId=sha256:…`) and the SDK's persisted modes work; text still runs.
 */
export function knownDocumentsPlugin(documents: TrustedDocuments): Plugin {
  return persistedDocumentsPlugin(documents, true);
}

export function trustedDocumentsPlugin(documents: TrustedDocuments): Plugin {
  return persistedDocumentsPlugin(documents, false);
}

function persistedDocumentsPlugin(documents: TrustedDocuments, allowText: boolean): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: allowText,
    extractPersistedOperationId: documentIdOf,
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: {
      notFound: () =>
        requestError(
          "PERSISTED_QUERY_NOT_FOUND",
          allowText
            ? "No known document has this hash; send the document's text as query."
            : "No trusted document has this hash; use an operation of the published SDK (its persisted-documents manifest).",
          { status: 400 },
        ),
      persistedQueryOnly: () =>
        requestError(
          "PERSISTED_QUERY_ONLY",
          `This server runs only trusted documents; send the document's hash as extensions.persistedQuery.sha256Hash or ${documentIdParameter} instead of query text.`,
          { status: 400 },
        ),
      keyNotFound: () =>
        requestError("PERSISTED_QUERY_ID_REQUIRED", `Send the hash of a trusted document as extensions.persistedQuery.sha256Hash or ${documentIdParameter}.`, {
          status: 400,
        }),
    },
  }) as Plugin;
}
