import type { ReactNode } from "react";

/** A titled card, the dashboard's one container. */
export function Panel({
  title,
  aside,
  children,
  className = "",
}: {
  title: string;
  aside?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-label={title}
      className={`min-w-0 rounded-2xl border border-slate-200 bg-white shadow-sm ${className}`}
    >
      <header className="flex items-center gap-2 border-b border-slate-100 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-700">{title}</h2>
        {aside && <div className="ml-auto text-xs text-slate-500">{aside}</div>}
      </header>
      {children}
    </section>
  );
}

/** Every cell's padding: tighter on a phone, so that short tables fit without scrolling. */
export const cell = "px-3 py-2 sm:px-4";

/**
 * A table that scrolls sideways on a phone rather than squeezing its columns. `stacked` turns it
 * into a list on a phone instead: the rows lay out their own cells (`max-sm:` classes) and the
 * header row is left to screen readers.
 */
export function Table({
  head,
  stacked = false,
  children,
}: {
  head: string[];
  stacked?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto">
      <table className={`w-full text-left text-sm ${stacked ? "max-sm:block" : ""}`}>
        <thead className={`text-xs text-slate-500 ${stacked ? "max-sm:sr-only" : ""}`}>
          <tr>
            {head.map((label) => (
              <th key={label} scope="col" className={`${cell} font-medium whitespace-nowrap`}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={`divide-y divide-slate-100 ${stacked ? "max-sm:block" : ""}`}>
          {children}
        </tbody>
      </table>
    </div>
  );
}

export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="px-4 py-6 text-center text-slate-500">
        {children}
      </td>
    </tr>
  );
}
