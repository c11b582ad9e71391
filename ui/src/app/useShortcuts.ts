import { useEffect } from 'react';
import { sessionToken } from '@/lib/session';
import { lockNow } from '@/features/lock/useLock';
import { navigate, screens } from './router';

/** Alt+1..4 switch screens from anywhere (also inside inputs: Alt+digit types nothing); Alt+L
 * locks the PC when somebody is signed in. */
export function useScreenShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if ((e.code === 'KeyL' || e.key.toLowerCase() === 'l') && sessionToken()) {
        e.preventDefault();
        void lockNow();
        return;
      }
      // e.code works whatever the keyboard layout makes of Alt+digit.
      const match = /^(?:Digit|Numpad)([1-4])$/.exec(e.code) ?? /^([1-4])$/.exec(e.key);
      if (!match) return;
      const screen = screens[Number(match[1]) - 1];
      if (!screen) return;
      e.preventDefault();
      navigate(screen.path);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
