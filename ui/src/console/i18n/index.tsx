import type { ReactNode } from 'react';
import { CatalogProvider, useCatalog, type I18n, type Lang } from '@/i18n/core';
import { en } from './en';
import { id, type ConsoleMessages } from './id';

export { fill } from '@/i18n/core';

const catalogs: Record<Lang, ConsoleMessages> = { id, en };

/** Provides the console's messages in the chosen language (Bahasa Indonesia by default). */
export function ConsoleI18nProvider({ children, lang }: { children: ReactNode; lang?: Lang }) {
  return (
    <CatalogProvider catalogs={catalogs} lang={lang}>
      {children}
    </CatalogProvider>
  );
}

/** The console's messages, locale and language switch. */
export function useI18n(): I18n<ConsoleMessages> {
  return useCatalog<ConsoleMessages>();
}
