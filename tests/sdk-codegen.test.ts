// The SDK's generated code is fresh (CI fails on drift), covers every root field, and its typed
// documents print to exactly the text the client sends and the manifest hashes.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Kind, type OperationDefinitionNode, print } from "graphql";
import { afterAll, describe, expect, it } from "vitest";
import { findCodegenDrift } from "../packages/sdk/codegen/check.ts";
import { generatedDir } from "../packages/sdk/codegen.ts";
import * as documents from "../packages/sdk/src/documents.ts";
import { operations } from "../packages/sdk/src/index.ts";
import { schema } from "../packages/server/src/graphql/schema/index.ts";

describe("SDK code generation", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "wg-sdk-codegen-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("src/__generated__ is up to date with schema.graphql and the operations (run `pnpm codegen`)", async () => {
    expect(await findCodegenDrift()).toEqual([]);
  });

  it("reports a changed, a missing and a stray generated file", async () => {
    const copy = path.join(scratch, "__generated__");
    cpSync(generatedDir, copy, { recursive: true });
    writeFileSync(path.join(copy, "types.ts"), "// edited by hand\n", { flag: "a" });
    unlinkSync(path.join(copy, "operations.ts"));
    writeFileSync(path.join(copy, "old.ts"), "export {};\n");
    expect(await findCodegenDrift(copy)).toEqual([
      "old.ts: not produced by codegen (delete it)",
      "operations.ts: missing",
      "types.ts: differs from a fresh generation",
    ]);
  });

  it("has an operation for every root field of the schema", () => {
    const rootFields = Object.keys(schema.getQueryType()!.getFields()).sort();
    const used = new Set(
      Object.values(documents).flatMap((document) =>
        document.definitions.flatMap((d) =>
          d.kind === Kind.OPERATION_DEFINITION
            ? (d as OperationDefinitionNode).selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []))
            : [],
        ),
      ),
    );
    expect(rootFields.filter((field) => !used.has(field))).toEqual([]);
  });

  it("keeps the client free of runtime dependencies: its sources import only each other", () => {
    const sdkSource = path.join(import.meta.dirname, "../packages/sdk/src");
    const files = readdirSync(sdkSource, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.startsWith("__generated__/documents"));
    const imports = files.flatMap((file) =>
      [...readFileSync(path.join(sdkSource, file), "utf8").matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gm)].map((m) => `${file} → ${m[1]}`),
    );
    expect(imports.length).toBeGreaterThan(3);
    // documents.ts (its own entry point) is the one place that may name graphql's types.
    expect(imports.filter((line) => !/ → \.\.?\//.test(line))).toEqual([]);
  });

  it("prints each typed document to the exact text the client sends and the manifest hashes", () => {
    const byName = new Map<string, { document: string }>(Object.values(operations).map((op) => [op.name, op]));
    let compared = 0;
    for (const document of Object.values(documents)) {
      const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      if (!operation) continue;
      expect(print(document)).toBe(byName.get(operation.name!.value)?.document);
      compared++;
    }
    expect(compared).toBe(byName.size);
  });
});
