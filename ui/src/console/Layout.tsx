import {
  BookOpenText,
  Building2,
  History,
  LayoutDashboard,
  ListChecks,
  LogOut,
  Menu as MenuIcon,
  Users,
  X,
} from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import { usePath } from '@/lib/router';
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

/** The id of the part of the header the Menu button shows and hides. */
const MENU_ID = 'console-menu';

/** The screens the role may open: a column in the opened menu, a row in a wide header. */
function NavBar({ current, onNavigate }: { current: ScreenKey; onNavigate: () => void }) {
  const { m } = useI18n();
  const { role } = useUser();
  return (
    <nav aria-label={m.nav.label} className="flex flex-col gap-1 xl:shrink-0 xl:flex-row">
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
                onNavigate();
              }}
              className={cn(
                'flex min-h-11 items-center gap-2 whitespace-nowrap rounded-md px-3 text-sm font-medium hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring xl:min-h-10',
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
    <div className="flex min-w-0 flex-wrap items-center gap-3 xl:flex-nowrap">
      <span className="flex min-w-0 items-center gap-2 text-sm" data-testid="user">
        <span className="min-w-0 max-w-56 truncate" title={user.email}>
          {user.email}
        </span>
        <Badge variant="secondary" data-testid="role">
          {m.roles[user.role]}
        </Badge>
      </span>
      <LanguageSwitch labelClassName="xl:sr-only" />
      <Button variant="outline" size="sm" onClick={() => logout.mutate()} disabled={logout.isPending}>
        <LogOut aria-hidden />
        {m.header.signOut}
      </Button>
    </div>
  );
}

/**
 * The frame of every console screen: a header with the navigation and the user. A wide screen
 * (1280 px and up) shows both in the header's one row; a narrower one (a tablet, upright or
 * sideways) folds them under a Menu button, which opens them below the header's row. The menu
 * closes on a choice, on Escape (the focus back on the button), and on a press outside it.
 */
export function Layout({ current, children }: { current: ScreenKey; children: ReactNode }) {
  const { m } = useI18n();
  const path = usePath();
  // The menu belongs to the screen it was opened on: going elsewhere closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === path;
  const header = useRef<HTMLElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (e.target instanceof Node && !header.current?.contains(e.target)) setOpenOn(null);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const close = () => {
    if (!open) return;
    setOpenOn(null);
    button.current?.focus();
  };

  return (
    <div className="flex min-h-screen flex-col">
      <header
        ref={header}
        className="sticky top-0 z-10 border-b bg-background px-4 py-2"
        onKeyDown={(e) => {
          if (e.key === 'Escape') close();
        }}
      >
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 xl:flex-nowrap">
          <div className="flex shrink-0 items-center gap-2">
            <BookOpenText className="size-6 text-primary" aria-hidden />
            <div>
              <div className="font-semibold leading-tight">{m.appName}</div>
              <div className="text-xs text-muted-foreground">{m.appTagline}</div>
            </div>
          </div>
          <Button
            ref={button}
            variant="outline"
            className="ml-auto xl:hidden"
            aria-expanded={open}
            aria-controls={MENU_ID}
            onClick={() => setOpenOn(open ? null : path)}
          >
            {open ? <X aria-hidden /> : <MenuIcon aria-hidden />}
            {m.nav.menu}
          </Button>
          <div
            id={MENU_ID}
            className={cn(
              'basis-full flex-col gap-3 border-t pb-1 pt-3',
              'xl:flex xl:min-w-0 xl:flex-1 xl:basis-auto xl:flex-row xl:items-center xl:justify-between xl:gap-4 xl:border-0 xl:p-0',
              open ? 'flex' : 'hidden',
            )}
          >
            <NavBar current={current} onNavigate={close} />
            <UserBox />
          </div>
        </div>
      </header>
      <main className="mx-auto flex w-full max-w-7xl min-w-0 flex-1 flex-col gap-4 p-4 lg:p-6">{children}</main>
    </div>
  );
}
