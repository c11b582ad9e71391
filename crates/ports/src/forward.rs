//! Ports implemented for `Arc<T>`, so services can hold shared (or type-erased) adapters.

use std::sync::Arc;

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{
    Branch, BranchCode, BranchId, CategoryTotal, DateRange, DayTotals, KeyHash, NewTransaction,
    Totals, Transaction, TransactionId, TxType,
};

use crate::services::SyncTrigger;
use crate::{
    BranchDirectory, BranchIdentity, Clock, GatewayError, HqError, HqLedger, IngestOutcome, Ledger,
    LedgerError, ListQuery, NewBranch, Outbox, OutboxCounts, Page, PushOutcome, PushReply,
    Recorded, SyncActivity, SyncCredentials, SyncGateway, SyncSettings, UsedCategory,
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

#[async_trait]
impl<T: BranchDirectory + ?Sized> BranchDirectory for Arc<T> {
    async fn create(&self, branch: NewBranch) -> Result<Branch, HqError> {
        (**self).create(branch).await
    }
    async fn list(&self) -> Result<Vec<Branch>, HqError> {
        (**self).list().await
    }
    async fn get(&self, id: BranchId) -> Result<Option<Branch>, HqError> {
        (**self).get(id).await
    }
    async fn find_by_code(&self, code: &BranchCode) -> Result<Option<Branch>, HqError> {
        (**self).find_by_code(code).await
    }
    async fn find_by_key(&self, hash: &KeyHash) -> Result<Option<(Branch, KeyHash)>, HqError> {
        (**self).find_by_key(hash).await
    }
    async fn replace_key(&self, id: BranchId, hash: KeyHash) -> Result<Branch, HqError> {
        (**self).replace_key(id, hash).await
    }
    async fn disable(&self, id: BranchId, at: DateTime<Utc>) -> Result<Branch, HqError> {
        (**self).disable(id, at).await
    }
    async fn enable(&self, id: BranchId) -> Result<Branch, HqError> {
        (**self).enable(id).await
    }
    async fn touch(&self, id: BranchId, at: DateTime<Utc>) -> Result<(), HqError> {
        (**self).touch(id, at).await
    }
}

#[async_trait]
impl<T: HqLedger + ?Sized> HqLedger for Arc<T> {
    async fn ingest(
        &self,
        branch: BranchId,
        rows: Vec<NewTransaction>,
        received_at: DateTime<Utc>,
    ) -> Result<IngestOutcome, HqError> {
        (**self).ingest(branch, rows, received_at).await
    }
    async fn list(&self, query: &ListQuery) -> Result<Page<Transaction>, HqError> {
        (**self).list(query).await
    }
    async fn branch_totals(&self, range: DateRange) -> Result<Vec<(BranchId, Totals)>, HqError> {
        (**self).branch_totals(range).await
    }
    async fn daily(
        &self,
        branch: Option<BranchId>,
        range: DateRange,
    ) -> Result<(i64, Vec<DayTotals>), HqError> {
        (**self).daily(branch, range).await
    }
    async fn ping(&self) -> Result<(), HqError> {
        (**self).ping().await
    }
}

#[async_trait]
impl<T: SyncGateway + ?Sized> SyncGateway for Arc<T> {
    async fn whoami(&self, credentials: &SyncCredentials) -> Result<BranchIdentity, GatewayError> {
        (**self).whoami(credentials).await
    }
    async fn push(
        &self,
        credentials: &SyncCredentials,
        rows: &[Transaction],
    ) -> Result<PushReply, GatewayError> {
        (**self).push(credentials, rows).await
    }
}
