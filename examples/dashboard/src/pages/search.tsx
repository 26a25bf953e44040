// Japanese full-text search: `search(query)` matches 2-character words, kana and half-width
// variants alike (ﾍﾟｱﾚﾝﾄ finds ペアレント).
import { client, useQuery } from "../api.ts";
import { links } from "../app.tsx";
import { useLanguage } from "../i18n.ts";
import { Loaded, Pager, ThousandYen, useCursorPages } from "../ui.tsx";

const pageSize = 10;

export function SearchPage({ query }: { query: string }) {
  const { t, pick } = useLanguage();
  const pages = useCursorPages(query);
  const results = useQuery(`search:${query}:${pages.after}`, (signal) => client.search({ query, first: pageSize, after: pages.after }, { signal }));
  return (
    <>
      <nav aria-label={t.breadcrumb} className="breadcrumb">
        <a href={links.overview()}>{t.home}</a> ›
      </nav>
      <h1>{t.searchResults(query)}</h1>
      <Loaded query={results}>
        {({ search }) =>
          search.totalCount === 0 ? (
            <p>{t.noResults}</p>
          ) : (
            <>
              <div className="table-scroll">
                <table>
                  <caption>{t.searchResults(query)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.name}</th>
                      <th scope="col">{t.kind}</th>
                      <th scope="col">{t.fiscalYear}</th>
                      <th scope="col" className="number">
                        {t.amountThousandYen}
                      </th>
                      <th scope="col">{t.snippet}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {search.nodes.map(({ node, snippet }) => {
                      const name = "name" in node ? pick(node.name, node.nameEn) : node.id;
                      const href =
                        node.__typename === "Project" ? links.project(node.id) : node.__typename === "Department" ? links.department(node.id) : undefined;
                      return (
                        <tr key={node.id}>
                          <th scope="row">{href ? <a href={href}>{name}</a> : name}</th>
                          <td>{t.kinds[node.__typename] ?? node.__typename}</td>
                          <td>{node.__typename === "Project" ? node.fiscalYear.year : ""}</td>
                          <td className="number">{node.__typename === "Project" ? <ThousandYen value={node.amountThousandYen} /> : ""}</td>
                          <td className="snippet" lang="ja">
                            {snippet}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <Pager pages={pages} pageSize={pageSize} shown={search.nodes.length} total={search.totalCount} pageInfo={search.pageInfo} />
            </>
          )
        }
      </Loaded>
    </>
  );
}
