//! Members' statements with where each share, team and peer amount came from ("why did I get
//! this", SPEC §3 step 4), recomputed from the branches a settlement stored by the rules of the
//! statement's day: the parameter history is read once for all the statements of a request.
use crate::domain::day::BusinessDay;
use crate::domain::params::Params;
use crate::domain::phone::Phone;
use crate::graph::params::ParamsHistory;
use crate::graph::settlements::days;
use crate::graph::settlements::statements::{self, StatementRow};
use crate::graph::{Graph, GraphError, GraphResult};
use crate::settlement::rules::Rules;
use crate::settlement::sources::{Sources, sources};

/// The parameter versions the statements of a request were settled with.
pub struct DayParams {
    history: ParamsHistory,
}

impl DayParams {
    pub async fn load(graph: &Graph) -> GraphResult<DayParams> {
        Ok(DayParams { history: crate::graph::params::history(graph).await? })
    }

    /// The version in force on `day`.
    pub fn on(&self, day: BusinessDay) -> &Params {
        &self.history.in_force(day).params
    }

    fn version(&self, version: i64) -> GraphResult<&Params> {
        self.history.version(version).map(|v| &v.params).ok_or_else(|| GraphError::Corrupt(format!("parameter version {version} is gone")))
    }

    /// `statement` with its sources by the rules of version `params_version` (its day's).
    fn explain(&self, statement: StatementRow, params_version: i64) -> GraphResult<Explained> {
        let params = self.version(params_version)?.clone();
        let sources = sources(&Rules::of(&params), statement.tier_rank, &statement.branches);
        Ok(Explained { statement, params_version, params, sources })
    }
}

/// A statement with the sources of its accelerated release.
pub struct Explained {
    pub statement: StatementRow,
    /// The version the statement's day was settled with.
    pub params_version: i64,
    pub params: Params,
    pub sources: Sources<String>,
}

/// A member's statement of `day` with its sources; `None` without one.
pub async fn explained(graph: &Graph, phone: &Phone, day: BusinessDay) -> GraphResult<Option<Explained>> {
    let Some(statement) = statements::get(graph, phone.as_str(), day).await? else { return Ok(None) };
    let settlement =
        days::get(graph, day).await?.ok_or_else(|| GraphError::Corrupt(format!("the statement of {day} has no settlement")))?;
    Ok(Some(DayParams::load(graph).await?.explain(statement, settlement.params_version)?))
}

/// A member's statements from `from` to `to` with their sources, the latest first: one read of
/// the statements, one of the settlements of the range, one of the parameter history.
pub async fn explained_range(graph: &Graph, phone: &Phone, from: BusinessDay, to: BusinessDay) -> GraphResult<Vec<Explained>> {
    let rows = statements::of_member(graph, phone.as_str(), from, to).await?;
    let span = (to.date() - from.date()).num_days();
    let settlements = days::history(graph, Some(to.succ()), span + 1).await?;
    let params = DayParams::load(graph).await?;
    rows.into_iter()
        .map(|statement| {
            let day = statement.day;
            let settlement = settlements
                .iter()
                .find(|s| s.day == day)
                .ok_or_else(|| GraphError::Corrupt(format!("the statement of {day} has no settlement")))?;
            params.explain(statement, settlement.params_version)
        })
        .collect()
}
