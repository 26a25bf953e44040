// Tree-shaking: an app that runs one operation with client.request bundles that operation's
// text only, not the SDK's table of every operation; createClient bundles them all (its methods
// are generated from that table). Bundled by esbuild as packages/sdk/scripts/bundle-size.ts does.
import { describe, expect, it } from "vitest";
import { apps, bundleApp } from "../packages/sdk/scripts/bundle-size.ts";
import { operations } from "../packages/sdk/src/index.ts";

const operationTexts = Object.values(operations).map((op) => ({
  name: op.name,
  head: op.document.slice(0, op.document.indexOf("(") > 0 ? op.document.indexOf("(") : 30),
}));

describe("the SDK in an app's bundle", () => {
  it("keeps only the operation an app imports", async () => {
    const { code } = await bundleApp(apps["one SDK operation with client.request"]);
    const kept = operationTexts.filter((op) => code.includes(op.head)).map((op) => op.name);
    expect(kept).toEqual(["Departments"]);
    expect(code).not.toContain("query Spending");
  });

  it("keeps no SDK operation for an app that brings its own document", async () => {
    const { code, gzippedBytes } = await bundleApp(apps["one client-preset document (documentMode string) with client.request"]);
    expect(operationTexts.filter((op) => code.includes(op.head))).toEqual([]);
    expect(code).toContain("query LargestProjects");
    const all = await bundleApp(apps["createClient (every generated method)"]);
    expect(gzippedBytes).toBeLessThan(all.gzippedBytes / 2);
  });

  it("keeps every operation for createClient, whose methods need them", async () => {
    const { code } = await bundleApp(apps["createClient (every generated method)"]);
    expect(operationTexts.filter((op) => !code.includes(op.head))).toEqual([]);
  });
});
