// Dependencies point one way: http → graphql → data → db. The data layer and the importer never
// import GraphQL, HTTP or the server's settings (config.ts), so they stay usable from the CLIs
// (which then start without loading Yoga) and from other transports.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const serverSource = path.join(import.meta.dirname, "../packages/server/src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)[^"'`]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => (m[1] ?? m[2]) as string);
}

describe("package boundaries", () => {
  for (const layer of ["data", "db", "import"]) {
    it(`src/${layer} imports neither graphql, the GraphQL layer, HTTP nor the server's settings`, () => {
      const offending = sourceFiles(path.join(serverSource, layer)).flatMap((file) =>
        importsOf(file)
          .filter(
            (spec) =>
              /^graphql($|\/)|^graphql-yoga|^@graphql-yoga\/|^@pothos\//.test(spec) ||
              spec.includes("/graphql/") ||
              spec.includes("../yoga") ||
              spec.includes("/http/") ||
              spec.endsWith("/config.ts"),
          )
          .map((spec) => `${path.relative(serverSource, file)} → ${spec}`),
      );
      expect(offending).toEqual([]);
    });
  }

  it("migrations import nothing from the application", () => {
    const migrations = path.join(import.meta.dirname, "../migrations");
    const offending = readdirSync(migrations)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) =>
        importsOf(path.join(migrations, f))
          .filter((spec) => spec !== "kysely")
          .map((spec) => `${f} → ${spec}`),
      );
    expect(offending).toEqual([]);
  });
});
