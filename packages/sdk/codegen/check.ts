// The drift check: regenerate in memory and compare with what is committed in
// src/__generated__/. Used by `pnpm codegen:check` and by tests/sdk-codegen.test.ts, so CI fails
// when the schema or an operation changed without `pnpm codegen`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { codegenConfig, generatedDir } from "../codegen.ts";

/** Relative paths of generated files that are missing, differ, or should not exist; empty when fresh. */
export async function findCodegenDrift(directory = generatedDir): Promise<string[]> {
  const outputs = await generate({ ...codegenConfig(directory), cwd: path.dirname(directory) }, false);
  const drift: string[] = [];
  const expected = new Set<string>();
  for (const output of outputs) {
    const name = path.relative(directory, output.filename);
    expected.add(name);
    if (!existsSync(output.filename)) drift.push(`${name}: missing`);
    else if (readFileSync(output.filename, "utf8") !== output.content) drift.push(`${name}: differs from a fresh generation`);
  }
  for (const name of existsSync(directory) ? readdirSync(directory) : []) {
    if (!expected.has(name)) drift.push(`${name}: not produced by codegen (delete it)`);
  }
  return drift.sort();
}
