import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { ErrorState, Loading } from '@/components/States';
import { onSessionEnded } from '../api/hq';
import type { HqUser } from '../api/types';
import { SignInPage } from '../features/signin/SignInPage';
import { forgetSession, useMe } from './useSession';

const UserContext = createContext<HqUser | null>(null);

/** The signed-in user; only inside the gate. */
export function useUser(): HqUser {
  const user = useContext(UserContext);
  if (!user) throw new Error('useUser outside SessionGate');
  return user;
}

/** Shows the sign-in screen until there is a session, then the console; a 401 on any call
 * drops the session's data and comes back here with a word on why. */
export function SessionGate({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const me = useMe();
  const [ended, setEnded] = useState(false);
  useEffect(
    () =>
      onSessionEnded(() => {
        forgetSession(qc);
        setEnded(true);
      }),
    [qc],
  );
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <SignInPage ended={ended} onSignedIn={() => setEnded(false)} />;
  return <UserContext.Provider value={me.data.user}>{children}</UserContext.Provider>;
}
