import { useId, useState } from 'react';
import { Select } from '@/components/ui/select';
import { useI18n } from '../i18n';
import { exportQuery, extensionOf, TABLE_FORMATS, type ExportChoice, type ExportQuery } from '../lib/exports';
import { ExportRunner } from './ExportRunner';

export interface ExportControlProps {
  /** The prefix of the parts' test ids: `<prefix>format`, `start`, `progress`, `cancel`, `error`. */
  testid: string;
  /** The start button's words. */
  label: string;
  /** What it downloads, on hover. */
  hint: string;
  /** The export's address under `/api/v1`. */
  path: string;
  /** The list's filters (the page's period, a branch); empty ones are left out. */
  filters: ExportQuery;
  /** The formats offered (CSV ; first, the default). */
  formats?: readonly ExportChoice[];
  /** The file's name without its extension, when the server gives none. */
  baseName: string;
  notFoundText?: string;
}

/** "Ekspor": a format menu and a button that downloads every row of a list or report from HQ
 * (all of it, not the page shown), its header row in the console's language. */
export function ExportControl({
  testid,
  label,
  hint,
  path,
  filters,
  formats = TABLE_FORMATS,
  baseName,
  notFoundText,
}: ExportControlProps) {
  const { m, lang } = useI18n();
  const [choice, setChoice] = useState<ExportChoice>(formats[0] ?? ';');
  const hintId = useId();
  const names: Record<ExportChoice, string> = {
    ';': m.exports.semicolon,
    ',': m.exports.comma,
    xlsx: m.exports.xlsx,
    pdf: m.exports.pdf,
  };
  return (
    <ExportRunner
      testid={testid}
      label={label}
      hint={hint}
      notFoundText={notFoundText}
      request={() => ({
        path,
        query: exportQuery(filters, choice, lang),
        fallbackName: `${baseName}.${extensionOf(choice)}`,
      })}
    >
      {(running) => (
        <>
          <Select
            className="w-32"
            aria-label={m.exports.format}
            aria-describedby={hintId}
            title={m.exports.formatHint}
            value={choice}
            onChange={(e) => setChoice(e.target.value as ExportChoice)}
            disabled={running}
            data-testid={`${testid}format`}
          >
            {formats.map((f) => (
              <option key={f} value={f}>
                {names[f]}
              </option>
            ))}
          </Select>
          <span id={hintId} className="sr-only">
            {m.exports.formatHint}
          </span>
        </>
      )}
    </ExportRunner>
  );
}
