import { useCatalog, type Lang } from '@/i18n/core';

/** Indonesia / English, remembered on this browser. */
export function LanguageSwitch() {
  const { m, lang, setLang } = useCatalog();
  return (
    <label className="flex items-center gap-2 text-xs text-muted-foreground">
      {m.language.label}
      <select
        className="rounded border border-input bg-background px-1 py-0.5 text-xs"
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
