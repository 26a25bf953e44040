import { describe, expect, it } from "vitest";
import { yenFromThousandYen } from "./amounts.ts";

describe("yenFromThousandYen", () => {
  it("multiplies whole thousand yen by 1000 exactly, beyond 2^53", () => {
    expect(yenFromThousandYen("29116098")).toBe("29116098000");
    expect(yenFromThousandYen("0")).toBe("0");
    expect(yenFromThousandYen("999999999999999999")).toBe("999999999999999999000");
  });

  it("turns an average with up to 3 decimals into whole yen", () => {
    expect(yenFromThousandYen("1234.567")).toBe("1234567");
    expect(yenFromThousandYen("0.005")).toBe("5");
    expect(yenFromThousandYen("12.5")).toBe("12500");
    expect(yenFromThousandYen("-0.250")).toBe("-250");
    expect(yenFromThousandYen("-0.000")).toBe("0");
  });

  it("keeps null and refuses what is not an amount", () => {
    expect(yenFromThousandYen(null)).toBeNull();
    expect(() => yenFromThousandYen("1.2345")).toThrow(/at most 3 decimals/);
    expect(() => yenFromThousandYen("1e3")).toThrow();
  });
});
