// Amounts arrive as exact decimal strings (BigInt on the server): formatted with BigInt, never
// through a float, so no yen is lost in the tables. Only the chart's bar lengths use numbers.
import type { Language } from "./i18n.ts";

const locales: Record<Language, string> = { ja: "ja-JP", en: "en-US" };

export function formatInteger(value: string, language: Language): string {
  return BigInt(value).toLocaleString(locales[language]);
}

/** A figure's value (a decimal string such as "12.5"), grouped by the language's convention. */
export function formatDecimal(value: string, language: Language): string {
  const [whole = "0", fraction] = value.split(".");
  const grouped = BigInt(whole).toLocaleString(locales[language]);
  const sign = whole.startsWith("-") && grouped[0] !== "-" ? "-" : "";
  return fraction ? `${sign}${grouped}.${fraction}` : `${sign}${grouped}`;
}

/** Chart axis ticks: 300億 / 30B. */
export function formatCompactYen(value: number, language: Language): string {
  return new Intl.NumberFormat(locales[language], { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

export function formatRatio(ratio: string, language: Language): string {
  return new Intl.NumberFormat(locales[language], { style: "percent", maximumFractionDigits: 2, signDisplay: "exceptZero" }).format(Number(ratio));
}
