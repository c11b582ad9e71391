import { KeyRound, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { ApiError } from '@/api/client';
import type { SystemStatus } from '@/api/types';
import { Field, errorProps } from '@/components/Field';
import { useErrorText } from '@/components/States';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/use-toast';
import { useActivate } from '@/hooks/useSyncActions';
import { fill, useI18n } from '@/i18n';

/** HQ address and branch key -> `POST /system/activate`; field errors and 503s are shown. */
export function ActivationForm({ status }: { status: SystemStatus }) {
  const { m } = useI18n();
  const errorText = useErrorText();
  const activate = useActivate();
  const [cloudUrl, setCloudUrl] = useState(status.cloud_url ?? '');
  const [apiKey, setApiKey] = useState('');
  const [local, setLocal] = useState<{ cloud_url?: string; api_key?: string }>({});

  const err = activate.error instanceof ApiError ? activate.error : null;
  // Each field has one way to be wrong, so its message says what it takes.
  const fieldError = (f: 'cloud_url' | 'api_key') =>
    local[f] ?? (err?.fieldDetail(f) ? (f === 'cloud_url' ? m.sync.cloudUrlInvalid : m.sync.apiKeyInvalid) : undefined);
  // The key is another branch's while this branch's entries have not reached HQ: ask first.
  const needsConfirm = err?.code === 'branch_change_unconfirmed';
  const general =
    activate.error && !needsConfirm && !(err && (err.fieldIssue('cloud_url') || err.fieldIssue('api_key')))
      ? err?.code === 'unavailable'
        ? fill(m.sync.hqUnreachable, { url: cloudUrl.trim() })
        : errorText(activate.error)
      : null;

  const submit = (confirmBranchChange = false) => {
    const missing = {
      cloud_url: cloudUrl.trim() ? undefined : m.entry.required,
      api_key: apiKey.trim() ? undefined : m.entry.required,
    };
    setLocal(missing);
    if (missing.cloud_url || missing.api_key) return;
    activate.mutate(
      { cloud_url: cloudUrl.trim(), api_key: apiKey.trim(), confirm_branch_change: confirmBranchChange },
      {
        onSuccess: (s) => {
          setApiKey('');
          toast({
            variant: 'success',
            title: m.entry.success,
            description: s.branch ? fill(m.sync.activated, { code: s.branch.code, name: s.branch.name }) : undefined,
          });
        },
      },
    );
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base text-foreground">
          {status.branch ? m.sync.reactivateTitle : m.sync.activateTitle}
        </CardTitle>
      </CardHeader>
      <CardContent>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          data-testid="activation-form"
        >
          <Field id="cloud-url" label={m.sync.cloudUrl} error={fieldError('cloud_url')}>
            <Input
              id="cloud-url"
              type="url"
              autoComplete="url"
              placeholder={m.sync.cloudUrlPlaceholder}
              value={cloudUrl}
              onChange={(e) => {
                setCloudUrl(e.target.value);
                setLocal((l) => ({ ...l, cloud_url: undefined }));
              }}
              {...errorProps('cloud-url', fieldError('cloud_url'))}
            />
          </Field>
          <Field id="api-key" label={m.sync.apiKey} error={fieldError('api_key')}>
            <Input
              id="api-key"
              type="password"
              autoComplete="off"
              placeholder={m.sync.apiKeyPlaceholder}
              value={apiKey}
              onChange={(e) => {
                setApiKey(e.target.value);
                setLocal((l) => ({ ...l, api_key: undefined }));
              }}
              {...errorProps('api-key', fieldError('api_key'))}
            />
          </Field>
          {needsConfirm ? (
            <Alert variant="destructive" data-testid="branch-change">
              <AlertTitle>{m.sync.branchChangeTitle}</AlertTitle>
              <AlertDescription className="grid gap-3">
                <p>
                  {fill(m.sync.branchChangeBody, {
                    n: status.unsynced_count + status.rejected_count,
                    code: status.branch?.code ?? '—',
                  })}
                </p>
                <Button
                  type="button"
                  variant="destructive"
                  className="justify-self-start"
                  disabled={activate.isPending}
                  onClick={() => submit(true)}
                  data-testid="confirm-branch-change"
                >
                  {m.sync.branchChangeConfirm}
                </Button>
              </AlertDescription>
            </Alert>
          ) : null}
          {general ? (
            <Alert variant="destructive" data-testid="activation-error">
              <AlertDescription>{general}</AlertDescription>
            </Alert>
          ) : null}
          <Button type="submit" disabled={activate.isPending} className="justify-self-start" data-testid="activate">
            {activate.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <KeyRound aria-hidden />}
            {activate.isPending ? m.sync.activating : m.sync.activate}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
