import { useState, type FormEvent } from 'react';
import { ApiError } from '@/api/client';
import { Field, errorProps } from '@/components/Field';
import { useFieldIssueText } from '@/components/States';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import type { BranchWithKey } from '../../api/types';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useCreateBranch } from '../../hooks/useBranchActions';
import { useI18n } from '../../i18n';

/** A new branch: code and name; a taken code or a bad field is said next to it. */
export function CreateBranchDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (b: BranchWithKey) => void;
}) {
  const { m } = useI18n();
  const create = useCreateBranch();
  const failed = useChangeFailed();
  const issueText = useFieldIssueText();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<{ code?: string; name?: string }>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = {
      code: code.trim() ? undefined : m.branches.required,
      name: name.trim() ? undefined : m.branches.required,
    };
    setErrors(next);
    if (next.code || next.name) return;
    create.mutate(
      { code: code.trim(), name: name.trim() },
      {
        onSuccess: (b) => {
          setCode('');
          setName('');
          onCreated(b);
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'conflict') setErrors({ code: m.branches.codeTaken });
          else if (error instanceof ApiError && error.code === 'validation_failed' && error.details.length > 0) {
            const c = error.fieldDetail('code');
            const n = error.fieldDetail('name');
            setErrors({ code: c && issueText(c), name: n && issueText(n) });
          } else failed(error);
        },
      },
    );
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={m.common.close}>
        <form className="grid gap-4" onSubmit={submit} noValidate>
          <DialogHeader>
            <DialogTitle>{m.branches.createTitle}</DialogTitle>
          </DialogHeader>
          <Field id="branch-code" label={m.branches.code} error={errors.code} hint={m.branches.codeHint}>
            <Input
              id="branch-code"
              value={code}
              autoFocus
              onChange={(e) => setCode(e.target.value)}
              {...errorProps('branch-code', errors.code)}
            />
          </Field>
          <Field id="branch-name" label={m.branches.name} error={errors.name}>
            <Input
              id="branch-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              {...errorProps('branch-name', errors.name)}
            />
          </Field>
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              {m.common.cancel}
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {m.branches.create}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
