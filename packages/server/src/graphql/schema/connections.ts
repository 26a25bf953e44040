// Shared shapes: a connection resolved through a per-relation page loader.
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";
import type { Page, PageArgs } from "../../data/pagination.ts";
import { checkListLength, QueryInputError } from "../../data/query-input.ts";
import type { Project } from "../../data/model.ts";
import { type ProjectParent, projectPage, projectPages } from "../../data/projects.ts";
import type { Context, PageBatch } from "../context.ts";
import { parseGlobalId } from "../global-id.ts";
import { type ProjectFilterArgs, type ProjectListScope, projectFilter, projectOrderBy } from "./project-query.ts";

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

/**
 * A page of a project list with its filter and ordering (decoded from the client's `where`
 * and `orderBy`), remembering its scope for the connection's `aggregate`.
 */
export async function loadProjectPage(
  context: Context,
  parent: ProjectParent,
  parentKey: string,
  args: PageArgs & { where?: ProjectFilterArgs | null; orderBy?: Parameters<typeof projectOrderBy>[0] },
  info?: GraphQLResolveInfo,
): Promise<Page<Project> & { scope: ProjectListScope }> {
  const where = projectFilter(args.where);
  const orderBy = projectOrderBy(args.orderBy);
  const relation = `${parent}.projects:${JSON.stringify({ where, orderBy })}`;
  const page =
    parent === "root"
      ? await projectPage(context.db, { ...pageArgs(args), countTotal: info ? selectsField(info, "totalCount") : true }, { where, orderBy })
      : await loadPage(context, relation, parentKey, args, (keys, a) => projectPages(context.db, parent, keys, a, { where, orderBy }));
  return { ...page, scope: { parent, parentKey, where } };
}

/** Whether the client selected `name` on this field's result (through fragments too). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (selectionSet: SelectionSetNode | undefined, seen: Set<string>): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet, seen);
      const fragment = info.fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) return false;
      return visit(fragment.selectionSet, new Set([...seen, fragment.name.value]));
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet, new Set()));
}

/** Loads many by key, a missing one as null (a DataLoader's loadMany would return Errors). */
export function loadAll<K, V>(loader: { load(key: K): Promise<V | undefined> }, keys: readonly K[]): Promise<Array<V | null>> {
  return Promise.all(keys.map(async (key) => (await loader.load(key)) ?? null));
}

/**
 * Row keys from global IDs of one type; a malformed ID or one of another type is a client
 * error naming the argument, never a silent non-match.
 */
export function keysFromGlobalIds(ids: readonly string[] | null | undefined, typename: string, argumentName: string): string[] | undefined {
  if (ids == null) return undefined;
  checkListLength(ids, argumentName);
  return ids.map((id) => {
    const decoded = parseGlobalId(String(id));
    if (!decoded || decoded.typename !== typename) {
      throw new QueryInputError(
        `"${argumentName}" holds "${id}", which is not the global ID of a ${typename}; pass IDs returned in ${typename}.id`,
        argumentName,
      );
    }
    return decoded.id;
  });
}
