// The README's `npx --yes pnpm@12.4.2 start`, stopped as people stop it: Ctrl+C (SIGINT to the
// whole process group, as a terminal sends it) and SIGTERM to pnpm (as a supervisor sends it).
// A normal stop must not look like a failure: no ELIFECYCLE, no ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot, serverDatabase, spawnServer } from "./support/spawned-server.ts";
import { freePort } from "./support/throwaway-postgres.ts";

const failureMarks = /ELIFECYCLE|ERR_PNPM|Command failed/;
let database: Awaited<ReturnType<typeof serverDatabase>>;

describe("stopping pnpm start", () => {
  beforeAll(async () => {
    database = await serverDatabase();
  });
  afterAll(() => database?.drop());

  it("Ctrl+C: the server stops, pnpm reports no failure", async () => {
    const port = await freePort();
    const server = spawnServer("npx", ["--yes", "pnpm@12.4.2", "start"], { ...database.env, PORT: String(port) }, { detached: true });
    await server.waitFor("database ready");
    process.kill(-server.child.pid!, "SIGINT");
    const { code, signal } = await server.exited;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.output()).toContain("stopped");
    expect(server.output()).not.toMatch(failureMarks);
    // npx (npm) ends by the SIGINT it received itself, as a shell expects after Ctrl+C; pnpm and
    // the server underneath exit 0 (else pnpm would print ELIFECYCLE).
    expect(code === 0 || signal === "SIGINT", `exit ${code} ${signal}`).toBe(true);
  });

  it("SIGTERM to pnpm: the server stops, pnpm exits 0", async () => {
    // The pnpm that npx runs, without npx around it (npm does not pass SIGTERM on to its child).
    const pnpm = execFileSync("npx", ["--yes", "-p", "pnpm@12.4.2", "which", "pnpm"], { cwd: repositoryRoot, encoding: "utf8" }).trim();
    const port = await freePort();
    const server = spawnServer(pnpm, ["start"], { ...database.env, PORT: String(port) });
    await server.waitFor("database ready");
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain("stopped");
    expect(server.output()).not.toMatch(failureMarks);
  });
});
