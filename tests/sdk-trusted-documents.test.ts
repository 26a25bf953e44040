// The SDK's generated manifest is exactly what the server's trusted-documents mode accepts:
// every SDK operation runs by hash alone, and text the manifest lacks is refused.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, GraphQLResponseError } from "../packages/sdk/src/index.ts";
import { appOptionsFromEnv } from "../packages/server/src/config.ts";
import { startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

const sdkManifest = path.join(import.meta.dirname, "../packages/sdk/src/__generated__/persisted-documents.json");

describe.each(engines())("SDK persisted operations against trusted-documents mode on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { app: appOptionsFromEnv({ TRUSTED_DOCUMENTS: sdkManifest }) });
  });
  afterAll(() => t?.close());

  const client = (persistedOperations: "hash-only" | false) =>
    createClient({ url: "http://localhost/graphql", fetch: async (url, init) => t.app.fetch(url, init), persistedOperations });

  it("runs SDK operations by hash", async () => {
    const { departments } = await client("hash-only").departments({ first: 3 });
    expect(departments.totalCount).toBeGreaterThanOrEqual(15);
    expect(departments.nodes).toHaveLength(3);
    const { municipality } = await client("hash-only").municipality({ code: "431001" });
    expect(municipality?.name).toBe("熊本市");
  });

  it("refuses the same operation sent as text", async () => {
    const error = await client(false)
      .departments({ first: 3 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLResponseError);
    expect((error as GraphQLResponseError).errors[0]?.extensions?.code).toBe("PERSISTED_QUERY_ONLY");
  });
});
