// Printing a report with the browser's own print dialog (`window.print()`): the report's copy
// for the printer is a `.print-only` element at the end of <body>, named by `data-print`; the
// print stylesheet (`index.css`, `@media print`) hides everything else. The paper is A4 or an
// 80 mm receipt roll, set as `data-print-paper` on <html> and as the page's `@page` rule.

import { useEffect, useSyncExternalStore } from 'react';

/** The paper a report is printed on: A4 (the default) or an 80 mm receipt printer's roll. */
export type PrintPaper = 'a4' | '80mm';

/** Which report a print is of: only its copy goes to the printer. */
export type PrintTarget = 'daily' | 'shift';

export const PRINT_PAPERS: PrintPaper[] = ['a4', '80mm'];

/** Where the chosen paper is remembered (in this browser, for every report). */
export const PRINT_PAPER_KEY = 'kh.printPaper';

/** The id of the `<style>` holding the page's size and margins. */
export const PAGE_STYLE_ID = 'print-page';

/** The `@page` rule of each paper: A4 with a 12 mm margin, or 80 mm wide as long as the
 * report with a 3 mm margin. */
export const PAGE_RULES: Record<PrintPaper, string> = {
  a4: '@page { size: A4; margin: 12mm }',
  '80mm': '@page { size: 80mm auto; margin: 3mm }',
};

/** The paper chosen last time in this browser, A4 when none was (or storage is closed). */
export function storedPaper(): PrintPaper {
  try {
    return localStorage.getItem(PRINT_PAPER_KEY) === '80mm' ? '80mm' : 'a4';
  } catch {
    return 'a4';
  }
}

/** The choice when storage is closed (private mode): it lasts for this page only. */
let unstored: PrintPaper | null = null;
const listeners = new Set<() => void>();

/** Remembers the paper for the next print (of any report), and tells every paper select. */
export function storePaper(paper: PrintPaper) {
  try {
    localStorage.setItem(PRINT_PAPER_KEY, paper);
    unstored = null;
  } catch {
    unstored = paper;
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  // Another tab's choice counts here too.
  const onStorage = (e: StorageEvent) => {
    if (e.key === PRINT_PAPER_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The paper chosen (remembered in this browser) and a way to choose another. It is set on the
 * page as soon as it is known, so the browser's own Ctrl+P prints on it too. */
export function usePrintPaper(): [PrintPaper, (paper: PrintPaper) => void] {
  const paper = useSyncExternalStore(subscribe, () => unstored ?? storedPaper());
  useEffect(() => applyPaper(paper), [paper]);
  return [paper, storePaper];
}

/** Sets the paper the next print uses: `data-print-paper` on <html>, which the print
 * stylesheet lays the report out by, and the `@page` rule in `<style id="print-page">`
 * (replaced, never added twice). */
export function applyPaper(paper: PrintPaper) {
  document.documentElement.setAttribute('data-print-paper', paper);
  let style = document.getElementById(PAGE_STYLE_ID);
  if (!(style instanceof HTMLStyleElement)) {
    style?.remove();
    style = document.createElement('style');
    style.id = PAGE_STYLE_ID;
    document.head.append(style);
  }
  style.textContent = PAGE_RULES[paper];
}

/** Prints one report on the paper chosen: the paper set, the report named on <html>
 * (`data-print-target`, so another report's copy on the page stays out), then the browser's
 * print dialog; the name goes once the dialog is done. */
export function printReport(target: PrintTarget, paper: PrintPaper) {
  const html = document.documentElement;
  applyPaper(paper);
  html.setAttribute('data-print-target', target);
  const done = () => {
    window.removeEventListener('afterprint', done);
    if (html.getAttribute('data-print-target') === target) html.removeAttribute('data-print-target');
  };
  window.addEventListener('afterprint', done);
  window.print();
}
