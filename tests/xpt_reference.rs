//! The SAS transport reader (`trialstat::data::xpt`) against R `haven::read_xpt`:
//! - the CDISC pilot's ADaM files in `../shared/reference/cdiscpilot01/` (`*.xpt` with the CSV
//!   conversions made by `haven::read_xpt`): every value equal, numbers bit for bit, strings with
//!   trailing blanks removed, missing as missing; SAS dates (DATE formats) as haven's ISO dates;
//! - the edge cases of `tests/reference/xpt/make_edge_cases.R` (`edge_v5.xpt`, `edge_v8.xpt`,
//!   `edge_values.csv`).

use std::path::{Path, PathBuf};
use trialstat::data::xpt::{read_file, XptColumn, XptMember};

fn pilot(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/cdiscpilot01");
    assert!(
        dir.is_dir(),
        "{}: the CDISC pilot reference data are expected beside the repository",
        dir.display()
    );
    dir.join(name)
}

/// Days from 1960-01-01 (SAS's day 0) to an ISO date.
fn sas_day(iso: &str) -> Option<f64> {
    let p: Vec<i64> = iso
        .split('-')
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    let (y, m, d) = (p[0], p[1], p[2]);
    // days from civil (H. Hinnant's algorithm)
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let unix = era * 146097 + doe - 719468;
    Some((unix + 3653) as f64)
}

/// Compare a member with haven's CSV; returns the number of values checked.
fn compare(member: &XptMember, csv_path: &Path) -> usize {
    let mut rdr = csv::Reader::from_path(csv_path).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let names: Vec<&str> = member.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(header, names, "{}", csv_path.display());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), member.n_obs, "{}", csv_path.display());
    let mut checked = 0;
    for (j, (var, column)) in member.variables.iter().zip(&member.columns).enumerate() {
        for (i, row) in rows.iter().enumerate() {
            let want = &row[j];
            let at = format!("{} row {} {}", csv_path.display(), i + 1, var.name);
            match column {
                XptColumn::Numeric(values) => {
                    let got = values[i];
                    if want.is_empty() || want == "NA" {
                        assert!(got.is_nan(), "{at}: expected missing, got {got}");
                    } else if want == "Inf" || want == "-Inf" {
                        // haven reads the largest IBM number as ±Inf; we convert it exactly.
                        assert!(got.abs() > 7.2e75, "{at}: {got}");
                    } else if let Ok(x) = want.parse::<f64>() {
                        assert_eq!(got.to_bits(), x.to_bits(), "{at}: {got:e} vs {want}");
                    } else if let Some(day) = sas_day(want) {
                        assert_eq!(got, day, "{at}: SAS date {got} vs {want}");
                    } else {
                        panic!("{at}: unexpected CSV value {want:?}");
                    }
                }
                XptColumn::Character(values) => {
                    assert_eq!(values.get(i), want.trim_end(), "{at}");
                }
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn cdisc_pilot_files_equal_havens_reading() {
    let mut checked = 0;
    for name in ["adsl", "adcibc", "adtte", "adae"] {
        let file = read_file(&pilot(&format!("{name}.xpt"))).unwrap();
        assert_eq!(file.members.len(), 1);
        let member = &file.members[0];
        assert_eq!(member.name.to_ascii_lowercase(), name);
        checked += compare(member, &pilot(&format!("{name}.csv")));
    }
    assert!(checked > 100_000, "{checked}");
}

#[test]
fn pilot_labels_are_kept() {
    let file = read_file(&pilot("adsl.xpt")).unwrap();
    let m = &file.members[0];
    assert_eq!(
        m.label, "",
        "the pilot's data sets carry no label (haven reads none)"
    );
    let usubjid = m.variables.iter().find(|v| v.name == "USUBJID").unwrap();
    assert_eq!(usubjid.label, "Unique Subject Identifier");
}

#[test]
fn edge_cases_equal_havens_reading() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/xpt");
    let v5 = read_file(&dir.join("edge_v5.xpt")).unwrap();
    let m = &v5.members[0];
    assert_eq!((m.name.as_str(), m.label.as_str()), ("EDGE", "Edge cases"));
    assert_eq!(m.variables[0].label, "Patient identifier");
    let checked = compare(m, &dir.join("edge_values.csv"));
    assert_eq!(checked, 40);
    // version 8: the same values under a 28-character name
    let v8 = read_file(&dir.join("edge_v8.xpt")).unwrap();
    assert_eq!(v8.version, trialstat::data::xpt::XptVersion::V8);
    let m8 = &v8.members[0];
    assert_eq!(m8.variables[7].name, "LONG_CHARACTER_VARIABLE_NAME");
    // NaN is not equal to itself: compare the debug text (NaN prints as NaN).
    assert_eq!(format!("{:?}", m8.columns), format!("{:?}", m.columns));
}
