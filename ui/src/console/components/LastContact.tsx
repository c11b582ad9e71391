import { formatNumericDateTime, timeSince } from '@/lib/time';
import { fill, useI18n } from '../i18n';

/** "2 jam lalu" (or "baru saja", "belum pernah"), the exact time on hover and for readers. */
export function useAgoText() {
  const { m } = useI18n();
  return (iso: string | null, now = new Date()) => {
    if (!iso) return m.ago.never;
    const since = timeSince(iso, now);
    return since.unit === 'now' ? m.ago.now : fill(m.ago[since.unit], { n: since.count });
  };
}

/** When a branch last talked to HQ, relative, with the absolute time as its title. */
export function LastContact({ at, prefix }: { at: string | null; prefix?: boolean }) {
  const { m, locale } = useI18n();
  const ago = useAgoText()(at);
  const text = prefix && at ? fill(m.ago.asOf, { ago }) : ago;
  if (!at) return <span className="text-muted-foreground">{text}</span>;
  const exact = formatNumericDateTime(at, locale);
  return (
    <time dateTime={at} title={exact} className="whitespace-nowrap">
      {text}
      <span className="sr-only"> ({exact})</span>
    </time>
  );
}
