import type { ReactNode } from 'react';
import { CatalogProvider, useCatalog, type I18n, type Lang } from './core';
import { en } from './en';
import { id, type Messages } from './id';

export { fill, formatCount, type Lang } from './core';

const catalogs: Record<Lang, Messages> = { id, en };

/** Provides the cashier app's messages in the chosen language (Bahasa Indonesia by default). */
export function I18nProvider({ children, lang }: { children: ReactNode; lang?: Lang }) {
  return (
    <CatalogProvider catalogs={catalogs} lang={lang}>
      {children}
    </CatalogProvider>
  );
}

/** The cashier app's messages, locale and language switch. */
export function useI18n(): I18n<Messages> {
  return useCatalog<Messages>();
}
