// Per-request context: the database and the batched loaders every relation goes through.
import DataLoader from "dataloader";
import type { FieldNode, GraphQLResolveInfo } from "graphql";
import type { Kysely } from "kysely";
import { documentsByKey, fiscalYearsByYear, municipalitiesByCode, unitsByKey, wardsByKey } from "../data/catalog.ts";
import { beneficiaryGroupsByKey, departmentsByKey } from "../data/departments.ts";
import { beneficiaryCountsByKey, usageFiguresByKey } from "../data/figures.ts";
import { projectsByKey } from "../data/projects.ts";
import type { Database } from "../db/types.ts";

function entityLoader<K, V>(batch: (keys: readonly K[]) => Promise<Array<V | undefined>>) {
  return new DataLoader<K, V | undefined>(batch, { maxBatchSize: 1000 });
}

export function createLoaders(db: Kysely<Database>) {
  // One loader per field of the document (and list scope): a field's arguments are the same
  // for every parent within a request, so every parent asking shares one SQL statement.
  const fieldLoaders = new Map<FieldNode, Map<object | undefined, DataLoader<string, unknown>>>();
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
     * The loader of the field being resolved, batching its parents' keys. `scope` separates
     * what the field's own arguments do not decide (the list an aggregate covers).
     */
    forField<V>(info: GraphQLResolveInfo, batch: (keys: readonly string[]) => Promise<V[]>, scope?: object): DataLoader<string, V> {
      const fieldNode = info.fieldNodes[0] as FieldNode;
      let byScope = fieldLoaders.get(fieldNode);
      if (!byScope) {
        byScope = new Map();
        fieldLoaders.set(fieldNode, byScope);
      }
      let loader = byScope.get(scope);
      if (!loader) {
        loader = new DataLoader<string, unknown>(batch, { maxBatchSize: 1000 });
        byScope.set(scope, loader);
      }
      return loader as DataLoader<string, V>;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export interface Context {
  db: Kysely<Database>;
  loaders: Loaders;
  /** Whether root fields load their whole selection in one statement (graphql/plan); else every relation goes through its loader. */
  planned: boolean;
}

export function createContext(db: Kysely<Database>, options: { planned?: boolean } = {}): Context {
  return { db, loaders: createLoaders(db), planned: options.planned ?? true };
}
