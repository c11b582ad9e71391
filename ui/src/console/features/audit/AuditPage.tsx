import { Search } from 'lucide-react';
import { useState } from 'react';
import { ApiError } from '@/api/client';
import { Empty, ErrorState, Loading } from '@/components/States';
import { Card, CardContent } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { formatNumericDateTime } from '@/lib/time';
import { NotAllowed } from '../../components/NotAllowed';
import { useAudit } from '../../hooks/useAudit';
import { fill, useI18n } from '../../i18n';
import { actionText, actorText, filterAudit } from './words';

/** Riwayat perubahan (owners only): HQ's latest changes to branches, lists and users, newest
 * first, in HQ's time zone; filtered by who or which item, here in the browser. */
export function AuditPage() {
  const { m, locale } = useI18n();
  const audit = useAudit();
  const [text, setText] = useState('');

  if (audit.error instanceof ApiError && audit.error.status === 403) return <NotAllowed />;
  const shown = audit.data ? filterAudit(m, audit.data, text) : [];
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{m.audit.title}</h1>
        <div className="relative w-full max-w-xs">
          <Search className="absolute left-3 top-3 size-4 text-muted-foreground" aria-hidden />
          <Input
            className="pl-9"
            type="search"
            aria-label={m.audit.filter}
            placeholder={m.audit.filter}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      </div>
      {audit.isPending ? <Loading /> : null}
      {audit.isError ? <ErrorState error={audit.error} onRetry={() => void audit.refetch()} /> : null}
      {audit.data && audit.data.length === 0 ? <Empty>{m.audit.none}</Empty> : null}
      {audit.data && audit.data.length > 0 ? (
        <>
          <p className="text-sm text-muted-foreground" role="status" data-testid="audit-count">
            {fill(m.audit.count, { shown: shown.length, total: audit.data.length })}
          </p>
          {shown.length === 0 ? <Empty>{m.audit.noMatch}</Empty> : null}
          {shown.length > 0 ? (
            <Card>
              <CardContent className="overflow-x-auto p-0">
                <table className="w-full border-collapse text-sm" data-testid="audit-table">
                  <caption className="sr-only">{m.audit.title}</caption>
                  <thead>
                    <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
                      <th scope="col" className="px-3 py-2 font-medium">
                        {m.audit.at}
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        {m.audit.actor}
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        {m.audit.action}
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        {m.audit.target}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((e, i) => (
                      <tr key={`${e.at}-${i}`} className="border-b align-top last:border-0" data-testid="audit-row">
                        <td className="whitespace-nowrap px-3 py-2">
                          <time dateTime={e.at}>{formatNumericDateTime(e.at, locale)}</time>
                        </td>
                        <td className="px-3 py-2">{actorText(m, e.actor)}</td>
                        <td className="px-3 py-2">{actionText(m, e.action)}</td>
                        <td className="px-3 py-2">{e.target ?? m.common.none}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </CardContent>
            </Card>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
