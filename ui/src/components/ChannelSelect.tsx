import { Select } from '@/components/ui/select';
import { useLists } from '@/hooks/useLists';
import { fill, useI18n } from '@/i18n';

/** A filter by payment channel: all of them, or one of every channel HQ sent, the retired ones
 * marked (old entries went through them). One the address names that the list lacks (not
 * loaded yet, or another HQ's) stays shown as chosen. */
export function ChannelSelect({
  value,
  onChange,
  className,
  'data-testid': testId,
}: {
  /** A channel's id, or '' for all. */
  value: string;
  onChange: (channelId: string) => void;
  className?: string;
  'data-testid'?: string;
}) {
  const { m } = useI18n();
  const lists = useLists();
  const channels = (lists.data?.channels ?? []).map((c) => ({
    id: c.id,
    name: c.active ? c.name : fill(m.common.inactiveChannel, { name: c.name }),
  }));
  if (value && !channels.some((c) => c.id === value)) channels.push({ id: value, name: value.slice(0, 8) });
  return (
    <Select
      className={className}
      aria-label={m.common.channel}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
    >
      <option value="">{m.common.allChannels}</option>
      {channels.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </Select>
  );
}
