import { type Kysely, sql } from "kysely";

// One number that changes whenever the data changes, so HTTP and response caches can key on it
// (never serving an answer computed before an import). Statement-level triggers on every data
// table bump it, whoever writes (the importer, psql, a restore); the first statement of each
// transaction bumps it once, later ones of the same transaction find it already bumped.
// A later migration that adds a data table calls track_data_changes('<table>') for it; the
// server also folds the latest migration's name into the version, so every migration counts.

const dataTables = [
  "unit",
  "fiscal_year",
  "municipality",
  "ward",
  "source_document",
  "department",
  "beneficiary_group",
  "project",
  "beneficiary_count",
  "usage_figure",
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table data_version (
      singleton boolean primary key default true check (singleton),
      version bigint not null,
      changed_at timestamptz not null default now(),
      changed_by_transaction xid8
    )`.execute(db);
  await sql`insert into data_version (version) values (1)`.execute(db);

  await sql`
    create function bump_data_version() returns trigger
    language plpgsql as $$
    begin
      update data_version
        set version = version + 1, changed_at = now(), changed_by_transaction = pg_current_xact_id()
        where changed_by_transaction is distinct from pg_current_xact_id();
      return null;
    end
    $$`.execute(db);

  await sql`
    create function track_data_changes(target regclass) returns void
    language plpgsql as $$
    begin
      execute format('create trigger %I after insert or update or delete on %s for each statement execute function bump_data_version()', 'data_version_on_write', target);
      execute format('create trigger %I after truncate on %s for each statement execute function bump_data_version()', 'data_version_on_truncate', target);
    end
    $$`.execute(db);

  for (const table of dataTables) await sql`select track_data_changes(${table}::regclass)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of dataTables) {
    await sql`drop trigger if exists data_version_on_write on ${sql.table(table)}`.execute(db);
    await sql`drop trigger if exists data_version_on_truncate on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function track_data_changes(regclass)`.execute(db);
  await sql`drop function bump_data_version()`.execute(db);
  await sql`drop table data_version`.execute(db);
}
