//! SeaORM entities of the HQ tables, shared by both backends. Entries go in and out through
//! plain SQL (`ingest`, `reports`): one multi-row statement per push is the point there.

/// `branches`.
pub(crate) mod branch {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "branches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub code: String,
        pub name: String,
        pub api_key_hash: Vec<u8>,
        pub created_at: DateTimeUtc,
        pub disabled_at: Option<DateTimeUtc>,
        pub last_seen_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
