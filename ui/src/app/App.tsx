import { useEffect } from 'react';
import { Toaster } from '@/components/ui/toaster';
import { DashboardPage } from '@/features/dashboard/DashboardPage';
import { EntryPage } from '@/features/entry/EntryPage';
import { HistoryPage } from '@/features/history/HistoryPage';
import { SyncPage } from '@/features/sync/SyncPage';
import { useI18n } from '@/i18n';
import { Layout } from './Layout';
import { useScreen } from './router';
import { useScreenShortcuts } from './useShortcuts';

const pages = { dashboard: DashboardPage, entry: EntryPage, history: HistoryPage, sync: SyncPage };

/** The cashier app: one of four screens inside the layout. */
export function App() {
  const screen = useScreen();
  const { m, lang } = useI18n();
  useScreenShortcuts();
  useEffect(() => {
    document.title = `${m.nav[screen]} · ${m.appName}`;
    document.documentElement.lang = lang;
  }, [screen, m, lang]);
  const Page = pages[screen];
  return (
    <>
      <Layout current={screen}>
        <Page />
      </Layout>
      <Toaster closeLabel={m.common.close} />
    </>
  );
}
