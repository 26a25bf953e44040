// The example dashboard and GraphiQL in a real browser: Debian's Chromium driven by playwright-core
// (no browser download), the dashboard built by Vite and served by `vite preview`, forwarding
// /graphql to a real API server on a test database. Screenshots go to tests/.screenshots/
// (git-ignored), except in CI, which would throw them away (~4 CPU-s of rendering and PNG).
// Without /usr/bin/chromium the test says so loudly and skips; in CI it fails.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDashboard, previewDashboard } from "../examples/dashboard/scripts/serve-build.ts";
import { operations } from "../packages/sdk/src/index.ts";
import { loadBundledDataset } from "../packages/server/src/app-database.ts";
import { startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { bundledDataset } from "./support/import-files.ts";
import { type Listening, listen } from "./support/listen.ts";

const chromiumPath = "/usr/bin/chromium";
/** Waits for what the page shows: generous, since the suite shares two cores with other work. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });
const hasChromium = existsSync(chromiumPath);
const screenshots = fileURLToPath(new URL("./.screenshots/", import.meta.url));
const takeScreenshots = process.env.CI !== "true";

/**
 * The bundled FY2023 report and a made-up FY2022 copy of it, so that a project has a series across
 * years: the copy states 生活保護業務支援経費 at 8,000 thousand yen (8,674 in FY2023).
 */
function twoYearDataset(parent: string): string {
  const root = path.join(parent, "data");
  cpSync(bundledDataset, root, { recursive: true });
  const fy2022 = path.join(root, "431001/2022");
  cpSync(path.join(root, "431001/2023"), fy2022, { recursive: true });
  const edit = (file: string, from: string, to: string) => {
    const text = readFileSync(path.join(fy2022, file), "utf8");
    if (!text.includes(from)) throw new Error(`${file}: "${from}" not found`);
    writeFileSync(path.join(fy2022, file), text.replace(from, to));
  };
  edit("document.yaml", "fy2023", "fy2022");
  edit("document.yaml", "fiscalYear: 2023", "fiscalYear: 2022");
  edit("document.yaml", "eraLabel: 令和5年度", "eraLabel: 令和4年度");
  edit("02-public-assistance-management.yaml", "amountThousandYen: 8674", "amountThousandYen: 8000");
  return root;
}

if (!hasChromium && process.env.CI !== "true") {
  const line = "!".repeat(78);
  console.warn(
    `\n${line}\n!! ${chromiumPath} is missing: SKIPPING the browser test of the dashboard and GraphiQL.\n!! Install it with: apt-get install -y chromium fonts-noto-cjk (.ci/run does).\n${line}\n`,
  );
}

type UsageRow = { label: string; category: string | null; value: string; unitName: string; asOf: string | null; ward: { name: string } | null };
type SeriesPoint = { fiscalYear: { year: number }; amountThousandYen: string; changeThousandYen: string | null };

describe.skipIf(!hasChromium && process.env.CI !== "true")("the dashboard and GraphiQL in Chromium", () => {
  let t: TestApp;
  let api: Listening;
  let app: { url: string; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  const temporary: string[] = [];
  /** operationName of every GraphQL request the dashboard sent. */
  const sent: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${chromiumPath} is missing; in CI that is a failure, not a skip (.ci/run installs chromium)`);
    const outDir = await mkdtemp(path.join(tmpdir(), "wg-dashboard-"));
    const profile = await mkdtemp(path.join(tmpdir(), "wg-chromium-"));
    const datasets = await mkdtemp(path.join(tmpdir(), "wg-datasets-"));
    temporary.push(outDir, profile, datasets);
    // Headless Chromium still preloads the address bar's pop-up pages, half of its start (4.0 →
    // 2.0 CPU-s). Turned off as chrome://flags would: a --disable-features of ours would replace
    // Playwright's own list (Chromium keeps the last one), flags from the profile are merged.
    writeFileSync(
      path.join(profile, "Local State"),
      JSON.stringify({ browser: { enabled_labs_experiments: ["webui-omnibox-popup@2", "webui-omnibox-aim-popup@2"] } }),
    );
    mkdirSync(screenshots, { recursive: true });
    // The database, the build and the browser start side by side.
    const [started] = await Promise.all([
      startTestApp(engines()[0]!, { load: false }).then(async (app) => {
        await loadBundledDataset(app.database, twoYearDataset(datasets));
        return app;
      }),
      buildDashboard(outDir),
      chromium
        .launchPersistentContext(profile, {
          executablePath: chromiumPath,
          headless: true,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
          viewport: { width: 1280, height: 800 },
          reducedMotion: "reduce",
        })
        .then((c) => {
          context = c;
        }),
    ]);
    t = started;
    api = await listen(t.app);
    app = await previewDashboard(outDir, new URL(api.url).origin);
    page = context.pages()[0] ?? (await context.newPage());
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/graphql") sent.push(request.postDataJSON()?.operationName);
    });
  });

  afterAll(async () => {
    await context?.close();
    await app?.close();
    await api?.close().catch(() => {}); // already closed by the last test
    await t?.close();
    await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const shot = (name: string, of: Page = page, fullPage = true) =>
    takeScreenshots ? of.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage }) : Promise.resolve();
  const bars = () => page.locator(".recharts-bar-rectangle");
  const rowsOf = (caption: string) => page.locator("table", { has: page.locator("caption", { hasText: caption }) }).locator("tbody tr");

  it("shows a loading state until the API answers", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/graphql", async (route) => {
      await gate;
      await route.continue();
    });
    await page.goto(app.url);
    await poll(() => page.getByRole("status").textContent()).toContain("読み込み中");
    expect(await bars().count()).toBe(0);
    release();
    await poll(() => bars().count()).toBe(15);
    expect(await page.getByRole("status").count()).toBe(0);
    await page.unroute("**/graphql");
  });

  it("charts spending by department: 15 bars, and a table with totals in thousand yen and yen", async () => {
    await page.goto(app.url);
    await poll(() => bars().count()).toBe(15);
    const spendingIn = async (year: number) =>
      (
        await t.graphql(
          `query ($year: Int!) { spending(groupBy: [DEPARTMENT], where: { fiscalYears: [$year] }, first: 100) { nodes { department { name } sum { amountThousandYen amountYen } } } }`,
          { year },
        )
      ).body;
    const body = await spendingIn(2023);
    const departments: Array<{ department: { name: string }; sum: { amountThousandYen: string; amountYen: string } }> = body.data.spending.nodes;
    expect(departments).toHaveLength(15);
    const rows = rowsOf("所属別の実績額");
    await poll(() => rows.count()).toBe(15);
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim())));
    expect(cells.map(([name, , thousand, yen]) => [name, thousand, yen])).toEqual(
      departments.map((d) => [d.department.name, BigInt(d.sum.amountThousandYen).toLocaleString("en-US"), BigInt(d.sum.amountYen).toLocaleString("en-US")]),
    );
    const total = departments.reduce((sum, d) => sum + BigInt(d.sum.amountThousandYen), 0n);
    await expect
      .poll(() => page.getByTestId("grand-total").textContent())
      .toContain(`${total.toLocaleString("en-US")} 千円 (${(total * 1000n).toLocaleString("en-US")} 円)`);
    // Every bar is labelled with its department, in the table's order.
    const ticks = await page.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value").allTextContents();
    expect(ticks).toEqual(departments.map((d) => d.department.name));
    await shot("overview-1280");

    // The newest fiscal year is shown first; the labelled choice switches to another.
    const year = page.getByLabel("年度");
    expect(await year.locator("option").allTextContents()).toEqual(["令和5年度（2023）", "令和4年度（2022）"]);
    expect(await year.inputValue()).toBe("2023");
    await year.selectOption("2022");
    const fy2022 = (await spendingIn(2022)).data.spending.nodes as typeof departments;
    const total2022 = fy2022.reduce((sum, d) => sum + BigInt(d.sum.amountThousandYen), 0n);
    expect(total2022).not.toBe(total);
    await poll(() => page.getByTestId("grand-total").textContent()).toContain(`${total2022.toLocaleString("en-US")} 千円`);
    expect(page.url()).toContain("year=2022");
    await year.selectOption("2023");
    await poll(() => page.getByTestId("grand-total").textContent()).toContain(`${total.toLocaleString("en-US")} 千円`);
  });

  it("opens a department from its bar: its projects with amount, flags and source page, 10 a page", async () => {
    const index = (await rowsOf("所属別の実績額").locator("th").allTextContents()).indexOf("障がい福祉課");
    expect(index).toBeGreaterThanOrEqual(0);
    await bars().nth(index).click();
    await poll(() => page.locator("h1").textContent()).toBe("障がい福祉課");
    expect(page.url()).toContain("#/departments/");
    expect(page.url()).toContain("year=2023");
    const departmentId = decodeURIComponent(page.url().split("#/departments/")[1]!.split("?")[0]!);
    const { body } = await t.graphql(
      `query ($id: ID!) { projects(first: 100, where: { departmentIds: [$id], fiscalYears: [2023] }) { totalCount nodes { name parent { name } amountThousandYen flags source { page } } } }`,
      { id: departmentId },
    );
    const projects: Array<{ name: string; parent: { name: string } | null; amountThousandYen: string | null; flags: string[]; source: { page: number } }> =
      body.data.projects.nodes;
    expect(projects.length).toBeGreaterThan(10); // so that it pages
    const flagNames: Record<string, string> = { NEW: "新規", EXPANDED: "拡充", RELISTED: "再掲" };
    const expected = projects.map((p) => [
      p.parent ? `${p.name} — ${p.parent.name}の内訳` : p.name,
      p.amountThousandYen == null ? "ー（記載なし）" : BigInt(p.amountThousandYen).toLocaleString("en-US"),
      p.flags.map((f) => flagNames[f]).join(""),
      `${p.source.page} ページ`,
    ]);
    expect(expected.some(([, , flags]) => flags !== "")).toBe(true);
    const read = () => rowsOf("事業一覧").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim())));
    await poll(read).toEqual(expected.slice(0, 10));
    await expect(page.getByRole("navigation", { name: "ページ送り" }).textContent()).resolves.toContain(`${projects.length} 件中 1–10 件`);
    await shot("department-1280");
    await page.getByRole("button", { name: "次へ" }).click();
    await poll(read).toEqual(expected.slice(10));
    await page.getByRole("button", { name: "前へ" }).click();
    await poll(read).toEqual(expected.slice(0, 10));
  });

  it("opens a project with the keyboard: its usage figures by ward (value, unit, ward) and its spending by year", async () => {
    await page.goto(app.url);
    await poll(() => bars().count()).toBe(15);
    // The first Tab reaches the skip link, which moves focus to the content and keeps the page.
    const before = page.url();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("本文へ移動");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    expect(page.url()).toBe(before);
    const link = page.getByRole("link", { name: "保護管理援護課" });
    await link.focus();
    await page.keyboard.press("Enter");
    await poll(() => page.locator("h1").textContent()).toBe("保護管理援護課");
    // Focus follows to the new page's content.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.getByRole("link", { name: "生活保護業務支援経費" }).click();
    await poll(() => page.locator("h1").textContent()).toBe("生活保護業務支援経費");
    const projectId = decodeURIComponent(page.url().split("#/projects/")[1]!);
    const { body } = await t.graphql(
      `query ($id: ID!) { project(id: $id) { amountThousandYen usage(first: 100) { nodes { label category value unitName asOf ward { name } } } series { fiscalYear { year eraLabel } amountThousandYen changeThousandYen changeRatio } } }`,
      { id: projectId },
    );
    const { usage, series, amountThousandYen } = body.data.project;
    expect(usage.nodes.filter((f: UsageRow) => f.ward).length).toBeGreaterThan(0);
    await poll(() => page.getByTestId("project-amount").textContent()).toBe(BigInt(amountThousandYen).toLocaleString("en-US"));
    const usageRows = await rowsOf("利用実績").evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim())),
    );
    const grouped = (value: string) => value.replace(/^-?\d+/, (whole) => BigInt(whole).toLocaleString("en-US"));
    expect(usageRows).toEqual(
      usage.nodes.map((f: UsageRow) => [
        `${f.category ? `${f.category} / ` : ""}${f.label}`,
        grouped(f.value),
        f.unitName,
        f.ward?.name ?? "市全体",
        f.asOf ?? "",
      ]),
    );
    await poll(() => page.locator("section", { hasText: "受益者" }).first().textContent()).toContain("記載なし");
    // A series across years: FY2022 (8,000) then FY2023 (8,674), with the change.
    expect(series.map((p: SeriesPoint) => [p.fiscalYear.year, p.amountThousandYen, p.changeThousandYen])).toEqual([
      [2022, "8000", null],
      [2023, "8674", "674"],
    ]);
    const percent = new Intl.NumberFormat("ja-JP", { style: "percent", maximumFractionDigits: 2, signDisplay: "exceptZero" }).format(
      Number(series[1].changeRatio),
    );
    const seriesRows = await rowsOf("年度別の実績額").evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim())),
    );
    expect(seriesRows).toEqual([
      ["2022 (令和4年度)", "8,000", "—"],
      ["2023 (令和5年度)", "8,674", `+674 (${percent})`],
    ]);
    expect(percent).toBe("+8.43%");
    await shot("project-1280");
  });

  it("searches in Japanese (ﾍﾟｱﾚﾝﾄ finds ペアレント) from the labelled search box", async () => {
    const box = page.getByLabel("事業・所属・受益者を検索");
    await box.fill("ﾍﾟｱﾚﾝﾄ");
    await box.press("Enter");
    await poll(() => page.locator("h1").textContent()).toBe("「ﾍﾟｱﾚﾝﾄ」の検索結果");
    const rows = rowsOf("検索結果");
    await poll(() => rows.locator("th").allTextContents()).toContain("ペアレントトレーニング事業");
    await expect(rows.first().locator(".snippet").textContent()).resolves.toContain("ﾍﾟｱﾚﾝﾄ");
    await shot("search-1280");
  });

  it("switches to English: labels and the API's English names, kept across pages", async () => {
    await page.getByRole("button", { name: "English" }).click();
    await poll(() => page.locator("h1").textContent()).toBe("Results for “ﾍﾟｱﾚﾝﾄ”");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByRole("button", { name: "English" }).getAttribute("aria-pressed")).toBe("true");
    await poll(() => rowsOf("Results for").locator("th").allTextContents()).toContain("Parent Training Project");
    await page.getByRole("link", { name: "Kumamoto City welfare spending" }).click();
    await poll(() => page.locator("h1").textContent()).toBe("Spending by department (re-listed projects excluded)");
    await poll(() => rowsOf("Spending by department").locator("th").allTextContents()).toContain("Childcare and Kindergarten Division");
    await poll(() => bars().count()).toBe(15);
    await shot("overview-en-1280");
  });

  it("fits a 390-px phone screen: no sideways scrolling of the page, all 15 bars", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "日本語" }).click();
    await page.goto(app.url);
    await poll(() => bars().count()).toBe(15);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot("overview-390");
    await page.getByRole("link", { name: "保護管理援護課" }).click();
    await page.getByRole("link", { name: "生活保護業務支援経費" }).click();
    await poll(() => rowsOf("利用実績").count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot("project-390");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("opens GraphiQL from this server: named example tabs, the Explorer, and the default query runs", async () => {
    const graphiql = await context.newPage();
    await graphiql.goto(api.url);
    const tabs = graphiql.locator(".graphiql-tab .graphiql-tab-button");
    await poll(() => tabs.allTextContents()).toEqual(["Showcase", "SpendingByDepartment", "NestedPage", "Search", "ProjectSeries"]);
    await tabs.first().click();
    await graphiql.locator(".graphiql-execute-button").click();
    const result = graphiql.locator(".graphiql-response");
    await poll(() => result.textContent()).toContain("保育の実施");
    expect(await result.textContent()).not.toContain('"errors"');
    await shot("graphiql-1280", graphiql, false);
    // The Explorer plugin: ticking a field writes it into the query.
    await graphiql.getByRole("button", { name: "Show GraphiQL Explorer" }).click();
    const explorer = graphiql.locator(".graphiql-explorer-root");
    // The editor shows only the lines in view; GraphiQL mirrors the whole query into the URL.
    const editedQuery = () => new URL(graphiql.url()).searchParams.get("query") ?? "";
    expect(editedQuery()).not.toContain("beneficiaryGroups");
    await explorer.getByText("beneficiaryGroups", { exact: true }).click();
    await poll(editedQuery).toMatch(/^\s*beneficiaryGroups\b/m);
    await shot("graphiql-explorer-1280", graphiql, false);
    await graphiql.close();
  });

  it("talked to the API only through the SDK's operations", () => {
    const sdkOperations = new Set<string>(Object.values(operations).map((operation) => operation.name));
    expect(sent.filter((name) => !sdkOperations.has(name))).toEqual([]);
    expect(new Set(sent)).toEqual(new Set(["Spending", "Node", "Projects", "Project", "ProjectSeries", "Search"]));
  });

  it("says clearly when the API is down, instead of a blank page, and recovers on retry", async () => {
    await api.close();
    await page.goto(app.url);
    const alert = page.getByRole("alert");
    await poll(() => alert.count()).toBe(1);
    expect(await alert.getAttribute("data-error-kind")).toBe("api-down");
    await expect(alert.textContent()).resolves.toContain("API に接続できません");
    await shot("api-down-1280");

    // The API back on the same port: 再試行 loads the page without a reload.
    const again = createServer(t.app);
    await new Promise<void>((resolve) => again.listen(api.port, "127.0.0.1", resolve));
    try {
      await alert.getByRole("button", { name: "再試行" }).click();
      await poll(() => bars().count()).toBe(15);
      expect(await page.getByRole("alert").count()).toBe(0);
    } finally {
      again.closeAllConnections();
      await new Promise((resolve) => again.close(resolve));
    }
  });
});

if (!hasChromium && process.env.CI !== "true") {
  it.skip(`the dashboard and GraphiQL in Chromium (SKIPPED: ${chromiumPath} is missing)`, () => {});
}
