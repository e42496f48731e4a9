//! A simulated cohort: its rows, the grid its values lie on, and its CSV (long or wide), written
//! with the `csv` crate so that a name holding a comma or a quote is quoted, and nothing else is.
//!
//! Nothing here searches or checks claims; [`super::search`] fills the rows.

use super::schema::Scale;

/// One row of the simulated long-format cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct SimRow {
    pub patient_id: String,
    pub arm: String,
    pub visit: String,
    pub week: f64,
    pub endpoint: String,
    /// The value as text, on the scale's grid.
    pub value: String,
}

/// A simulated cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct SimCohort {
    pub rows: Vec<SimRow>,
    /// Moves used (summed over endpoints and attempts).
    pub moves: usize,
    pub attempts: usize,
}

/// The grid of one endpoint: value = units × step, within [min, max].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grid {
    decimals: u32,
    /// step × 10^decimals, an integer.
    step_int: i64,
    pub(crate) min_u: i64,
    max_u: i64,
    /// Baselines drawn from this range of units.
    pub(crate) base_lo: i64,
    pub(crate) base_hi: i64,
}

impl Grid {
    pub(crate) fn from_scale(scale: Option<Scale>) -> Grid {
        let step = scale.and_then(|s| s.step).unwrap_or(0.1);
        let text = format!("{step}");
        let decimals = text.split('.').nth(1).map(|f| f.len() as u32).unwrap_or(0);
        let step_int = (step * 10f64.powi(decimals as i32)).round() as i64;
        let min = scale.and_then(|s| s.min).unwrap_or(0.0);
        let min_u = (min / step).ceil() as i64;
        let (max_u, base_lo, base_hi) = match scale.and_then(|s| s.max) {
            Some(max) => {
                let max_u = (max / step).floor() as i64;
                let lo = (min_u + ((max_u - min_u) as f64 * 0.4).ceil() as i64).max(1);
                (max_u, lo.min(max_u), max_u)
            }
            None => {
                // Unbounded above: baselines of 20–40 steps (1.8–4.2 mm at a step of 0.1).
                let lo = (min_u.max(0) + 18).max(1);
                (i64::MAX / 4, lo, lo + 24)
            }
        };
        Grid {
            decimals,
            step_int,
            min_u,
            max_u,
            base_lo,
            base_hi,
        }
    }
    pub(crate) fn value(&self, u: i64) -> f64 {
        (u * self.step_int) as f64 / 10f64.powi(self.decimals as i32)
    }
    pub(crate) fn text(&self, u: i64) -> String {
        let d = self.decimals as usize;
        format!("{:.d$}", self.value(u))
    }
    pub(crate) fn clamp(&self, u: i64) -> i64 {
        u.clamp(self.min_u, self.max_u)
    }
}

pub(crate) fn visit_week(name: &str, index: usize) -> f64 {
    let lower = name.to_ascii_lowercase();
    if matches!(lower.as_str(), "baseline" | "bl" | "screening-day-0") {
        return 0.0;
    }
    let digits: String = lower
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let x: f64 = digits.parse().unwrap_or(index as f64);
    if lower.starts_with("month") {
        (x * 52.0 / 12.0).round()
    } else if lower.starts_with("day") {
        x / 7.0
    } else {
        x
    }
}

/// The layout of a written cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CohortLayout {
    /// patient_id, arm, visit, week, endpoint, value
    Long,
    /// patient_id, arm, visit, week, one column per endpoint
    Wide,
}

/// The CSV of a cohort in a layout.
pub fn to_csv(c: &SimCohort, layout: CohortLayout) -> String {
    match layout {
        CohortLayout::Long => to_long_csv(c),
        CohortLayout::Wide => to_wide_csv(c),
    }
}

/// A CSV writer into memory: quotes a field only when it holds a comma, a quote or a line
/// break, so that ordinary names come out exactly as written.
fn csv_text(records: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    for record in records {
        w.write_record(&record).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8 fields")
}

fn header(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| f.to_string()).collect()
}

/// The long-format CSV of a cohort.
pub fn to_long_csv(c: &SimCohort) -> String {
    let head = header(&["patient_id", "arm", "visit", "week", "endpoint", "value"]);
    csv_text(std::iter::once(head).chain(c.rows.iter().map(|r| {
        vec![
            r.patient_id.clone(),
            r.arm.clone(),
            r.visit.clone(),
            r.week.to_string(),
            r.endpoint.clone(),
            r.value.clone(),
        ]
    })))
}

/// The wide-format CSV of a cohort (one column per endpoint, in first-seen order).
pub fn to_wide_csv(c: &SimCohort) -> String {
    let mut endpoints: Vec<&str> = Vec::new();
    for r in &c.rows {
        if !endpoints.contains(&r.endpoint.as_str()) {
            endpoints.push(&r.endpoint);
        }
    }
    let mut records = vec![header(&["patient_id", "arm", "visit", "week"])];
    records[0].extend(endpoints.iter().map(|e| e.to_string()));
    let mut i = 0;
    while i < c.rows.len() {
        let r = &c.rows[i];
        let mut vals = vec![String::new(); endpoints.len()];
        let mut j = i;
        while j < c.rows.len() && c.rows[j].patient_id == r.patient_id && c.rows[j].visit == r.visit
        {
            let e = endpoints
                .iter()
                .position(|e| *e == c.rows[j].endpoint)
                .unwrap();
            vals[e] = c.rows[j].value.clone();
            j += 1;
        }
        let mut record = vec![
            r.patient_id.clone(),
            r.arm.clone(),
            r.visit.clone(),
            r.week.to_string(),
        ];
        record.extend(vals);
        records.push(record);
        i = j;
    }
    csv_text(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        patient: &str,
        arm: &str,
        visit: &str,
        week: f64,
        endpoint: &str,
        value: &str,
    ) -> SimRow {
        SimRow {
            patient_id: patient.into(),
            arm: arm.into(),
            visit: visit.into(),
            week,
            endpoint: endpoint.into(),
            value: value.into(),
        }
    }

    /// Ordinary names are written as they are (as the hand-written CSV did); a name with a
    /// comma or a quote is quoted, so the file reads back into the same fields.
    #[test]
    fn quotes_only_fields_that_need_it() {
        let plain = SimCohort {
            rows: vec![
                row("T01", "tofacitinib", "baseline", 0.0, "thickness_mm", "3.1"),
                row("T01", "tofacitinib", "week12", 12.0, "thickness_mm", "1.5"),
                row("T01", "tofacitinib", "week12", 12.0, "itch", "2"),
            ],
            moves: 0,
            attempts: 1,
        };
        assert_eq!(
            to_long_csv(&plain),
            "patient_id,arm,visit,week,endpoint,value\n\
             T01,tofacitinib,baseline,0,thickness_mm,3.1\n\
             T01,tofacitinib,week12,12,thickness_mm,1.5\n\
             T01,tofacitinib,week12,12,itch,2\n"
        );
        assert_eq!(
            to_wide_csv(&plain),
            "patient_id,arm,visit,week,thickness_mm,itch\n\
             T01,tofacitinib,baseline,0,3.1,\n\
             T01,tofacitinib,week12,12,1.5,2\n"
        );
        let odd = SimCohort {
            rows: vec![row("A-01", "drug, 5 mg", "week \"4\"", 4.0, "pain", "1")],
            moves: 0,
            attempts: 1,
        };
        assert_eq!(
            to_long_csv(&odd),
            "patient_id,arm,visit,week,endpoint,value\n\
             A-01,\"drug, 5 mg\",\"week \"\"4\"\"\",4,pain,1\n"
        );
        let wide = to_wide_csv(&odd);
        let mut reader = csv::Reader::from_reader(wide.as_bytes());
        let back = reader.records().next().unwrap().unwrap();
        assert_eq!(&back[1], "drug, 5 mg");
        assert_eq!(&back[2], "week \"4\"");
    }
}
