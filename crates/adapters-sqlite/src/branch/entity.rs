//! SeaORM entity of the branch `transactions` table.

use sea_orm::entity::prelude::*;

/// One row of `transactions`. Times are UTC milliseconds since the epoch.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub branch_id: Option<Uuid>,
    #[sea_orm(column_name = "type")]
    pub tx_type: String,
    pub category: String,
    pub amount: i64,
    pub description: String,
    pub occurred_at: i64,
    pub created_at: i64,
    pub reverses_id: Option<Uuid>,
    pub is_synced: bool,
    pub synced_at: Option<i64>,
    pub sync_error_code: Option<String>,
    pub sync_error_reason: Option<String>,
    pub channel_id: Uuid,
    pub channel_name: String,
    pub recorded_by: Option<Uuid>,
    pub recorded_by_name: Option<String>,
    pub approved_by: Option<Uuid>,
    pub approved_by_name: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
