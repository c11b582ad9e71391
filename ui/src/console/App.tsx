import { useEffect } from 'react';
import { Toaster } from '@/components/ui/toaster';
import { HqZone } from './components/HqZone';
import { BranchPage } from './features/branch/BranchPage';
import { BranchesPage } from './features/branches/BranchesPage';
import { ListsPage } from './features/lists/ListsPage';
import { OverviewPage } from './features/overview/OverviewPage';
import { useI18n } from './i18n';
import { Layout } from './Layout';
import { useRoute } from './router';
import { SessionGate } from './session/SessionGate';

function Screen() {
  const route = useRoute();
  const { m } = useI18n();
  const nav = route.screen === 'branch' ? 'overview' : route.screen;
  useEffect(() => {
    document.title = `${route.screen === 'branch' ? m.branch.title : m.nav[route.screen]} · ${m.appName}`;
  }, [route.screen, m]);
  return (
    <Layout current={nav}>
      {route.screen === 'branch' ? <BranchPage id={route.id} key={route.id} /> : null}
      {route.screen === 'overview' ? <OverviewPage /> : null}
      {route.screen === 'branches' ? <BranchesPage /> : null}
      {route.screen === 'lists' ? <ListsPage /> : null}
    </Layout>
  );
}

/** The HQ console: the sign-in screen, then one screen inside the layout. */
export function ConsoleApp() {
  const { m, lang } = useI18n();
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <>
      <SessionGate>
        <HqZone>
          <Screen />
        </HqZone>
      </SessionGate>
      <Toaster closeLabel={m.common.close} />
    </>
  );
}
