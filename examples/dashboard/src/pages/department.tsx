// A department's projects and their line items (内訳), in report order, a page at a time:
// `projects(where: { departmentIds })`; for the heading, the department itself through `node(id)`.
import { client, useQuery } from "../api.ts";
import { links } from "../app.tsx";
import { useLanguage } from "../i18n.ts";
import { Flags, Loaded, Pager, ThousandYen, useCursorPages } from "../ui.tsx";

const pageSize = 10;

export function DepartmentPage({ id, year }: { id: string; year?: number }) {
  const { t, pick } = useLanguage();
  const department = useQuery(`department:${id}`, (signal) => client.node({ id }, { signal }));
  const pages = useCursorPages(`${id}:${year}`);
  const projects = useQuery(`department-projects:${id}:${year}:${pages.after}`, (signal) =>
    client.projects({ first: pageSize, after: pages.after, where: { departmentIds: [id], ...(year ? { fiscalYears: [year] } : {}) } }, { signal }),
  );
  return (
    <>
      <nav aria-label={t.breadcrumb} className="breadcrumb">
        <a href={links.overview(year)}>{t.home}</a> ›
      </nav>
      <Loaded query={department}>{({ node }) => <h1>{node?.__typename === "Department" ? pick(node.name, node.nameEn) : t.notFound}</h1>}</Loaded>
      <Loaded query={projects}>
        {({ projects: page }) => (
          <>
            <p className="total">
              {t.total}: <ThousandYen value={page.aggregate.sum.amountThousandYen} /> {t.thousandYenSuffix}
            </p>
            <div className="table-scroll">
              <table>
                <caption>{year ? `${t.projects} — ${t.fiscalYearName(year, page.nodes[0]?.fiscalYear.eraLabel ?? "")}` : t.projects}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.project}</th>
                    <th scope="col" className="number">
                      {t.amountThousandYen}
                    </th>
                    <th scope="col">{t.flags}</th>
                    <th scope="col" className="number">
                      {t.sourcePage}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.nodes.map((project) => (
                    <tr key={project.id}>
                      <th scope="row">
                        <a href={links.project(project.id)}>{pick(project.name, project.nameEn)}</a>
                        {project.parent && <span className="muted line-item-of"> — {t.lineItemOf(project.parent.name)}</span>}
                      </th>
                      <td className="number">
                        <ThousandYen value={project.amountThousandYen} />
                      </td>
                      <td>
                        <Flags flags={project.flags} />
                      </td>
                      <td className="number">{t.page(project.source.page)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} pageSize={pageSize} shown={page.nodes.length} total={page.totalCount} pageInfo={page.pageInfo} />
          </>
        )}
      </Loaded>
    </>
  );
}
