//! The cashier app's form limits are these numbers, not a copy typed by hand: `ui/src/lib/
//! limits.ts` is generated from the domain's constants, and this test fails when the file
//! differs from what the domain says. `UPDATE_UI_LIMITS=1 cargo test -p kh-domain --test
//! ui_limits` rewrites it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use kh_domain::{Amount, Category, Description, VoidReason};

fn expected() -> String {
    format!(
        "// Generated from crates/domain by crates/domain/tests/ui_limits.rs; do not edit.\n\
         // UPDATE_UI_LIMITS=1 cargo test -p kh-domain --test ui_limits rewrites it.\n\
         \n\
         /** The limits the servers enforce, for the forms to apply before sending. */\n\
         export const LIMITS = {{\n\
         \x20 amount: {{ min: {}, max: {} }},\n\
         \x20 category: {{ maxChars: {} }},\n\
         \x20 description: {{ maxChars: {} }},\n\
         \x20 voidReason: {{ maxChars: {} }},\n\
         }} as const;\n",
        Amount::MIN,
        Amount::MAX,
        Category::MAX_CHARS,
        Description::MAX_CHARS,
        VoidReason::MAX_CHARS,
    )
}

#[test]
fn the_ui_limits_file_holds_the_domain_limits() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/limits.ts");
    if std::env::var_os("UPDATE_UI_LIMITS").is_some() {
        std::fs::write(&path, expected()).unwrap();
    }
    let actual = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} cannot be read ({e})", path.display()));
    assert_eq!(
        actual,
        expected(),
        "ui/src/lib/limits.ts is out of date; rerun with UPDATE_UI_LIMITS=1"
    );
}
