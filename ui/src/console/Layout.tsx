import { BookOpenText, Building2, History, LayoutDashboard, ListChecks, LogOut, Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import { useI18n } from './i18n';
import { navigate, screens, type ScreenKey } from './router';
import { mayOpen } from './session/roles';
import { useUser } from './session/SessionGate';
import { useLogout } from './session/useSession';
import { IdCard } from 'lucide-react';

const icons = {
  overview: LayoutDashboard,
  branches: Building2,
  staff: IdCard,
  lists: ListChecks,
  users: Users,
  audit: History,
};

function NavBar({ current }: { current: ScreenKey }) {
  const { m } = useI18n();
  const { role } = useUser();
  return (
    <nav aria-label={m.nav.label} className="flex flex-wrap gap-1">
      {screens
        .filter((s) => mayOpen(s.key, role))
        .map((s) => {
          const Icon = icons[s.key];
          const active = s.key === current;
          return (
            <a
              key={s.key}
              href={s.path}
              aria-current={active ? 'page' : undefined}
              onClick={(e) => {
                if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
                e.preventDefault();
                navigate(s.path);
              }}
              className={cn(
                'flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                active && 'bg-primary text-primary-foreground hover:bg-primary/90',
              )}
            >
              <Icon className="size-4" aria-hidden />
              {m.nav[s.key]}
            </a>
          );
        })}
    </nav>
  );
}

/** Who is signed in (email and role), the language and signing out. */
function UserBox() {
  const { m } = useI18n();
  const user = useUser();
  const logout = useLogout();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <span className="flex items-center gap-2 text-sm" data-testid="user">
        <span className="max-w-56 truncate" title={user.email}>
          {user.email}
        </span>
        <Badge variant="secondary" data-testid="role">
          {m.roles[user.role]}
        </Badge>
      </span>
      <LanguageSwitch />
      <Button variant="outline" size="sm" onClick={() => logout.mutate()} disabled={logout.isPending}>
        <LogOut aria-hidden />
        {m.header.signOut}
      </Button>
    </div>
  );
}

/** The frame of every console screen: a header with the navigation and the user. */
export function Layout({ current, children }: { current: ScreenKey; children: ReactNode }) {
  const { m } = useI18n();
  return (
    <div className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-10 flex flex-wrap items-center justify-between gap-3 border-b bg-background px-4 py-2">
        <div className="flex flex-wrap items-center gap-4">
          <div className="flex items-center gap-2">
            <BookOpenText className="size-6 text-primary" aria-hidden />
            <div>
              <div className="font-semibold leading-tight">{m.appName}</div>
              <div className="text-xs text-muted-foreground">{m.appTagline}</div>
            </div>
          </div>
          <NavBar current={current} />
        </div>
        <UserBox />
      </header>
      <main className="mx-auto flex w-full max-w-7xl min-w-0 flex-1 flex-col gap-4 p-4 lg:p-6">{children}</main>
    </div>
  );
}
