import { forwardRef, type InputHTMLAttributes } from 'react';
import { Input } from '@/components/ui/input';
import { formatAmountInput } from '@/lib/money';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  /** The field's text as typed or pasted (`''` when empty). */
  text: string;
  onTextChange: (text: string) => void;
};

/** A rupiah amount, shown as `Rp 20.000` while it reads as whole rupiah; typing or pasting
 * `20.000`, `20000` or `Rp 20.000` gives the same amount. Text that is not whole rupiah
 * (`20,5`, `1e6`, `-5`) stays exactly as typed, and the form says why it cannot be saved. */
export const AmountInput = forwardRef<HTMLInputElement, Props>(({ text, onTextChange, ...props }, ref) => (
  <Input
    ref={ref}
    type="text"
    inputMode="numeric"
    autoComplete="off"
    className="h-12 text-xl font-semibold tabular"
    value={formatAmountInput(text)}
    onChange={(e) => onTextChange(e.target.value)}
    {...props}
  />
));
AmountInput.displayName = 'AmountInput';
