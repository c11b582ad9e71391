import { useSyncExternalStore } from 'react';

export type ToastVariant = 'default' | 'success' | 'destructive';

export interface ToastItem {
  id: number;
  title: string;
  description?: string;
  variant: ToastVariant;
  open: boolean;
}

const LIMIT = 3;
let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(next: ToastItem[]) {
  items = next;
  for (const l of listeners) l();
}

/** Shows a toast; returns its id. */
export function toast(t: { title: string; description?: string; variant?: ToastVariant }): number {
  const id = nextId++;
  emit(
    [{ id, title: t.title, description: t.description, variant: t.variant ?? 'default', open: true }, ...items].slice(
      0,
      LIMIT,
    ),
  );
  return id;
}

/** Closes a toast (it is removed after its closing animation). */
export function dismissToast(id: number) {
  emit(items.map((t) => (t.id === id ? { ...t, open: false } : t)));
  window.setTimeout(() => emit(items.filter((t) => t.id !== id)), 300);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The toasts on screen. */
export function useToasts(): ToastItem[] {
  return useSyncExternalStore(
    subscribe,
    () => items,
    () => items,
  );
}

/** Removes every toast at once. */
export function clearToasts() {
  emit([]);
}
