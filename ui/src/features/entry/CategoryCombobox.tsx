import { forwardRef, useId, useState, type InputHTMLAttributes, type KeyboardEvent } from 'react';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & {
  value: string;
  onValueChange: (value: string) => void;
  suggestions: string[];
};

/**
 * A text field with suggestions below it. Arrows choose one, Enter takes the chosen one (and
 * only then: with nothing chosen Enter goes on to the form and saves), Esc closes the list.
 */
export const CategoryCombobox = forwardRef<HTMLInputElement, Props>(
  ({ value, onValueChange, suggestions, id, onKeyDown, onBlur, onFocus, ...props }, ref) => {
    const listId = useId();
    const [open, setOpen] = useState(false);
    const [active, setActive] = useState(-1);
    const needle = value.trim().toLocaleLowerCase();
    const matches = suggestions.filter((s) => s.toLocaleLowerCase().includes(needle) && s !== value).slice(0, 8);
    const shown = open && matches.length > 0;

    const pick = (s: string) => {
      onValueChange(s);
      setOpen(false);
      setActive(-1);
    };

    const handleKey = (e: KeyboardEvent<HTMLInputElement>) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setOpen(true);
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setActive((i) => (matches.length === 0 ? -1 : (i + step + matches.length) % matches.length));
        return;
      }
      if (e.key === 'Enter' && shown && active >= 0 && matches[active]) {
        e.preventDefault();
        e.stopPropagation();
        pick(matches[active]);
        return;
      }
      if (e.key === 'Escape' && shown) {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
        setActive(-1);
        return;
      }
      onKeyDown?.(e);
    };

    return (
      <div className="relative">
        <Input
          ref={ref}
          id={id}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={shown}
          aria-controls={listId}
          aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
          autoComplete="off"
          value={value}
          onChange={(e) => {
            onValueChange(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={(e) => {
            setOpen(true);
            onFocus?.(e);
          }}
          onBlur={(e) => {
            setOpen(false);
            setActive(-1);
            onBlur?.(e);
          }}
          onKeyDown={handleKey}
          {...props}
        />
        <ul
          id={listId}
          role="listbox"
          hidden={!shown}
          className="absolute z-20 mt-1 max-h-60 w-full overflow-auto rounded-md border bg-background py-1 shadow-md"
        >
          {matches.map((s, i) => (
            <li
              key={s}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: the input must not lose focus first
              onMouseDown={(e) => {
                e.preventDefault();
                pick(s);
              }}
              className={cn('cursor-pointer px-3 py-1.5 text-sm', i === active ? 'bg-accent' : 'hover:bg-muted')}
            >
              {s}
            </li>
          ))}
        </ul>
      </div>
    );
  },
);
CategoryCombobox.displayName = 'CategoryCombobox';
