import { Card, CardContent } from '@/components/ui/card';
import { useI18n } from '@/i18n';
import { EntryForm } from './EntryForm';
import { TodayPanel } from './TodayPanel';

/** Catat Transaksi: the form, with the balance and recent entries beside it. */
export function EntryPage() {
  const { m } = useI18n();
  return (
    <section className="flex flex-col gap-4" aria-labelledby="entry-title">
      <h1 id="entry-title" className="text-2xl font-semibold">
        {m.entry.title}
      </h1>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card>
          <CardContent className="pt-4">
            <EntryForm />
          </CardContent>
        </Card>
        <TodayPanel />
      </div>
    </section>
  );
}
