//! Constraints and indexes (`cypher/schema/`), applied idempotently before every command.
use super::{Graph, GraphResult};

macro_rules! schema_file {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/cypher/schema/", $name, ".cypher"))
    };
}

const STATEMENTS: &[&str] = &[
    schema_file!("member_phone"),
    schema_file!("member_root"),
    schema_file!("order_id"),
    schema_file!("order_paid_at"),
    schema_file!("param_version"),
    schema_file!("api_key_id"),
    schema_file!("api_key_hash"),
    schema_file!("admin_username"),
    schema_file!("settlement_day"),
    schema_file!("movement_id"),
    schema_file!("statement_key"),
    schema_file!("statement_phone"),
    schema_file!("audit_at"),
    schema_file!("withdrawal_id"),
    schema_file!("withdrawal_key"),
    schema_file!("session_id_hash"),
    schema_file!("member_phone_reversed"),
    schema_file!("sms_at"),
    schema_file!("sms_code_phone"),
    schema_file!("sms_send_phone"),
    schema_file!("session_subject"),
    schema_file!("throttle_key"),
    schema_file!("sms_limit_phone"),
    schema_file!("adjustment_key"),
    schema_file!("fence_shard"),
    schema_file!("credit_phone"),
    schema_file!("plan_batch_key"),
    schema_file!("order_start_day"),
    schema_file!("order_refund_day"),
    schema_file!("member_invitation_code"),
    schema_file!("team_phone"),
    schema_file!("member_team_dirty"),
    schema_file!("team_volume_key"),
    schema_file!("member_joined_key"),
    schema_file!("member_joined_desc"),
];

/// Creates what is missing of the schema and the default parameter version.
pub async fn apply(graph: &Graph, now_ms: i64) -> GraphResult<()> {
    for statement in STATEMENTS {
        graph.run(neo4rs::query(statement)).await?;
    }
    super::members::backfill_phone_reversed(graph).await?;
    super::members::backfill_invitation_codes(graph).await?;
    super::teams::split_from_members(graph).await?;
    super::members::backfill_list_keys(graph).await?;
    super::teams::ensure(graph, now_ms).await?;
    super::fence::ensure(graph).await?;
    super::params::ensure_default(graph, now_ms).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_schema_file_is_applied() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/cypher/schema");
        let files = std::fs::read_dir(dir).unwrap().count();
        assert_eq!(files, super::STATEMENTS.len(), "a file in cypher/schema is not listed in STATEMENTS");
    }
}
