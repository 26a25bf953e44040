import { describe, expect, it } from "vitest";
import { isValidMunicipalityCode, municipalityCheckDigit } from "./municipality-code.ts";

describe("全国地方公共団体コード check digits", () => {
  it("computes the Ministry's check digit (weights 6..2, modulus 11)", () => {
    expect(municipalityCheckDigit("43100")).toBe(1); // Kumamoto City
    expect(municipalityCheckDigit("13101")).toBe(6); // Chiyoda, Tokyo
    expect(municipalityCheckDigit("01100")).toBe(2); // Sapporo
  });

  it("accepts six digits whose last is the check digit, and nothing else", () => {
    expect(isValidMunicipalityCode("431001")).toBe(true);
    expect(isValidMunicipalityCode("131016")).toBe(true);
    expect(isValidMunicipalityCode("431002")).toBe(false);
    expect(isValidMunicipalityCode("43100")).toBe(false);
    expect(isValidMunicipalityCode("4310011")).toBe(false);
    expect(isValidMunicipalityCode("43100a")).toBe(false);
  });
});
