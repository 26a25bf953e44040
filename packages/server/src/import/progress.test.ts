import { describe, expect, it } from "vitest";
import { progressBarFrame, progressLine } from "./progress.ts";

describe("import progress", () => {
  it("redraws one bar in place on a terminal, ending the line when done", () => {
    expect(progressBarFrame({ bundle: "data/431001/2023", step: "保護管理援護課", done: 2, total: 15 })).toBe(
      `\r\x1b[Kdata/431001/2023 [####${"-".repeat(26)}] 2/15 保護管理援護課`,
    );
    expect(progressBarFrame({ bundle: "b", step: "done", done: 3, total: 3 })).toBe(`\r\x1b[Kb [${"#".repeat(30)}] 3/3 done\n`);
  });

  it("writes plain lines otherwise", () => {
    expect(progressLine({ bundle: "data/431001/2023", step: "児童相談所", done: 15, total: 15 })).toBe("data/431001/2023: 15/15 児童相談所\n");
  });
});
