//! Ports implemented for `Arc<T>`, so services can hold shared (or type-erased) adapters.

use std::sync::Arc;

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{
    BranchId, CategoryTotal, DateRange, DayTotals, NewTransaction, Totals, Transaction,
    TransactionId, TxType,
};

use crate::services::SyncTrigger;
use crate::{
    BranchIdentity, Clock, Ledger, LedgerError, ListQuery, Outbox, OutboxCounts, Page, PushOutcome,
    Recorded, SyncActivity, SyncCredentials, SyncSettings, UsedCategory,
};

#[async_trait]
impl<T: Ledger + ?Sized> Ledger for Arc<T> {
    async fn record(&self, tx: NewTransaction) -> Result<Recorded, LedgerError> {
        (**self).record(tx).await
    }
    async fn get(&self, id: TransactionId) -> Result<Option<Transaction>, LedgerError> {
        (**self).get(id).await
    }
    async fn list(&self, query: &ListQuery) -> Result<Page<Transaction>, LedgerError> {
        (**self).list(query).await
    }
    async fn totals(&self, range: DateRange) -> Result<Totals, LedgerError> {
        (**self).totals(range).await
    }
    async fn daily(&self, range: DateRange) -> Result<(i64, Vec<DayTotals>), LedgerError> {
        (**self).daily(range).await
    }
    async fn category_totals(
        &self,
        range: DateRange,
        tx_type: Option<TxType>,
    ) -> Result<Vec<CategoryTotal>, LedgerError> {
        (**self).category_totals(range, tx_type).await
    }
    async fn used_categories(&self, limit: u32) -> Result<Vec<UsedCategory>, LedgerError> {
        (**self).used_categories(limit).await
    }
}

#[async_trait]
impl<T: Outbox + ?Sized> Outbox for Arc<T> {
    async fn pending(&self, limit: u32) -> Result<Vec<Transaction>, LedgerError> {
        (**self).pending(limit).await
    }
    async fn apply_outcome(
        &self,
        outcome: &PushOutcome,
        at: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        (**self).apply_outcome(outcome, at).await
    }
    async fn counts(&self) -> Result<OutboxCounts, LedgerError> {
        (**self).counts().await
    }
    async fn retry_rejected(&self) -> Result<u64, LedgerError> {
        (**self).retry_rejected().await
    }
    async fn assign_branch(&self, branch: BranchId) -> Result<u64, LedgerError> {
        (**self).assign_branch(branch).await
    }
}

#[async_trait]
impl<T: SyncSettings + ?Sized> SyncSettings for Arc<T> {
    async fn credentials(&self) -> Result<Option<SyncCredentials>, LedgerError> {
        (**self).credentials().await
    }
    async fn identity(&self) -> Result<Option<BranchIdentity>, LedgerError> {
        (**self).identity().await
    }
    async fn activate(
        &self,
        credentials: &SyncCredentials,
        identity: Option<BranchIdentity>,
    ) -> Result<(), LedgerError> {
        (**self).activate(credentials, identity).await
    }
    async fn activity(&self) -> Result<SyncActivity, LedgerError> {
        (**self).activity().await
    }
    async fn record_activity(&self, activity: &SyncActivity) -> Result<(), LedgerError> {
        (**self).record_activity(activity).await
    }
}

impl<T: Clock + ?Sized> Clock for Arc<T> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

impl<T: SyncTrigger + ?Sized> SyncTrigger for Arc<T> {
    fn trigger(&self) {
        (**self).trigger();
    }
}
