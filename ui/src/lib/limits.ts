// Generated from crates/domain by crates/domain/tests/ui_limits.rs; do not edit.
// UPDATE_UI_LIMITS=1 cargo test -p kh-domain --test ui_limits rewrites it.

/** The limits the servers enforce, for the forms to apply before sending. */
export const LIMITS = {
  amount: { min: 1, max: 1000000000000 },
  category: { maxChars: 50 },
  description: { maxChars: 500 },
  voidReason: { maxChars: 200 },
} as const;
