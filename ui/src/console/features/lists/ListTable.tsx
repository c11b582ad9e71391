import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';

/** The frame of the categories' or channels' table. */
export function ListTable({
  caption,
  whatLabel,
  editable,
  children,
}: {
  caption: string;
  whatLabel: string;
  editable: boolean;
  children: ReactNode;
}) {
  const { m } = useI18n();
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
            <th scope="col" className="px-3 py-2 font-medium">
              {m.lists.name}
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              {whatLabel}
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              {m.lists.status}
            </th>
            {editable ? (
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">{m.branches.actions}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
