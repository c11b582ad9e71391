import { useEffect } from 'react';
import { Toaster } from '@/components/ui/toaster';
import { DashboardPage } from '@/features/dashboard/DashboardPage';
import { EntryPage } from '@/features/entry/EntryPage';
import { HistoryPage } from '@/features/history/HistoryPage';
import { LockScreen } from '@/features/lock/LockScreen';
import { useSession } from '@/lib/session';
import { useIdleLock, useRoster } from '@/features/lock/useLock';
import { SyncPage } from '@/features/sync/SyncPage';
import { useI18n } from '@/i18n';
import { Layout } from './Layout';
import { useScreen } from './router';
import { useScreenShortcuts } from './useShortcuts';

const pages = { dashboard: DashboardPage, entry: EntryPage, history: HistoryPage, sync: SyncPage };

/** The cashier app: the lock screen while the branch has staff and nobody is signed in,
 * otherwise one of four screens inside the layout. */
export function App() {
  const screen = useScreen();
  const { m, lang } = useI18n();
  const roster = useRoster();
  const session = useSession();
  useIdleLock(session?.idleLockMinutes);
  useScreenShortcuts();
  const locked = roster.data?.required === true && session === null;
  useEffect(() => {
    document.title = `${locked ? m.lock.title : m.nav[screen]} · ${m.appName}`;
    document.documentElement.lang = lang;
  }, [screen, m, lang, locked]);
  const Page = pages[screen];
  return (
    <>
      {locked && roster.data ? (
        <LockScreen roster={roster.data} />
      ) : (
        <Layout current={screen} staffRequired={roster.data?.required}>
          <Page />
        </Layout>
      )}
      <Toaster closeLabel={m.common.close} />
    </>
  );
}
