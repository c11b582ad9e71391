import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { SharedMessages } from './shared';

export type Lang = 'id' | 'en';

const locales: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
const STORAGE_KEY = 'kh.lang';

/** The locale numbers are grouped in: the provider sets it to the chosen language's. */
let numberLocale = locales.id;

/** A count with the language's thousands separator: `20.007` in Indonesian, `20,007` in English. */
export function formatCount(n: number): string {
  return new Intl.NumberFormat(numberLocale, { maximumFractionDigits: 0 }).format(n);
}

export type I18n<M = SharedMessages> = { lang: Lang; locale: string; m: M; setLang: (lang: Lang) => void };

const I18nContext = createContext<I18n<SharedMessages> | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

/** Provides one app's catalogs in the chosen language (Bahasa Indonesia by default). Each app
 * wraps this with its own catalogs, so neither app's bundle carries the other's words. */
export function CatalogProvider({
  catalogs,
  children,
  lang: fixed,
}: {
  catalogs: Record<Lang, SharedMessages>;
  children: ReactNode;
  lang?: Lang;
}) {
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
  const value = useMemo(() => ({ lang, locale: locales[lang], m: catalogs[lang], setLang }), [lang, catalogs, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current messages, locale and language switch. `M` is the catalog type of the app whose
 * provider is above (its `useI18n` names it); shared components use the shared sections only. */
export function useCatalog<M extends SharedMessages = SharedMessages>(): I18n<M> {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx as unknown as I18n<M>;
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
