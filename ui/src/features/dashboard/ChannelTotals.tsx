import type { ChannelTotal } from '@/api/types';
import { Money } from '@/components/Money';
import { useI18n } from '@/i18n';

/** Per metode bayar: each channel's money in, out and net over the period (voided entries left
 * out), under the name the server gives for it. */
export function ChannelTotals({ rows }: { rows: ChannelTotal[] }) {
  const { m } = useI18n();
  return (
    <table className="w-full border-collapse text-sm" data-testid="channel-totals">
      <thead>
        <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
          <th className="py-2 pr-3 font-medium">{m.common.channel}</th>
          <th className="px-3 py-2 text-right font-medium">{m.dashboard.channelIn}</th>
          <th className="px-3 py-2 text-right font-medium">{m.dashboard.channelOut}</th>
          <th className="py-2 pl-3 text-right font-medium">{m.dashboard.channelNet}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const net = r.total_in - r.total_out;
          return (
            <tr key={r.channel_id} className="border-b last:border-0" data-testid="channel-total">
              <th scope="row" className="py-2 pr-3 text-left font-medium">
                {r.channel_name}
              </th>
              <td className="px-3 py-2 text-right" data-testid="channel-in">
                <Money amount={r.total_in} type="IN" />
              </td>
              <td className="px-3 py-2 text-right" data-testid="channel-out">
                <Money amount={r.total_out} type="OUT" />
              </td>
              <td className="py-2 pl-3 text-right font-semibold" data-testid="channel-net">
                <Money amount={net} className={net < 0 ? 'text-destructive' : undefined} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
