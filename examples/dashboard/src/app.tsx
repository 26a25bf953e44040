// The shell: header (search, language), a hash router (#/departments/<id>, #/projects/<id>,
// #/search?q=…) so that links, the back button and bookmarks work without a server-side router.
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { type Language, LanguageContext, messages } from "./i18n.ts";
import { DepartmentPage } from "./pages/department.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { ProjectPage } from "./pages/project.tsx";
import { SearchPage } from "./pages/search.tsx";

/** `year`: the fiscal year chosen on the overview (the newest when absent). */
type Route =
  | { page: "overview"; year?: number }
  | { page: "department"; id: string; year?: number }
  | { page: "project"; id: string }
  | { page: "search"; query: string };

function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?");
  const [, kind, id] = path.split("/");
  const params = new URLSearchParams(search);
  const year = Number(params.get("year")) || undefined;
  if (kind === "departments" && id) return { page: "department", id: decodeURIComponent(id), year };
  if (kind === "projects" && id) return { page: "project", id: decodeURIComponent(id) };
  if (kind === "search") return { page: "search", query: params.get("q") ?? "" };
  return { page: "overview", year };
}

const yearParameter = (year: number | undefined) => (year ? `?${new URLSearchParams({ year: String(year) })}` : "");

export const links = {
  overview: (year?: number) => `#/${yearParameter(year)}`,
  department: (id: string, year?: number) => `#/departments/${encodeURIComponent(id)}${yearParameter(year)}`,
  project: (id: string) => `#/projects/${encodeURIComponent(id)}`,
  search: (query: string) => `#/search?${new URLSearchParams({ q: query })}`,
};

function useHashRoute(): Route {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return useMemo(() => parseRoute(hash), [hash]);
}

function storedLanguage(): Language {
  return window.localStorage.getItem("language") === "en" ? "en" : "ja";
}

export function App() {
  const route = useHashRoute();
  const [language, setLanguage] = useState<Language>(storedLanguage);
  const t = messages[language];
  const context = useMemo(
    () => ({ language, t, pick: (japanese: string, english: string | null | undefined) => (language === "en" && english ? english : japanese) }),
    [language, t],
  );
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${t.title} — welfare-graph`;
    window.localStorage.setItem("language", language);
  }, [language, t]);

  // Moving to another page moves focus to its content, so that keyboard and screen-reader users
  // follow; the first page keeps the browser's start (the skip link comes first).
  const firstRoute = useRef(route);
  useEffect(() => {
    if (route === firstRoute.current) return;
    document.getElementById("main")?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [route]);

  const searchQuery = route.page === "search" ? route.query : "";
  const [draft, setDraft] = useState(searchQuery);
  useEffect(() => setDraft(searchQuery), [searchQuery]);
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) window.location.hash = links.search(draft.trim());
  };

  return (
    <LanguageContext.Provider value={context}>
      {/* A button, not a link to #main: the hash holds the route. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById("main")?.focus()}>
        {t.skipToContent}
      </button>
      <header className="site-header">
        <div className="brand">
          <a href={links.overview()} className="brand-title">
            {t.title}
          </a>
          <span className="brand-subtitle">{t.subtitle}</span>
        </div>
        <search className="search">
          <form onSubmit={onSearch}>
            <label htmlFor="search-input" className="visually-hidden">
              {t.searchLabel}
            </label>
            <input id="search-input" type="search" value={draft} placeholder={t.searchPlaceholder} onChange={(e) => setDraft(e.target.value)} />
            <button type="submit">{t.searchButton}</button>
          </form>
        </search>
        <fieldset className="language">
          <legend className="visually-hidden">{t.language}</legend>
          {(["ja", "en"] as const).map((option) => (
            <button key={option} type="button" lang={option} aria-pressed={language === option} onClick={() => setLanguage(option)}>
              {option === "ja" ? "日本語" : "English"}
            </button>
          ))}
        </fieldset>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === "overview" && <OverviewPage year={route.year} />}
        {route.page === "department" && <DepartmentPage id={route.id} year={route.year} />}
        {route.page === "project" && <ProjectPage id={route.id} />}
        {route.page === "search" && <SearchPage query={route.query} />}
      </main>
      <footer className="site-footer">
        <a href="/graphql">GraphiQL</a> · @welfare-graph/sdk · React + recharts
      </footer>
    </LanguageContext.Provider>
  );
}
