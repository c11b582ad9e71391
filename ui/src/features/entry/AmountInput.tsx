import { forwardRef, type ClipboardEvent, type InputHTMLAttributes } from 'react';
import { Input } from '@/components/ui/input';
import { digitsOf, formatAmountInput, parseRupiah } from '@/lib/money';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  /** The digits typed so far (`''` when empty). */
  digits: string;
  onDigitsChange: (digits: string) => void;
};

/** A rupiah amount typed as digits and shown as `Rp 20.000` while typing; pasting `Rp 20.000`,
 * `20.000` or `20000` gives the same amount. */
export const AmountInput = forwardRef<HTMLInputElement, Props>(({ digits, onDigitsChange, ...props }, ref) => {
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const amount = parseRupiah(e.clipboardData.getData('text'));
    e.preventDefault();
    if (amount !== null) onDigitsChange(digitsOf(String(amount)));
  };
  return (
    <Input
      ref={ref}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      className="h-12 text-xl font-semibold tabular"
      value={formatAmountInput(digits)}
      onChange={(e) => onDigitsChange(digitsOf(e.target.value))}
      onPaste={onPaste}
      {...props}
    />
  );
});
AmountInput.displayName = 'AmountInput';
