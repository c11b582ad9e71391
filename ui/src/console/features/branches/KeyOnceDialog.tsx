import { AlertTriangle, Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import type { BranchWithKey } from '../../api/types';
import { fill, useI18n } from '../../i18n';

/** A branch's key, the only time HQ shows it: the key, a copy button and a plain warning. */
export function KeyOnceDialog({ branch, onClose }: { branch: BranchWithKey | null; onClose: () => void }) {
  const { m } = useI18n();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(branch?.api_key ?? '');
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Dialog
      open={branch !== null}
      onOpenChange={(open) => {
        if (!open) {
          setCopied(null);
          onClose();
        }
      }}
    >
      <DialogContent closeLabel={m.common.close} data-testid="key-dialog">
        <DialogHeader>
          <DialogTitle>{m.keyOnce.title}</DialogTitle>
          <DialogDescription>
            {branch ? fill(m.keyOnce.body, { code: branch.code, name: branch.name }) : null}
          </DialogDescription>
        </DialogHeader>
        <Alert variant="warning">
          <AlertTriangle aria-hidden />
          <AlertDescription>{m.keyOnce.warning}</AlertDescription>
        </Alert>
        <div className="flex items-center gap-2">
          <code
            className="min-w-0 flex-1 select-all break-all rounded-md border bg-muted px-3 py-2 font-mono text-sm"
            data-testid="api-key"
            aria-label={m.keyOnce.key}
          >
            {branch?.api_key}
          </code>
          <Button variant="outline" onClick={() => void copy()}>
            {copied === 'yes' ? <Check aria-hidden /> : <Copy aria-hidden />}
            {copied === 'yes' ? m.keyOnce.copied : m.keyOnce.copy}
          </Button>
        </div>
        <p role="status" className="text-sm text-muted-foreground">
          {copied === 'failed' ? m.keyOnce.copyFailed : ''}
        </p>
        <DialogFooter>
          <Button onClick={onClose}>{m.keyOnce.done}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
