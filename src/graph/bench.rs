//! What `greenpoints bench` writes to measure the I/O floor of a settlement: a day's rows created
//! as plain nodes (`FloorRow`), nothing matched, merged or computed, then deleted.
use serde::Deserialize;

use super::settlements::runs::Batch;
use super::{Graph, GraphResult, bolt_rows};
use crate::cypher;
use crate::domain::day::BusinessDay;

#[derive(Deserialize)]
struct Count {
    #[allow(dead_code)]
    written: i64,
}

/// Writes one batch's statements and orders as plain rows, in one transaction as the run does.
pub async fn write_floor(graph: &Graph, day: BusinessDay, batch: &Batch) -> GraphResult<()> {
    let statements = bolt_rows(&batch.statements)?;
    let orders = (!batch.orders.is_empty()).then(|| bolt_rows(&batch.orders)).transpose()?;
    graph
        .without_deadline()
        .transaction(move |txn| {
            let (statements, orders) = (statements.clone(), orders.clone());
            Box::pin(async move {
                txn.row::<Count>(cypher!("bench/floor_statements").param("day", day.to_string()).param("rows", statements)).await?;
                if let Some(orders) = orders {
                    txn.row::<Count>(cypher!("bench/floor_orders").param("rows", orders)).await?;
                }
                Ok::<_, super::GraphError>(())
            })
        })
        .await
}

/// Deletes every row [`write_floor`] wrote, in batches.
pub async fn clear_floor(graph: &Graph) -> GraphResult<()> {
    #[derive(Deserialize)]
    struct Deleted {
        deleted: i64,
    }
    const LIMIT: i64 = 10_000;
    loop {
        let deleted = graph.without_deadline().row::<Deleted>(cypher!("bench/floor_clear").param("limit", LIMIT)).await?;
        if deleted.is_none_or(|d| d.deleted < LIMIT) {
            return Ok(());
        }
    }
}
