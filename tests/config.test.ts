// Paths in the environment mean the folder the command was run from, also under `pnpm start`,
// which runs the server inside packages/server (docs/operations.md's own TRUSTED_DOCUMENTS
// example, typed at the repository root, used to point into packages/server).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appOptionsFromEnv } from "../packages/server/src/config.ts";
import { databaseOptionsFromEnv, repositoryRoot } from "../packages/server/src/env.ts";

const underPnpm = { npm_lifecycle_event: "start", INIT_CWD: repositoryRoot };

describe("paths in the environment", () => {
  it("resolves PGLITE_DATA_DIR against the folder pnpm was started in, not packages/server", () => {
    expect(databaseOptionsFromEnv({ ...underPnpm, PGLITE_DATA_DIR: "my-data" }).dataDir).toBe(path.join(repositoryRoot, "my-data"));
    expect(databaseOptionsFromEnv({ ...underPnpm, PGLITE_DATA_DIR: "/srv/wg" }).dataDir).toBe("/srv/wg");
    expect(databaseOptionsFromEnv({ ...underPnpm, PGLITE_DATA_DIR: "memory://" }).dataDir).toBe("memory://");
  });

  it("resolves against the working directory when run directly (no pnpm script)", () => {
    expect(databaseOptionsFromEnv({ INIT_CWD: "/elsewhere", PGLITE_DATA_DIR: "my-data" }).dataDir).toBe(path.resolve("my-data"));
    expect(databaseOptionsFromEnv({}).dataDir).toBe(path.join(repositoryRoot, ".data"));
  });

  it("loads the SDK manifest with the path docs/operations.md gives, from the repository root", () => {
    const options = appOptionsFromEnv({ ...underPnpm, TRUSTED_DOCUMENTS: "packages/sdk/src/__generated__/persisted-documents.json" });
    expect(options.trustedDocuments?.size).toBeGreaterThan(10);
  });
});
