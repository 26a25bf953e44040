// One project: `project(id)` brings its beneficiaries (受益者), usage figures (利用実績), line
// items and source; `projectSeries(id)` its spending in every fiscal year of its series.
import { client, useQuery } from "../api.ts";
import { links } from "../app.tsx";
import { formatDecimal, formatInteger, formatRatio } from "../format.ts";
import { useLanguage } from "../i18n.ts";
import { Flags, Loaded, ThousandYen } from "../ui.tsx";

interface Figure {
  id: string;
  label: string;
  labelEn?: string | null;
  category?: string | null;
  categoryEn?: string | null;
  value: string;
  unitName: string;
  unitNameEn: string;
  asOf?: string | null;
  /** A total the report states (合計) of the figures beside it. */
  isTotal: boolean;
  ward?: { name: string; nameEn: string } | null;
  group?: { name: string; nameEn: string } | null;
}

export function ProjectPage({ id }: { id: string }) {
  const { t, language, pick } = useLanguage();
  const details = useQuery(`project:${id}`, (signal) => client.project({ id }, { signal }));
  const series = useQuery(`project-series:${id}`, (signal) => client.projectSeries({ id }, { signal }));
  return (
    <Loaded query={details}>
      {({ project }) =>
        !project ? (
          <h1>{t.notFound}</h1>
        ) : (
          <>
            <nav aria-label={t.breadcrumb} className="breadcrumb">
              <a href={links.overview()}>{t.home}</a> ›{" "}
              <a href={links.department(project.department.id)}>{pick(project.department.name, project.department.nameEn)}</a> ›
            </nav>
            <h1>{pick(project.name, project.nameEn)}</h1>
            <dl className="facts">
              <dt>{t.amountThousandYen}</dt>
              <dd data-testid="project-amount">
                <ThousandYen value={project.amountThousandYen} />
                {project.amountNote ? ` (${project.amountNote})` : ""}
              </dd>
              <dt>{t.amountYen}</dt>
              <dd>{project.amountYen == null ? "—" : formatInteger(project.amountYen, language)}</dd>
              {project.flags.length > 0 && (
                <>
                  <dt>{t.flags}</dt>
                  <dd>
                    <Flags flags={project.flags} />
                  </dd>
                </>
              )}
              <dt>{t.sourcePage}</dt>
              <dd>
                {project.source.document.title}, {t.page(project.source.page)}
              </dd>
            </dl>
            {(project.description || project.descriptionEn) && (
              <section>
                <h2>{t.description}</h2>
                <p className="description">{pick(project.description ?? "", project.descriptionEn)}</p>
              </section>
            )}
            {project.lineItems.nodes.length > 0 && (
              <section>
                <h2>{t.lineItems}</h2>
                <div className="table-scroll">
                  <table>
                    <caption>{t.lineItems}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t.project}</th>
                        <th scope="col" className="number">
                          {t.amountThousandYen}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {project.lineItems.nodes.map((item) => (
                        <tr key={item.id}>
                          <th scope="row">
                            <a href={links.project(item.id)}>{pick(item.name, item.nameEn)}</a>
                          </th>
                          <td className="number">
                            <ThousandYen value={item.amountThousandYen} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            )}
            <FigureTable title={t.beneficiaries} figures={project.beneficiaries.nodes} withGroup />
            <FigureTable title={t.usage} figures={project.usage.nodes} />
            <section>
              <h2>{t.series}</h2>
              <Loaded query={series}>
                {({ project: withSeries }) => {
                  const points = withSeries?.series ?? [];
                  return (
                    <>
                      {points.length < 2 && <p className="muted">{t.seriesOnlyOneYear}</p>}
                      <div className="table-scroll">
                        <table>
                          <caption>{t.series}</caption>
                          <thead>
                            <tr>
                              <th scope="col">{t.fiscalYear}</th>
                              <th scope="col" className="number">
                                {t.amountThousandYen}
                              </th>
                              <th scope="col" className="number">
                                {t.change}
                              </th>
                            </tr>
                          </thead>
                          <tbody>
                            {points.map((point) => (
                              <tr key={point.fiscalYear.year}>
                                <th scope="row">
                                  {point.fiscalYear.year} ({point.fiscalYear.eraLabel})
                                </th>
                                <td className="number">
                                  <ThousandYen value={point.amountThousandYen} />
                                </td>
                                <td className="number">
                                  {point.changeThousandYen == null
                                    ? "—"
                                    : `${point.changeThousandYen.startsWith("-") ? "" : "+"}${formatInteger(point.changeThousandYen, language)}${point.changeRatio == null ? "" : ` (${formatRatio(point.changeRatio, language)})`}`}
                                </td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                    </>
                  );
                }}
              </Loaded>
            </section>
          </>
        )
      }
    </Loaded>
  );
}

function FigureTable({ title, figures, withGroup = false }: { title: string; figures: readonly Figure[]; withGroup?: boolean }) {
  const { t, language, pick } = useLanguage();
  return (
    <section>
      <h2>{title}</h2>
      {figures.length === 0 ? (
        <p className="muted">{t.none}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t.label}</th>
                {withGroup && <th scope="col">{t.group}</th>}
                <th scope="col" className="number">
                  {t.value}
                </th>
                <th scope="col">{t.unit}</th>
                <th scope="col">{t.ward}</th>
                <th scope="col">{t.asOf}</th>
              </tr>
            </thead>
            <tbody>
              {figures.map((figure) => (
                <tr key={figure.id} className={figure.isTotal ? "stated-total" : undefined}>
                  <th scope="row">
                    {figure.category ? `${pick(figure.category, figure.categoryEn)} / ` : ""}
                    {pick(figure.label, figure.labelEn)}
                  </th>
                  {withGroup && <td>{figure.group ? pick(figure.group.name, figure.group.nameEn) : ""}</td>}
                  <td className="number">{formatDecimal(figure.value, language)}</td>
                  <td>{pick(figure.unitName, figure.unitNameEn)}</td>
                  <td>{figure.ward ? pick(figure.ward.name, figure.ward.nameEn) : t.wholeCity}</td>
                  <td>{figure.asOf ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
