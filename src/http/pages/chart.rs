//! The stacked bar chart of daily releases by kind (static, share, team, peer), with what the
//! pools could not pay (forfeited) outlined on top, drawn as inline SVG without JavaScript, over
//! gridlines at a quarter, half, three quarters and all of the highest day: the admin dashboard
//! shows the whole scheme's days, the member dashboard a member's own. The template partial is
//! `templates/chart.html`; it reads `chart` and `chrome.t`.
use crate::graph::settlements::days::SettlementRow;

/// What one day released, by the kinds the chart stacks.
pub struct DayReleases {
    pub day: String,
    pub static_fen: i64,
    /// Share income, generations 1 and 2 together.
    pub share_fen: i64,
    pub team_fen: i64,
    pub peer_fen: i64,
    /// Share income the pools could not pay.
    pub forfeited_fen: i64,
}

impl DayReleases {
    /// What the day stacks, bottom up: the four kinds released, then what was forfeited.
    fn amounts(&self) -> [i64; 5] {
        [self.static_fen, self.share_fen, self.team_fen, self.peer_fen, self.forfeited_fen]
    }

    /// What the day released (the forfeited part left out).
    fn released(&self) -> i64 {
        self.amounts()[..4].iter().sum()
    }
}

impl From<&SettlementRow> for DayReleases {
    fn from(d: &SettlementRow) -> Self {
        let fen = d.totals.map(|amount| amount.fen());
        DayReleases {
            day: d.day.to_string(),
            static_fen: fen.r#static,
            share_fen: fen.share_g1 + fen.share_g2,
            team_fen: fen.team,
            peer_fen: fen.peer,
            forfeited_fen: fen.forfeited,
        }
    }
}

/// One day's stacked bar of the chart, bottom up.
pub struct ChartBar {
    pub x: i64,
    pub label: String,
    /// What the day released, and what it forfeited.
    pub total_fen: i64,
    pub forfeited_fen: i64,
    /// (top, height, kind) of every segment.
    pub segments: Vec<(i64, i64, &'static str)>,
}

/// The chart as the partial draws it.
pub struct Chart {
    pub bars: Vec<ChartBar>,
    pub width: i64,
    pub height: i64,
    /// The highest day's total, written at the top of the axis.
    pub max_fen: i64,
    /// The gridlines: (y, the amount they stand for in fen), from the top down.
    pub grid: Vec<(i64, i64)>,
}

const CHART_HEIGHT: i64 = 180;
const BAR_STEP: i64 = 24;
/// What the chart stacks, bottom up, by CSS class: the kinds of release, then the forfeited part.
const KINDS: [&str; 5] = ["static", "share", "team", "peer", "forfeited"];

/// The chart of `days`, newest first (as the history reads them); drawn oldest on the left.
pub fn chart(days: &[DayReleases]) -> Chart {
    let highest = days.iter().map(|d| d.amounts().iter().sum::<i64>()).max().unwrap_or(0);
    let scale = highest.max(1);
    let bars = days
        .iter()
        .rev()
        .enumerate()
        .map(|(i, day)| {
            let mut top = CHART_HEIGHT;
            let segments = day
                .amounts()
                .iter()
                .zip(KINDS)
                .map(|(fen, kind)| {
                    let height = i64::try_from(i128::from(*fen) * i128::from(CHART_HEIGHT) / i128::from(scale)).unwrap_or(0);
                    top -= height;
                    (top, height, kind)
                })
                .collect();
            ChartBar {
                x: i as i64 * BAR_STEP,
                label: day.day.get(5..).unwrap_or(&day.day).to_string(),
                total_fen: day.released(),
                forfeited_fen: day.forfeited_fen,
                segments,
            }
        })
        .collect();
    let grid =
        if highest == 0 { Vec::new() } else { (1..=4).rev().map(|q| (CHART_HEIGHT - CHART_HEIGHT * q / 4, highest * q / 4)).collect() };
    // Room for 30 days whatever the history, so that a few bars keep their size.
    Chart { bars, width: 30 * BAR_STEP, height: CHART_HEIGHT, max_fen: highest, grid }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(day: &str, static_fen: i64, share_fen: i64) -> DayReleases {
        DayReleases { day: day.into(), static_fen, share_fen, team_fen: 0, peer_fen: 0, forfeited_fen: 0 }
    }

    #[test]
    fn the_highest_day_fills_the_height_and_the_oldest_day_is_drawn_first() {
        let c = chart(&[day("2026-01-02", 200, 200), day("2026-01-01", 100, 0)]);
        assert_eq!(c.max_fen, 400);
        assert_eq!(c.bars[0].label, "01-01");
        assert_eq!(c.bars[1].segments[0], (90, 90, "static"));
        assert_eq!(c.bars[1].segments[1], (0, 90, "share"));
        assert_eq!(c.bars[0].segments[0], (135, 45, "static"));
        assert_eq!(c.grid, [(0, 400), (45, 300), (90, 200), (135, 100)], "gridlines at each quarter of the highest day");
    }

    #[test]
    fn what_was_forfeited_is_stacked_on_top_and_not_counted_as_released() {
        let mut forfeiting = day("2026-01-01", 100, 100);
        forfeiting.forfeited_fen = 200;
        let c = chart(&[forfeiting]);
        assert_eq!(c.max_fen, 400, "the bar's height holds the forfeited part");
        assert_eq!((c.bars[0].total_fen, c.bars[0].forfeited_fen), (200, 200));
        assert_eq!(c.bars[0].segments[4], (0, 90, "forfeited"));
    }
}
