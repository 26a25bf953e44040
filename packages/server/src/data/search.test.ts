import { describe, expect, it } from "vitest";
import { snippet } from "./search.ts";
import { searchTerms } from "./search-text.ts";

const terms = (query: string) => searchTerms(query, "query");

describe("snippet", () => {
  it("shows the passage around the first word found in the description, as printed", () => {
    const body = `${"前置き".repeat(10)}保育所の入所に関する相談支援を行う。${"後書き".repeat(30)}`;
    const shown = snippet("保育事業", body, terms("相談"));
    expect(shown.startsWith("…")).toBe(true);
    expect(shown.endsWith("…")).toBe(true);
    expect(shown).toContain("相談支援");
    expect(shown.indexOf("相談")).toBe(21);
  });

  it("finds the original offset where folding changes lengths before the word", () => {
    // ﾍﾟ folds to ペ (two characters become one), ㈱ to (株) (one becomes three).
    const halfWidth = `ﾍﾟｱﾚﾝﾄ・ﾄﾚｰﾆﾝｸﾞ${"あ".repeat(30)}里親支援`;
    expect(snippet("t", halfWidth, terms("里親"))).toBe(`…${"あ".repeat(20)}里親支援`);
    const widening = `㈱㈱㈱${"い".repeat(30)}里親支援`;
    expect(snippet("t", widening, terms("里親"))).toBe(`…${"い".repeat(20)}里親支援`);
  });

  it("falls back to the name when the description does not hold the word", () => {
    expect(snippet("里親 支援  事業", "別の説明", terms("里親"))).toBe("里親 支援 事業");
    expect(snippet("里親支援", null, terms("里親"))).toBe("里親支援");
  });
});
