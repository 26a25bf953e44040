// Reports print amounts in thousand yen (千円); clients also get them in yen. The conversion is
// exact text arithmetic, never a float: sums reach beyond 2^53 yen.

const thousandYenText = /^(-?)(\d+)(?:\.(\d{1,3}))?$/;

/**
 * Thousand yen as decimal text ("29116098", or "1234.567" for an average to the yen) → yen as
 * whole-number text ("29116098000", "1234567"); null stays null.
 */
export function yenFromThousandYen(thousandYen: string | null): string | null {
  if (thousandYen === null) return null;
  const match = thousandYenText.exec(thousandYen);
  if (!match) throw new Error(`not an amount in thousand yen with at most 3 decimals: "${thousandYen}"`);
  const [, sign, whole, fraction = ""] = match as unknown as [string, string, string, string | undefined];
  const yen = BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, "0"));
  return yen === 0n ? "0" : `${sign}${yen}`;
}
