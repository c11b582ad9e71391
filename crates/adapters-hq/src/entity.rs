//! SeaORM entities of the HQ tables, shared by both backends.

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

/// `transactions` at HQ: the branch columns plus `received_at`.
pub(crate) mod transaction {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "transactions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub branch_id: Uuid,
        #[sea_orm(column_name = "type")]
        pub tx_type: String,
        pub category: String,
        pub amount: i64,
        pub description: String,
        pub occurred_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub reverses_id: Option<Uuid>,
        pub received_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
