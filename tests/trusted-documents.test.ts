// Trusted-documents mode: only the manifest's operations run, by hash; GraphiQL is off.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appOptionsFromEnv } from "../packages/server/src/config.ts";
import { loadTrustedDocuments } from "../packages/server/src/http/trusted-documents.ts";
import { type Json, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

const manifestFile = path.join(import.meta.dirname, "fixtures/persisted-documents.json");
const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, string>;
const hashOf = (operation: string) => Object.entries(manifest).find(([, document]) => document.startsWith(`query ${operation}(`))![0];

describe.each(engines())("trusted documents on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // Configured the way main.ts is: TRUSTED_DOCUMENTS=<path>.
    t = await startTestApp(kind, { app: appOptionsFromEnv({ TRUSTED_DOCUMENTS: manifestFile }) });
  });
  afterAll(() => t?.close());

  const post = (body: unknown) => t.post(body);

  it("runs a persisted operation by its hash, in Apollo's extensions form and as documentId", async () => {
    const apollo = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hashOf("Departments") } }, variables: { first: 2 } });
    expect(apollo.status).toBe(200);
    expect(apollo.body.data.departments.nodes).toHaveLength(2);
    expect(apollo.body.extensions.cost).toEqual({ requestedQueryCost: 2, limit: 500_000 });
    const documentId = await post({ documentId: `sha256:${hashOf("Municipality")}`, variables: { code: "431001" } });
    expect(documentId.body.data).toEqual({ municipality: { name: "熊本市", nameEn: "Kumamoto City" } });
    const get = await t.app.fetch(
      `http://localhost/graphql?documentId=${hashOf("Municipality")}&variables=${encodeURIComponent(JSON.stringify({ code: "431001" }))}`,
      { headers: { accept: "application/graphql-response+json" } },
    );
    expect(((await get.json()) as Json).data.municipality.name).toBe("熊本市");
  });

  it("answers PERSISTED_QUERY_NOT_FOUND for an unknown hash", async () => {
    const { status, body } = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(body.data).toBeUndefined();
  });

  it("refuses arbitrary documents, even one identical to a persisted operation, and requests without a hash", async () => {
    const text = await post({ query: manifest[hashOf("Departments")], variables: { first: 1 } });
    expect([text.status, text.body.errors[0].extensions.code]).toEqual([400, "PERSISTED_QUERY_ONLY"]);
    expect(text.body.errors[0].message).toMatch(/sha256Hash or documentId/);
    const introspection = await post({ query: "{ __schema { types { name } } }" });
    expect(introspection.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_ONLY");
    const nothing = await post({ variables: {} });
    expect(nothing.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_ID_REQUIRED");
  });

  it("disables GraphiQL", async () => {
    const response = await t.app.fetch("http://localhost/graphql", { headers: { accept: "text/html" } });
    expect(await response.text()).not.toMatch(/<html/i);
  });
});

describe("the trusted-documents manifest", () => {
  it("is refused at startup when a hash does not match its document", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "wg-manifest-"));
    const file = path.join(dir, "persisted-documents.json");
    writeFileSync(file, JSON.stringify({ [hashOf("Departments")]: "query Departments { departments { totalCount } }" }));
    expect(() => loadTrustedDocuments(file)).toThrow(/is not the SHA-256 of its document/);
    writeFileSync(file, "[]");
    expect(() => loadTrustedDocuments(file)).toThrow(/must hold a JSON object/);
  });
});
