//! Every spelling of a category HQ has stored, with its key ([`Category::key`]), so a filter
//! on one spelling finds the rows of them all. A spelling's key never changes, so a stored
//! pair is never wrong: pairs are written before the rows that use them (outside the push's
//! transaction, which then takes no extra locks), and a push that fails afterwards leaves only
//! a harmless pair behind.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, PoisonError};

use kh_adapters_sql::stmt;
use kh_domain::Category;
use sea_orm::{ConnectionTrait, DbErr, Value};

/// Pairs written in one statement at most.
const PER_INSERT: usize = 500;
/// Spellings this process remembers as stored; when full, it starts over (a few writes more).
const MAX_KNOWN: usize = 10_000;

/// Stores the pairs of `categories` (each once, in spelling order, so concurrent pushes lock
/// them in the same order); those already stored are left as they are.
pub(crate) async fn store<'a, C: ConnectionTrait>(
    conn: &C,
    categories: impl IntoIterator<Item = &'a str>,
) -> Result<(), DbErr> {
    let mut pairs = BTreeMap::new();
    for raw in categories {
        if !pairs.contains_key(raw) {
            let key = Category::parse(raw)
                .map_err(|e| DbErr::Custom(format!("stored category {raw:?}: {e}")))?
                .key();
            pairs.insert(raw.to_owned(), key);
        }
    }
    let pairs: Vec<(String, String)> = pairs.into_iter().collect();
    let backend = conn.get_database_backend();
    for chunk in pairs.chunks(PER_INSERT) {
        let sql = format!(
            "INSERT INTO category_spellings (spelling, key) VALUES {} \
             ON CONFLICT (spelling) DO NOTHING",
            vec!["(?, ?)"; chunk.len()].join(", ")
        );
        let values = chunk
            .iter()
            .flat_map(|(spelling, key)| [Value::from(spelling.as_str()), Value::from(key.as_str())])
            .collect();
        conn.execute_raw(stmt(backend, &sql, values)).await?;
    }
    Ok(())
}

/// The spellings this process has seen stored, so a branch draining its backlog does not write
/// the same few pairs with every push.
#[derive(Debug, Default)]
pub(crate) struct KnownSpellings {
    stored: Mutex<HashSet<String>>,
}

impl KnownSpellings {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        // Only copies of stored facts live here: after a panic elsewhere they are still right.
        self.stored.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores the pairs of the spellings among `categories` not known to be stored yet.
    pub(crate) async fn ensure<C: ConnectionTrait>(
        &self,
        conn: &C,
        categories: &[&Category],
    ) -> Result<(), DbErr> {
        let new: Vec<&str> = {
            let known = self.lock();
            categories
                .iter()
                .map(|c| c.as_str())
                .filter(|c| !known.contains(*c))
                .collect()
        };
        if new.is_empty() {
            return Ok(());
        }
        store(conn, new.iter().copied()).await?;
        let mut known = self.lock();
        if known.len() + new.len() > MAX_KNOWN {
            known.clear();
        }
        known.extend(new.into_iter().map(str::to_owned));
        Ok(())
    }
}
