// "A fresh TypeScript project can install the packed SDK and query a running server with full
// types": build and `npm pack` the SDK, install the tarball into a temp copy of tests/consumer
// with npm (offline: the package has no runtime dependencies), type-check it with the
// workspace's tsc (its @ts-expect-error lines must be errors), then run it, as ESM and as
// CommonJS, against the server listening on 127.0.0.1.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { type Listening, listen } from "./support/listen.ts";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");
const sdkDir = path.join(root, "packages/sdk");
const sdkRequire = createRequire(path.join(sdkDir, "package.json"));
const tsc = sdkRequire.resolve("typescript/bin/tsc");
// npm ships beside node; run it with this very node when it is there, else from PATH.
const npmCli = path.join(path.dirname(process.execPath), "../lib/node_modules/npm/bin/npm-cli.js");
const npm = (args: string[], cwd: string) =>
  existsSync(npmCli) ? run(process.execPath, [npmCli, ...args], { cwd, maxBuffer: 16 * 1024 * 1024 }) : run("npm", args, { cwd, maxBuffer: 16 * 1024 * 1024 });
/** Runs tsc on a project; resolves to its report (empty when clean) instead of rejecting. */
const typeCheck = (project: string) =>
  run(process.execPath, [tsc, "-p", path.join(project, "tsconfig.json")], { cwd: project }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );

const readmeUrl = "http://localhost:4000/graphql";

/** The first TypeScript example of packages/sdk/README.md, exactly as printed there. */
function readmeExample(): string {
  const readme = readFileSync(path.join(sdkDir, "README.md"), "utf8");
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!example?.includes(readmeUrl)) throw new Error(`packages/sdk/README.md: the first ts example must create its client with ${readmeUrl}`);
  return example;
}

/**
 * Every ```ts example in the JSDoc of the SDK's sources, as a file of the consumer project. An
 * example with its own imports is complete and stays as written; a fragment (it uses `client`
 * or `id` as a reader would have them) gets the imports and declarations it takes for granted.
 */
function jsdocExamples(): Array<{ name: string; source: string; complete: boolean }> {
  const sourceDir = path.join(sdkDir, "src");
  const fragmentPreamble = [
    'import { createClient, DepartmentsOperation, GraphQLResponseError, HttpError, NetworkError, PaginationError, WelfareGraphError } from "@welfare-graph/sdk";',
    "declare const client: ReturnType<typeof createClient>;",
    "declare const id: string;",
    "export { DepartmentsOperation, GraphQLResponseError, HttpError, NetworkError, PaginationError, WelfareGraphError };",
    "",
  ].join("\n");
  return readdirSync(sourceDir)
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) => {
      const text = readFileSync(path.join(sourceDir, file), "utf8");
      return [...text.matchAll(/\/\*\*[\s\S]*?\*\//g)]
        .flatMap((comment) => [...comment[0].matchAll(/```ts\n([\s\S]*?)```/g)].map((block) => block[1]!.replace(/^\s*\* ?/gm, "")))
        .map((example, i) => {
          const complete = /^import /m.test(example);
          return { name: `jsdoc-${file.replace(/\.ts$/, "")}-${i + 1}`, source: complete ? example : fragmentPreamble + example, complete };
        });
    });
}

describe("the packed SDK in a project outside the workspace", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "wg-sdk-consumer-"));
  const consumer = path.join(scratch, "consumer");
  let packed: { filename: string; files: Array<{ path: string }> };
  let typeReport = "";
  const strayMistake = "src/stray-mistake.ts";

  beforeAll(async () => {
    // `npm pack` runs the package's prepack script: a clean ESM + CJS build.
    const { stdout } = await npm(["pack", "--json", "--pack-destination", scratch], sdkDir);
    packed = JSON.parse(stdout.slice(stdout.indexOf("[")))[0];

    cpSync(path.join(root, "tests/consumer"), consumer, { recursive: true, filter: (source) => !/node_modules|dist/.test(path.relative(root, source)) });
    await npm(["install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", "--ignore-scripts", path.join(scratch, packed.filename)], consumer);
    // The typed documents entry point needs graphql's types, which an urql or Apollo user has;
    // linked from the workspace rather than fetched.
    // So are graphql-codegen with its client-preset and urql, which a team installs itself.
    for (const name of ["graphql", "@graphql-typed-document-node/core", "@graphql-codegen/cli", "@graphql-codegen/client-preset", "@urql/core"]) {
      const target = path.join(consumer, "node_modules", name);
      mkdirSync(path.dirname(target), { recursive: true });
      symlinkSync(realpathSync(path.join(sdkDir, "node_modules", name)), target, "dir");
    }
    // The team's own typed documents, generated by client-preset from the schema the package ships (consumer/codegen.ts).
    await run(process.execPath, [path.join(consumer, "node_modules/@graphql-codegen/cli/esm/bin.js"), "--config", "codegen.ts"], { cwd: consumer });
    // The SDK README's first example, verbatim, as a newcomer pastes it (run below against the live server).
    writeFileSync(path.join(consumer, "src/readme-usage.ts"), readmeExample());
    // The JSDoc examples of the SDK's public functions and types, type-checked with the rest.
    for (const example of jsdocExamples()) writeFileSync(path.join(consumer, `src/${example.name}.ts`), example.source);
    // The check can fail: a copy of type-errors.ts without the directive above its misspelled
    // field, which tsc must report, alone, in the same run (a second tsc run costs 7-9 CPU-s).
    const typeErrors = readFileSync(path.join(consumer, "src/type-errors.ts"), "utf8");
    writeFileSync(path.join(consumer, strayMistake), typeErrors.replace("  // @ts-expect-error: misspelled field.\n", ""));
    // Type-check and emit dist/ (tsc emits even when it reports errors; the tests below judge).
    typeReport = await typeCheck(consumer);
  }, 240_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("packs only the build, the manifest and the README, with no workspace or runtime dependencies", () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toContain("dist/esm/index.js");
    expect(files).toContain("dist/esm/index.d.ts");
    expect(files).toContain("dist/cjs/index.js");
    expect(files).toContain("dist/cjs/index.d.ts");
    expect(files).toContain("dist/cjs/package.json");
    expect(files).toContain("dist/persisted-documents.json");
    expect(files).toContain("dist/schema.graphql");
    expect(files).toContain("README.md");
    expect(files.filter((f) => !f.startsWith("dist/") && !["README.md", "package.json"].includes(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(consumer, "node_modules/@welfare-graph/sdk/package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "@welfare-graph/sdk", version: "0.1.0", sideEffects: false });
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(JSON.stringify(manifest)).not.toContain("workspace:");
  });

  it("finds the JSDoc examples of createClient, createRequestClient, request, paginate and the error classes", () => {
    const examples = jsdocExamples();
    expect(examples.length).toBeGreaterThanOrEqual(7);
    expect(examples.filter((e) => e.complete).map((e) => e.source)).toEqual([
      expect.stringContaining('createClient({ url: "http://localhost:4000/graphql" })'),
      expect.stringContaining('createRequestClient({ url: "http://localhost:4000/graphql", method: "GET" })'),
    ]);
  });

  it("type-checks with tsc: full types, and the mistakes marked @ts-expect-error do not compile", () => {
    // Nothing but the stray mistake's own line (next test).
    expect(typeReport.split("\n").filter((line) => line && !line.startsWith(strayMistake))).toEqual([]);
  });

  it("a stray mistake fails the type-check (the check can fail)", () => {
    const stray = typeReport.split("\n").filter((line) => line.startsWith(strayMistake));
    expect(stray).toEqual([expect.stringMatching(/^src\/stray-mistake\.ts\(\d+,\d+\): error TS2339: Property 'nmae' does not exist/)]);
  });

  describe.each(engines())("against a live server on %s", (kind) => {
    let t: TestApp;
    let server: Listening;
    beforeAll(async () => {
      t = await startTestApp(kind);
      server = await listen(t.app);
    });
    afterAll(async () => {
      await server?.close();
      await t?.close();
    });

    it("runs queries through the ESM build and returns what the database holds", async () => {
      const { stdout } = await run(process.execPath, ["run.mjs", server.url], { cwd: consumer });
      const result = JSON.parse(stdout);
      const db = t.database.db;
      const departments = await db.selectFrom("department").select("name_ja").orderBy("municipality_code").orderBy("sort_order").execute();
      const projects = await db
        .selectFrom("project")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow();
      const years = await db.selectFrom("fiscal_year").select("year").orderBy("year", "desc").execute();
      expect(result.departmentsTotal).toBe(departments.length);
      expect(result.firstDepartment).toBe(departments[0]!.name_ja);
      expect(result.nodeName).toBe(departments[0]!.name_ja);
      expect(result.projectIds).toHaveLength(Number(projects.n));
      expect(new Set(result.projectIds).size).toBe(Number(projects.n));
      expect(result.pages).toBe(Math.ceil(Number(projects.n) / 40));
      expect(result.households.length).toBeGreaterThan(0);
      expect(result.badInput).toEqual({ name: "GraphQLResponseError", codes: ["BAD_USER_INPUT"], operationName: "Projects" });
      expect(result.limit).toEqual({ reason: "max-pages", pagesRead: 2 });
      expect(result.years).toEqual(years.map((y) => y.year));
    });

    it("runs the README's first example as written (only its URL pointed at this server)", async () => {
      const emitted = readFileSync(path.join(consumer, "dist/readme-usage.js"), "utf8");
      const script = path.join(consumer, `readme-usage-${kind}.mjs`);
      writeFileSync(script, emitted.replace(readmeUrl, server.url));
      const { stdout } = await run(process.execPath, [script], { cwd: consumer });
      const first = await t.database.db
        .selectFrom("department")
        .select(["name_ja", "name_en"])
        .orderBy("municipality_code")
        .orderBy("sort_order")
        .executeTakeFirstOrThrow();
      expect(stdout).toContain(first.name_ja);
      // Its last line: node(id) of the first department, narrowed by __typename.
      expect(stdout.trim().split("\n").at(-1)).toBe(first.name_en);
    });

    it("runs createClient's JSDoc example as written (only its URL pointed at this server)", async () => {
      const example = jsdocExamples().find((e) => e.complete)!;
      const emitted = readFileSync(path.join(consumer, `dist/${example.name}.js`), "utf8");
      const script = path.join(consumer, `${example.name}-${kind}.mjs`);
      writeFileSync(script, emitted.replace(readmeUrl, server.url));
      const { stdout } = await run(process.execPath, [script], { cwd: consumer });
      const first = await t.database.db.selectFrom("department").select("name_ja").orderBy("municipality_code").orderBy("sort_order").executeTakeFirstOrThrow();
      expect(stdout).toContain(first.name_ja);
      // The project it fetched by a Project's id (a Department's id made it throw before).
      const firstInReportOrder = await t.database.db
        .selectFrom("project")
        .select("name_ja")
        .orderBy("municipality_code")
        .orderBy("fiscal_year", "desc")
        .orderBy("document_id")
        .orderBy("sort_order")
        .orderBy("id")
        .executeTakeFirstOrThrow();
      expect(stdout).toContain(firstInReportOrder.name_ja);
    });

    it("runs a team's own client-preset documents through client.request (GET) and through urql", async () => {
      const { stdout } = await run(process.execPath, ["run-own.mjs", server.url], { cwd: consumer });
      const result = JSON.parse(stdout);
      const largest = await t.database.db
        .selectFrom("project")
        .select(["name_ja", "amount_thousand_yen"])
        .where("amount_thousand_yen", "is not", null)
        .orderBy("amount_thousand_yen", "desc")
        .limit(3)
        .execute();
      const expected = largest.map((p) => `${p.name_ja} ${p.amount_thousand_yen}`);
      const departments = await t.database.db
        .selectFrom("department")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow();
      expect(result).toEqual({ names: expected, totalCount: Number(departments.n), sdkOperation: 2, badInput: ["BAD_USER_INPUT"], urqlNames: expected });
    });

    it("runs through the CommonJS build with require()", async () => {
      const { stdout } = await run(process.execPath, ["run.cjs", server.url], { cwd: consumer });
      const codes = await t.database.db.selectFrom("municipality").select("code").orderBy("code").execute();
      expect(JSON.parse(stdout)).toEqual({ municipalities: codes.map((c) => c.code), errorIsTyped: true, dimension: "DEPARTMENT" });
    });
  });
});
