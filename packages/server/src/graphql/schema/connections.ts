// Shared shapes: a connection resolved through a per-relation page loader.
import type { Page, PageArgs } from "../../data/pagination.ts";
import type { Context, PageBatch } from "../context.ts";

/** Connection args without nulls, so equal requests share one loader. */
export function pageArgs(args: PageArgs): PageArgs {
  return {
    first: args.first ?? undefined,
    last: args.last ?? undefined,
    after: args.after ?? undefined,
    before: args.before ?? undefined,
  };
}

export function loadPage<T>(context: Context, relation: string, parentKey: string, args: PageArgs, batch: PageBatch<T>): Promise<Page<T>> {
  return context.loaders.page(relation, pageArgs(args), batch).load(parentKey);
}

/** Loads many by key, a missing one as null (a DataLoader's loadMany would return Errors). */
export function loadAll<K, V>(loader: { load(key: K): Promise<V | undefined> }, keys: readonly K[]): Promise<Array<V | null>> {
  return Promise.all(keys.map(async (key) => (await loader.load(key)) ?? null));
}
