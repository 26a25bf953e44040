// A large synthetic dataset written by the database itself (INSERT … SELECT generate_series),
// for the benchmark and the index-plan test: municipalities, ten fiscal years, departments,
// and any number of projects whose names and descriptions mix real welfare words (some
// common, most rare: a skewed draw) with random kanji, as Japanese text looks to an index.
import { type Kysely, sql } from "kysely";
import type { Database } from "../src/db/types.ts";

/** Real words, commonest first: the draw favours the head of the list. */
export const syntheticWords = [
  "支援",
  "相談",
  "事業",
  "高齢者",
  "障がい",
  "子育て",
  "保育",
  "地域",
  "生活保護",
  "就労",
  "介護",
  "健康",
  "医療",
  "ひとり親",
  "虐待",
  "里親",
  "ペアレント",
  "発達",
  "自立",
  "防止",
  "見守り",
  "訪問",
  "給付",
  "手当",
  "認知症",
  "母子",
  "妊婦",
  "居場所",
  "学習",
  "食育",
  "権利擁護",
  "成年後見",
  "ヤングケアラー",
  "フードバンク",
  "民生委員",
  "生活困窮",
  "住宅確保",
  "医療的ケア",
  "放課後",
  "児童館",
  "在宅医療",
  "一時預かり",
  "養育",
  "ひきこもり",
  "自殺対策",
  "依存症",
  "発達障がい",
  "特定妊婦",
  "産後ケア",
  "家庭訪問",
] as const;
const fillerKanji =
  "安井円王音火花貝学気九休玉金空月犬見五口校左三山子四糸字耳七車手十出女小上森人水正生青夕石赤千川先早草足村大男竹中虫町天田土二日入年白八百文木本名目立力林六";
const kinds = ["事業", "経費", "推進事業", "支援事業", "給付事業", "運営事業"];
const phrases = ["を実施した。", "の相談に応じた。", "を行った。", "のため訪問した。", "の充実を図った。", "に取り組んだ。"];

export interface SyntheticOptions {
  projects: number;
  municipalities?: number;
  departmentsPerMunicipality?: number;
  /** Usage figures (利用実績) per project, for nested pages (default none). */
  usagePerProject?: number;
  /** Rows per INSERT statement (memory stays flat whatever the total). */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

const textArray = (values: readonly string[]) => sql`array[${sql.join(values.map((v) => sql.lit(v)))}]::text[]`;

/**
 * Fills an empty, migrated database. Indexes on project are dropped during the load and
 * rebuilt from their own definitions afterwards (faster than maintaining them row by row),
 * then the tables are analyzed.
 */
export async function generateSyntheticProjects(db: Kysely<Database>, options: SyntheticOptions): Promise<void> {
  const municipalities = options.municipalities ?? 3;
  const departments = options.departmentsPerMunicipality ?? 20;
  const batch = options.batchSize ?? 100_000;
  const years = 10;
  await sql`insert into unit (key, name_ja, name_en) values ('CASES', '件', 'cases') on conflict do nothing`.execute(db);
  await sql`insert into fiscal_year (year, era_label) select y, y::text || '年度' from generate_series(2014, 2014 + ${years - 1}) y on conflict do nothing`.execute(
    db,
  );
  await sql`insert into municipality (code, name_ja, name_en, prefecture_ja, prefecture_en)
    select lpad((m * 100)::text, 5, '0') || '0', '合成市' || m, 'Synthetic City ' || m, '合成県', 'Synthetic Prefecture'
    from generate_series(1, ${municipalities}) m`.execute(db);
  await sql`insert into source_document (municipality_code, key, title_ja, title_en, fiscal_year, page_count, content_sha256)
    select m.code, 'synthetic-' || y, y || '年度 合成報告', 'Synthetic report ' || y, y, 100, 'synthetic'
    from municipality m cross join generate_series(2014, 2014 + ${years - 1}) y`.execute(db);
  await sql`insert into department (municipality_code, key, name_ja, name_en, sort_order)
    select m.code, 'department-' || d, (${textArray(syntheticWords)})[1 + d % ${syntheticWords.length}] || '課' || d, 'Department ' || d, d
    from municipality m cross join generate_series(1, ${departments}) d`.execute(db);
  await sql`insert into beneficiary_group (municipality_code, key, name_ja, name_en)
    select m.code, 'group-' || g, (${textArray(syntheticWords)})[g] || '世帯', 'Group ' || g
    from municipality m cross join generate_series(1, 10) g`.execute(db);

  const indexes = (
    await sql<{ name: string; definition: string }>`
      select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
      from pg_index where indrelid = 'project'::regclass and not indisprimary and not indisunique`.execute(db)
  ).rows;
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(db);

  // Deterministic "random" numbers from the row number: h(k) is a hash of (g, k).
  const h = (k: number) => sql`(abs(hashint8(g * 31 + ${sql.lit(k)})::bigint) % 1000000)`;
  // Skewed draw: the first words are far more frequent than the last.
  const word = (k: number) => sql`(${textArray(syntheticWords)})[1 + floor(${syntheticWords.length} * power(${h(k)} / 1000000.0, 4))::int]`;
  const kanji = (k: number) => sql`substr(${fillerKanji}, 1 + (${h(k)} % ${[...fillerKanji].length})::int, 1)`;
  const filler = (from: number, count: number) =>
    sql.join(
      Array.from({ length: count }, (_, i) => kanji(from + i)),
      sql` || `,
    );
  for (let start = 1; start <= options.projects; start += batch) {
    const end = Math.min(options.projects, start + batch - 1);
    await sql`
      insert into project (municipality_code, document_id, department_id, fiscal_year, key, name_ja, name_en, description_ja,
        amount_thousand_yen, is_new, is_expanded, is_relisted, page, sort_order)
      select d.municipality_code, d.id, dep.id, d.fiscal_year, 'p' || (g / ${years * municipalities}),
        ${word(1)} || ${filler(2, 3)} || (${textArray(kinds)})[1 + (${h(5)} % ${kinds.length})::int],
        'Synthetic project ' || g,
        ${filler(6, 6)} || ${word(12)} || (${textArray(phrases)})[1 + (${h(13)} % ${phrases.length})::int] || ${filler(14, 4)} || ${word(18)} || 'を行った。',
        case when ${h(19)} % 10 = 0 then null else ${h(20)} * 50 end,
        ${h(21)} % 17 = 0, ${h(22)} % 13 = 0, ${h(23)} % 41 = 0, 1, g
      from generate_series(${start}::bigint, ${end}::bigint) g
      join source_document d on d.municipality_code = lpad((1 + g % ${municipalities}) * 100 || '', 5, '0') || '0'
        and d.fiscal_year = 2014 + (g / ${municipalities}) % ${years}
      join department dep on dep.municipality_code = d.municipality_code and dep.sort_order = 1 + (g / ${municipalities * years}) % ${departments}`.execute(db);
    options.onProgress?.(end, options.projects);
  }
  for (const index of indexes) await sql.raw(index.definition).execute(db);
  const usage = options.usagePerProject ?? 0;
  if (usage > 0) {
    await sql`insert into usage_figure (municipality_code, project_id, metric, label_ja, label_en, value, unit, fiscal_year, document_id, page, sort_order)
      select p.municipality_code, p.id, 'metric-' || k, (${textArray(syntheticWords)})[k] || '件数', 'Metric ' || k,
        (abs(hashint8(p.id * 31 + k)::bigint) % 100000)::numeric / 10, 'CASES', p.fiscal_year, p.document_id, 1, k
      from project p cross join generate_series(1, ${usage}) k`.execute(db);
  }
  await sql`analyze`.execute(db);
}
