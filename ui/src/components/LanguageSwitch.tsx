import { useCatalog, type Lang } from '@/i18n/core';

/** Indonesia / English, remembered on this browser. `labelClassName` styles the word "Bahasa"
 * (e.g. `xl:sr-only` where a header is short of room: the select keeps it as its name). */
export function LanguageSwitch({ labelClassName }: { labelClassName?: string }) {
  const { m, lang, setLang } = useCatalog();
  return (
    <label className="flex items-center gap-2 text-xs text-muted-foreground">
      <span className={labelClassName}>{m.language.label}</span>
      <select
        className="rounded border border-input bg-background px-1 py-0.5 text-xs pointer-coarse:h-10 pointer-coarse:px-2 pointer-coarse:text-sm"
        value={lang}
        onChange={(e) => setLang(e.target.value as Lang)}
        data-testid="language"
      >
        <option value="id">{m.language.id}</option>
        <option value="en">{m.language.en}</option>
      </select>
    </label>
  );
}
