import { useRef, type KeyboardEvent } from 'react';
import type { Channel } from '@/api/types';
import { cn } from '@/lib/cn';

const KEYS: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/** The payment channels as a radio group: arrows choose (and wrap), Home and End go to the
 * first and last, Tab moves on from the chosen one. */
export function ChannelPicker({
  id,
  label,
  channels,
  value,
  onChange,
  ...aria
}: {
  id: string;
  label: string;
  channels: Channel[];
  value: string | undefined;
  onChange: (id: string) => void;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}) {
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const at = channels.findIndex((c) => c.id === value);
  const choose = (i: number) => {
    const next = channels[(i + channels.length) % channels.length];
    if (!next) return;
    onChange(next.id);
    refs.current.get(next.id)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const step = KEYS[e.key];
    if (e.key === 'Home') choose(0);
    else if (e.key === 'End') choose(channels.length - 1);
    // With nothing chosen, a step forward lands on the first and a step back on the last.
    else if (step !== undefined) choose((at < 0 ? (step > 0 ? -1 : 0) : at) + step);
    else return;
    e.preventDefault();
  };
  return (
    <div id={id} role="radiogroup" aria-label={label} className="flex flex-wrap gap-2" {...aria}>
      {channels.map((c, i) => {
        const selected = c.id === value;
        return (
          <button
            key={c.id}
            ref={(el) => {
              if (el) refs.current.set(c.id, el);
              else refs.current.delete(c.id);
            }}
            type="button"
            role="radio"
            aria-checked={selected}
            // With nothing chosen, the first one is where Tab lands.
            tabIndex={selected || (at < 0 && i === 0) ? 0 : -1}
            onClick={() => onChange(c.id)}
            onKeyDown={onKeyDown}
            data-testid="channel-option"
            className={cn(
              'h-10 rounded-md border px-3 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2',
              selected ? 'border-primary bg-accent text-primary' : 'text-muted-foreground hover:bg-accent',
            )}
          >
            {c.name}
          </button>
        );
      })}
    </div>
  );
}
