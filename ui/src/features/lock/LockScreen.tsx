import { Delete, Loader2, LockKeyhole, UserRound } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '@/api/client';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { useErrorText } from '@/components/States';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { fill, useI18n } from '@/i18n';
import { cn } from '@/lib/cn';
import type { StaffMember } from '@/lib/session';
import { useSignIn, type Roster } from './useLock';

const PIN_DIGITS = 6;

/** The PIN pad: a password field that takes digits from the keyboard, and large buttons for a
 * touch screen. Six digits sign in at once; Enter also does. */
function PinPad({ member, onBack }: { member: StaffMember; onBack: () => void }) {
  const { m } = useI18n();
  const errorText = useErrorText();
  const signIn = useSignIn();
  const [pin, setPin] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = (value: string) => {
    if (value.length !== PIN_DIGITS || signIn.isPending) return;
    signIn.mutate(
      { staff_id: member.id, pin: value },
      {
        onError: () => {
          setPin('');
          input.current?.focus();
        },
      },
    );
  };
  const type = (next: string) => {
    const digits = next.replace(/\D/g, '').slice(0, PIN_DIGITS);
    setPin(digits);
    if (digits.length === PIN_DIGITS) submit(digits);
  };
  const err = signIn.error instanceof ApiError ? signIn.error : null;
  const message = !signIn.error
    ? null
    : err?.status === 401
      ? m.lock.wrongPin
      : err?.status === 429
        ? fill(m.lock.locked, { minutes: Math.max(1, Math.ceil((err.retryAfter ?? 300) / 60)) })
        : errorText(signIn.error);

  return (
    <form
      className="grid gap-4"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        submit(pin);
      }}
    >
      <div className="flex items-center gap-2 text-lg font-semibold">
        <UserRound className="size-5" aria-hidden />
        {member.name}
        <span className="text-sm font-normal text-muted-foreground">· {m.lock.role[member.role]}</span>
      </div>
      <label className="grid gap-1 text-sm font-medium" htmlFor="pin">
        {m.lock.pin}
        <input
          id="pin"
          ref={input}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={PIN_DIGITS}
          value={pin}
          onChange={(e) => type(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onBack();
          }}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? 'pin-error' : undefined}
          className="h-14 rounded-md border border-input bg-background px-4 text-center text-3xl tracking-[0.6em] focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
        />
      </label>
      {message ? (
        <Alert variant="destructive" id="pin-error" role="alert">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <div className="grid grid-cols-3 gap-2" aria-label={m.lock.keypad} role="group">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <Button key={d} variant="outline" className="h-14 text-xl" tabIndex={-1} onClick={() => type(pin + d)}>
            {d}
          </Button>
        ))}
        <Button variant="ghost" className="h-14" tabIndex={-1} onClick={onBack}>
          {m.lock.back}
        </Button>
        <Button variant="outline" className="h-14 text-xl" tabIndex={-1} onClick={() => type(pin + '0')}>
          0
        </Button>
        <Button
          variant="ghost"
          className="h-14"
          tabIndex={-1}
          aria-label={m.lock.erase}
          onClick={() => type(pin.slice(0, -1))}
        >
          <Delete aria-hidden />
        </Button>
      </div>
      <Button type="submit" size="lg" disabled={pin.length !== PIN_DIGITS || signIn.isPending}>
        {signIn.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
        {m.lock.open}
      </Button>
    </form>
  );
}

/** The lock screen: pick your name, type your PIN (checked on this PC, also offline). */
export function LockScreen({ roster }: { roster: Roster }) {
  const { m } = useI18n();
  const [chosen, setChosen] = useState<StaffMember | null>(null);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!chosen) first.current?.focus();
  }, [chosen]);
  // A member HQ deactivated meanwhile disappears from the names.
  const member = chosen && roster.staff.find((s) => s.id === chosen.id);

  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <Card className="w-full max-w-md">
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <LockKeyhole className="size-5 text-primary" aria-hidden />
            {m.lock.title}
          </CardTitle>
          <p className="text-sm text-muted-foreground">{member ? m.lock.typePin : m.lock.pickName}</p>
        </CardHeader>
        <CardContent className="grid gap-4">
          {member ? (
            <PinPad key={member.id} member={member} onBack={() => setChosen(null)} />
          ) : (
            <ul className="grid gap-2" aria-label={m.lock.names}>
              {roster.staff.map((s, i) => (
                <li key={s.id}>
                  <Button
                    ref={i === 0 ? first : undefined}
                    variant="outline"
                    className={cn('h-14 w-full justify-start text-base')}
                    onClick={() => setChosen(s)}
                  >
                    <UserRound aria-hidden />
                    <span className="flex-1 text-left">{s.name}</span>
                    <span className="text-xs text-muted-foreground">{m.lock.role[s.role]}</span>
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <LanguageSwitch />
        </CardContent>
      </Card>
    </main>
  );
}
