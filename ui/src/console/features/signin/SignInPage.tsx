import { BookOpenText, LogIn } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/api/client';
import { Field, errorProps } from '@/components/Field';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { useErrorText } from '@/components/States';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { fill, useI18n } from '../../i18n';
import { useLogin } from '../../session/useSession';

/** "in 30 seconds" / "in 2 minutes": the wait a 429 asked for, rounded up to minutes past one. */
function useWaitText() {
  const { m } = useI18n();
  return (seconds: number | null) => {
    if (seconds === null) return m.signIn.rateLimitedNoWait;
    const text =
      seconds < 60 ? fill(m.signIn.seconds, { n: seconds }) : fill(m.signIn.minutes, { n: Math.ceil(seconds / 60) });
    return fill(m.signIn.rateLimited, { wait: text });
  };
}

/** Masuk: email and password; wrong ones, too many tries and an ended session said in words. */
export function SignInPage({ ended, onSignedIn }: { ended: boolean; onSignedIn: () => void }) {
  const { m } = useI18n();
  const login = useLogin();
  const errorText = useErrorText();
  const waitText = useWaitText();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: boolean; password?: boolean }>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = { email: email.trim() === '', password: password === '' };
    setMissing(next);
    if (next.email || next.password) return;
    login.mutate({ email: email.trim(), password }, { onSuccess: onSignedIn });
  };

  const error = login.error;
  let problem: string | null = null;
  if (error instanceof ApiError && error.status === 401) problem = m.signIn.wrong;
  else if (error instanceof ApiError && error.status === 429) problem = waitText(error.retryAfter);
  else if (error) problem = errorText(error);

  const emailError = missing.email ? m.signIn.required : undefined;
  const passwordError = missing.password ? m.signIn.required : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Card className="w-full max-w-sm">
        <CardContent className="grid gap-5 p-6">
          <div className="flex items-center gap-2">
            <BookOpenText className="size-7 text-primary" aria-hidden />
            <div>
              <h1 className="font-semibold leading-tight">{m.appName}</h1>
              <p className="text-xs text-muted-foreground">{m.appTagline}</p>
            </div>
          </div>
          {ended && !problem ? (
            <Alert variant="warning" data-testid="session-ended">
              <AlertDescription>{m.signIn.ended}</AlertDescription>
            </Alert>
          ) : null}
          <form className="grid gap-4" onSubmit={submit} noValidate aria-label={m.signIn.title}>
            <h2 className="text-lg font-semibold">{m.signIn.title}</h2>
            <Field id="email" label={m.signIn.email} error={emailError}>
              <Input
                id="email"
                type="email"
                autoComplete="username"
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                {...errorProps('email', emailError)}
              />
            </Field>
            <Field id="password" label={m.signIn.password} error={passwordError}>
              <Input
                id="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                {...errorProps('password', passwordError)}
              />
            </Field>
            {problem ? (
              <Alert variant="destructive" data-testid="signin-error">
                <AlertDescription>{problem}</AlertDescription>
              </Alert>
            ) : null}
            <Button type="submit" disabled={login.isPending}>
              <LogIn aria-hidden />
              {login.isPending ? m.signIn.signingIn : m.signIn.submit}
            </Button>
          </form>
          <LanguageSwitch />
        </CardContent>
      </Card>
    </main>
  );
}
