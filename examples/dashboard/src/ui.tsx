// Pieces every page uses: the loading and error states, amounts, flags and the pager.
import { type ReactNode, useState } from "react";
import { classifyError, type QueryState } from "./api.ts";
import { formatInteger } from "./format.ts";
import { useLanguage } from "./i18n.ts";

/** Renders `children(data)` once loaded; until then a status line, or an alert with a retry button. */
export function Loaded<T>({ query, children }: { query: QueryState<T> & { retry(): void }; children: (data: T) => ReactNode }) {
  const { t } = useLanguage();
  if (query.status === "loading") {
    return (
      <p className="status" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> {t.loading}
      </p>
    );
  }
  if (query.status === "error") {
    const { kind, detail } = classifyError(query.error);
    const heading = kind === "api-down" ? t.apiDown : kind === "api-error" ? t.apiError : t.unexpected;
    return (
      <div className="error" role="alert" data-error-kind={kind}>
        <p className="error-heading">
          {/* `…` in a message marks a command. */}
          {heading.split("`").map((part, index) => (index % 2 ? <code key={part}>{part}</code> : part))}
        </p>
        <p className="error-detail">
          <code>{detail}</code>
        </p>
        <button type="button" onClick={query.retry}>
          {t.retry}
        </button>
      </div>
    );
  }
  return <>{children(query.data)}</>;
}

/** Thousand yen as printed in the report; null (ー) when the report shows no amount. */
export function ThousandYen({ value }: { value: string | null | undefined }) {
  const { t, language } = useLanguage();
  if (value == null) return <span className="muted">{t.noAmount}</span>;
  return <>{formatInteger(value, language)}</>;
}

export function Flags({ flags }: { flags: readonly string[] }) {
  const { t } = useLanguage();
  return (
    <>
      {flags.map((flag) => (
        <span key={flag} className={`flag flag-${flag.toLowerCase()}`}>
          {t.flagNames[flag] ?? flag}
        </span>
      ))}
    </>
  );
}

/**
 * Pages of a connection read forward with `after`; going back reuses the cursors already seen.
 * Starts over at page 1 whenever `resetKey` changes (another department, another search).
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState({ resetKey, cursors: [null] as Array<string | null>, index: 0 });
  const current = state.resetKey === resetKey ? state : { resetKey, cursors: [null], index: 0 };
  return {
    index: current.index,
    after: current.cursors[current.index] ?? null,
    next: (endCursor: string) => setState({ resetKey, cursors: [...current.cursors.slice(0, current.index + 1), endCursor], index: current.index + 1 }),
    previous: () => setState({ ...current, index: Math.max(0, current.index - 1) }),
  };
}

export function Pager({
  pages,
  pageSize,
  shown,
  total,
  pageInfo,
}: {
  pages: ReturnType<typeof useCursorPages>;
  pageSize: number;
  shown: number;
  total: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}) {
  const { t } = useLanguage();
  if (total <= pageSize) return null;
  const from = pages.index * pageSize + 1;
  const to = pages.index * pageSize + shown;
  const { endCursor } = pageInfo;
  return (
    <nav className="pager" aria-label={t.pagination}>
      <button type="button" disabled={pages.index === 0} onClick={pages.previous}>
        ← {t.previous}
      </button>
      <span aria-live="polite">{t.showing(from, to, total)}</span>
      <button type="button" disabled={!pageInfo.hasNextPage || !endCursor} onClick={() => endCursor && pages.next(endCursor)}>
        {t.next} →
      </button>
    </nav>
  );
}
