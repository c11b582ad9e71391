import { BookOpenText, LayoutDashboard, ListOrdered, LockKeyhole, PenLine, RefreshCw, UserRound } from 'lucide-react';
import type { ReactNode } from 'react';
import { ApiDownBanner } from '@/components/ApiDownBanner';
import { SyncBadge } from '@/components/SyncBadge';
import { useSystemStatus } from '@/hooks/useSystemStatus';
import { ApiError } from '@/api/client';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { Button } from '@/components/ui/button';
import { useSession } from '@/lib/session';
import { lockNow } from '@/features/lock/useLock';
import { ShiftBar } from '@/features/shift/ShiftBar';
import { fill, useI18n } from '@/i18n';
import { cn } from '@/lib/cn';
import { navigate, screens, type ScreenKey } from './router';

function isServerDown(error: unknown): boolean {
  return !(error instanceof ApiError) || error.isNetwork || error.status >= 500;
}

const icons = { dashboard: LayoutDashboard, entry: PenLine, history: ListOrdered, sync: RefreshCw };

function NavBar({ current }: { current: ScreenKey }) {
  const { m } = useI18n();
  return (
    <nav aria-label={m.appName} className="flex flex-col gap-1">
      {screens.map((s, i) => {
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
              'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
              active && 'bg-primary text-primary-foreground hover:bg-primary/90',
            )}
          >
            <Icon className="size-4" aria-hidden />
            <span className="flex-1">{m.nav[s.key]}</span>
            <kbd className={cn('text-[10px] opacity-60', active && 'opacity-80')}>
              {fill(m.nav.shortcut, { n: i + 1 })}
            </kbd>
          </a>
        );
      })}
    </nav>
  );
}

/** Who is signed in, with "Kunci" (Alt+L); or, on a PC whose branch has no staff yet, that
 * nobody needs to sign in. */
function WhoIsHere({ staffRequired }: { staffRequired: boolean | undefined }) {
  const { m } = useI18n();
  const session = useSession();
  if (session) {
    return (
      <div className="grid gap-1 rounded-md border p-2 text-sm" data-testid="signed-in">
        <span className="flex items-center gap-2 font-medium">
          <UserRound className="size-4" aria-hidden />
          {session.staff.name}
        </span>
        <span className="text-xs text-muted-foreground">{m.lock.role[session.staff.role]}</span>
        <Button variant="outline" size="sm" onClick={() => void lockNow()} aria-keyshortcuts="Alt+L">
          <LockKeyhole aria-hidden />
          {m.lock.lock}
          <kbd className="text-[10px] opacity-60">Alt+L</kbd>
        </Button>
      </div>
    );
  }
  if (staffRequired === false) {
    return (
      <p
        className="rounded-md border border-dashed p-2 text-[11px] leading-snug text-muted-foreground"
        data-testid="no-staff"
      >
        {m.lock.noStaff}
      </p>
    );
  }
  return null;
}

/** The frame of every screen: navigation, who is signed in, sync badge, language and the
 * API-down banner. */
export function Layout({
  current,
  staffRequired,
  children,
}: {
  current: ScreenKey;
  staffRequired?: boolean;
  children: ReactNode;
}) {
  const { m } = useI18n();
  const status = useSystemStatus();
  // Also after a success: a failed poll keeps the last data, but the server is gone.
  const down = status.isError && isServerDown(status.error);
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 flex h-screen w-56 shrink-0 flex-col gap-6 border-r bg-background p-4">
        <div className="flex items-center gap-2">
          <BookOpenText className="size-6 text-primary" aria-hidden />
          <div>
            <div className="font-semibold leading-tight">{m.appName}</div>
            <div className="text-xs text-muted-foreground">{m.appTagline}</div>
          </div>
        </div>
        <NavBar current={current} />
        <div className="mt-auto flex flex-col gap-3">
          <WhoIsHere staffRequired={staffRequired} />
          <button
            type="button"
            className="self-start rounded focus-visible:ring-2 focus-visible:ring-ring"
            onClick={() => navigate('/sinkronisasi')}
          >
            <SyncBadge status={down ? undefined : status.data} />
          </button>
          <LanguageSwitch />
          <p className="text-[11px] leading-snug text-muted-foreground">
            {m.shortcuts.screens} · {m.shortcuts.save} · {m.shortcuts.close}
          </p>
        </div>
      </aside>
      <main className="flex min-w-0 flex-1 flex-col gap-4 p-6">
        {down ? <ApiDownBanner /> : null}
        <ShiftBar />
        {children}
      </main>
    </div>
  );
}
