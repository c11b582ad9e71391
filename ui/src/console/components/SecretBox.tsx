import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useI18n } from '../i18n';

/** A secret shown once (a branch key, a new password): selectable text and a copy button,
 * with what to do when the browser will not copy. */
export function SecretBox({
  secret,
  label,
  copyFailed,
  testId,
}: {
  secret: string;
  label: string;
  copyFailed: string;
  testId: string;
}) {
  const { m } = useI18n();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <>
      <div className="flex items-center gap-2">
        <code
          className="min-w-0 flex-1 select-all break-all rounded-md border bg-muted px-3 py-2 font-mono text-sm"
          data-testid={testId}
          aria-label={label}
        >
          {secret}
        </code>
        <Button variant="outline" onClick={() => void copy()}>
          {copied === 'yes' ? <Check aria-hidden /> : <Copy aria-hidden />}
          {copied === 'yes' ? m.keyOnce.copied : m.keyOnce.copy}
        </Button>
      </div>
      <p role="status" className="text-sm text-muted-foreground">
        {copied === 'failed' ? copyFailed : ''}
      </p>
    </>
  );
}
