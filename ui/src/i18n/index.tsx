import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { id, type Messages } from './id';

export type Lang = 'id' | 'en';

const catalogs: Record<Lang, Messages> = { id, en };
const locales: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
const STORAGE_KEY = 'kh.lang';

/** The locale numbers are grouped in: the provider sets it to the chosen language's. */
let numberLocale = locales.id;

/** A count with the language's thousands separator: `20.007` in Indonesian, `20,007` in English. */
export function formatCount(n: number): string {
  return new Intl.NumberFormat(numberLocale, { maximumFractionDigits: 0 }).format(n);
}

type I18n = { lang: Lang; locale: string; m: Messages; setLang: (lang: Lang) => void };

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

/** Provides the messages of the chosen language (Bahasa Indonesia by default). */
export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(fixed ?? initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
    document.documentElement.lang = next;
  }, []);
  numberLocale = locales[lang];
  const value = useMemo(() => ({ lang, locale: locales[lang], m: catalogs[lang], setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current messages, locale and language switch. */
export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

/** Fills `{name}` placeholders: `fill('Halaman {page}', { page: 2 })`; numbers are counts and
 * get the language's thousands separator (`Halaman 1 dari 1.001`). */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (all, key: string) => {
    const value = values[key];
    if (value === undefined) return all;
    return typeof value === 'number' ? formatCount(value) : value;
  });
}
