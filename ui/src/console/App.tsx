import { useEffect, type ComponentType, type ReactNode } from 'react';
import { Toaster } from '@/components/ui/toaster';
import { HqZone } from './components/HqZone';
import { NotAllowed } from './components/NotAllowed';
import { AuditPage } from './features/audit/AuditPage';
import { BranchPage } from './features/branch/BranchPage';
import { BranchesPage } from './features/branches/BranchesPage';
import { ListsPage } from './features/lists/ListsPage';
import { OverviewPage } from './features/overview/OverviewPage';
import { StaffPage } from './features/staff/StaffPage';
import { UsersPage } from './features/users/UsersPage';
import { useI18n } from './i18n';
import { Layout } from './Layout';
import { useRoute, type ScreenKey } from './router';
import { mayOpen } from './session/roles';
import { SessionGate, useUser } from './session/SessionGate';

const pages: Record<ScreenKey, ComponentType> = {
  overview: OverviewPage,
  branches: BranchesPage,
  staff: StaffPage,
  lists: ListsPage,
  users: UsersPage,
  audit: AuditPage,
};

function Screen() {
  const route = useRoute();
  const { m } = useI18n();
  const { role } = useUser();
  const nav = route.screen === 'branch' ? 'overview' : route.screen;
  useEffect(() => {
    document.title = `${route.screen === 'branch' ? m.branch.title : m.nav[route.screen]} · ${m.appName}`;
  }, [route.screen, m]);
  let page: ReactNode;
  if (route.screen === 'branch') page = <BranchPage id={route.id} key={route.id} />;
  else if (!mayOpen(route.screen, role)) page = <NotAllowed />;
  else {
    const Page = pages[route.screen];
    page = <Page />;
  }
  return <Layout current={nav}>{page}</Layout>;
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
