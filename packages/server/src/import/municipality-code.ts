/**
 * 全国地方公共団体コード: five digits and a check digit. The weights 6..2 and modulus 11 are
 * the Ministry of Internal Affairs' rule (43100 → 431001 for Kumamoto City).
 */
export function municipalityCheckDigit(code5: string): number {
  const sum = [...code5].reduce((acc, digit, i) => acc + Number(digit) * (6 - i), 0);
  return (11 - (sum % 11)) % 10;
}

export function isValidMunicipalityCode(code6: string): boolean {
  return /^\d{6}$/.test(code6) && municipalityCheckDigit(code6.slice(0, 5)) === Number(code6[5]);
}
