import { describe, expect, it } from "vitest";
import { QueryInputError } from "./query-input.ts";
import { foldForSearch, searchTerms } from "./search-text.ts";

describe("search folding", () => {
  it("folds width, hiragana to katakana and case, as the SQL search_fold does", () => {
    expect(foldForSearch("ﾍﾟｱﾚﾝﾄ")).toBe("ペアレント");
    expect(foldForSearch("ぺあれんと")).toBe("ペアレント");
    expect(foldForSearch("ＡＢＣ abc")).toBe("abc abc");
    expect(foldForSearch("保育")).toBe("保育");
  });
});

describe("search terms", () => {
  it("splits on any space (full-width too), folds and removes repeats", () => {
    expect(searchTerms("里親　ぺあれんと  里親", "query")).toEqual(["里親", "ペアレント"]);
  });

  it("refuses empty, too long, too many and single-character-only queries, naming the input", () => {
    const refusal = (query: string) => {
      try {
        searchTerms(query, "where.text");
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const bad of ["  ", "あ".repeat(201), Array.from({ length: 11 }, (_, i) => `語${i}`).join(" "), "あ い"]) {
      const error = refusal(bad);
      expect(error).toBeInstanceOf(QueryInputError);
      expect((error as QueryInputError).path).toBe("where.text");
      expect((error as QueryInputError).message).toMatch(/^"where\.text" /);
    }
    expect(searchTerms("あ 保育", "query")).toEqual(["ア", "保育"]);
  });
});
