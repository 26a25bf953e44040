// Per-request context: the database and the batched loaders every relation goes through.
import DataLoader from "dataloader";
import type { Kysely } from "kysely";
import { documentsByKey, fiscalYearsByYear, municipalitiesByCode, unitsByKey, wardsByKey } from "../data/catalog.ts";
import { beneficiaryGroupsByKey, departmentsByKey } from "../data/departments.ts";
import { beneficiaryCountsByKey, usageFiguresByKey } from "../data/figures.ts";
import type { Page, PageArgs } from "../data/pagination.ts";
import { projectsByKey } from "../data/projects.ts";
import type { Database } from "../db/types.ts";

export type PageBatch<T, A extends PageArgs = PageArgs> = (keys: readonly string[], args: A) => Promise<Page<T>[]>;

function entityLoader<K, V>(batch: (keys: readonly K[]) => Promise<Array<V | undefined>>) {
  return new DataLoader<K, V | undefined>(batch, { maxBatchSize: 1000 });
}

export function createLoaders(db: Kysely<Database>) {
  const pageLoaders = new Map<string, DataLoader<string, Page<unknown>>>();
  const keyedLoaders = new Map<string, DataLoader<string, unknown>>();
  return {
    municipality: entityLoader((codes: readonly string[]) => municipalitiesByCode(db, codes)),
    fiscalYear: entityLoader((years: readonly number[]) => fiscalYearsByYear(db, years)),
    unit: entityLoader((keys: readonly string[]) => unitsByKey(db, keys)),
    ward: entityLoader((keys: readonly string[]) => wardsByKey(db, keys)),
    document: entityLoader((keys: readonly string[]) => documentsByKey(db, keys)),
    department: entityLoader((keys: readonly string[]) => departmentsByKey(db, keys)),
    beneficiaryGroup: entityLoader((keys: readonly string[]) => beneficiaryGroupsByKey(db, keys)),
    project: entityLoader((keys: readonly string[]) => projectsByKey(db, keys)),
    beneficiaryCount: entityLoader((keys: readonly string[]) => beneficiaryCountsByKey(db, keys)),
    usageFigure: entityLoader((keys: readonly string[]) => usageFiguresByKey(db, keys)),
    /**
     * One loader per relation and argument set: every parent asking for the same page of the
     * same relation shares one SQL statement.
     */
    /**
     * One loader per computation and argument set, for per-parent results that are not pages
     * (aggregates, series): every parent asking shares one SQL statement.
     */
    keyed<V>(id: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
      let loader = keyedLoaders.get(id);
      if (!loader) {
        loader = new DataLoader<string, unknown>(batch, { maxBatchSize: 1000 });
        keyedLoaders.set(id, loader);
      }
      return loader as DataLoader<string, V>;
    },
    page<T, A extends PageArgs>(relation: string, args: A, batch: PageBatch<T, A>): DataLoader<string, Page<T>> {
      const id = `${relation}:${JSON.stringify(args)}`;
      let loader = pageLoaders.get(id);
      if (!loader) {
        loader = new DataLoader<string, Page<unknown>>((keys) => batch(keys, args), { maxBatchSize: 1000 });
        pageLoaders.set(id, loader);
      }
      return loader as DataLoader<string, Page<T>>;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export interface Context {
  db: Kysely<Database>;
  loaders: Loaders;
}

export function createContext(db: Kysely<Database>): Context {
  return { db, loaders: createLoaders(db) };
}
