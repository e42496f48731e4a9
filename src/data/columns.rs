//! The one column resolver: which file column holds the patient id, arm, visit, week,
//! endpoint and value. Names are compared normalised (byte-order mark and white space
//! trimmed, case folded); without a flag, the first alias present is taken (plain names, then
//! CDISC ADaM). Every reader resolves its columns here, so that every format accepts the same
//! names and a missing column is described in the same words.
//!
//! It sees column names only: it must not read files, parse values or know any format.

use super::{Layout, LayoutChoice, ReadOptions};

const ID_ALIASES: &[&str] = &[
    "patient_id",
    "usubjid",
    "subject_id",
    "subjid",
    "patient",
    "subject",
    "id",
];
const ARM_ALIASES: &[&str] = &[
    "arm",
    "trt01a",
    "trta",
    "trt01p",
    "treatment",
    "trt",
    "group",
];
const VISIT_ALIASES: &[&str] = &["visit", "avisit"];
const WEEK_ALIASES: &[&str] = &["week", "avisitn"];
const ENDPOINT_ALIASES: &[&str] = &["endpoint", "paramcd", "param"];
const VALUE_ALIASES: &[&str] = &["value", "aval"];

/// What a name is compared as.
pub(super) fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .trim()
        .to_ascii_lowercase()
}

/// A column name as shown to people: without a byte-order mark.
pub(super) fn display_name(name: &str) -> String {
    name.trim_start_matches('\u{feff}').to_string()
}

/// The columns found, as listed in error messages.
pub(super) fn found(names: &[String]) -> String {
    names
        .iter()
        .map(|n| n.trim_start_matches('\u{feff}').to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The column that plays each role, as far as present.
pub(super) struct Roles {
    pub id: Option<String>,
    pub arm: Option<String>,
    pub visit: Option<String>,
    pub week: Option<String>,
    pub endpoint: Option<String>,
    pub value: Option<String>,
}

/// A column named on the command line that is not among the file's columns.
pub(super) struct NotFound {
    pub name: String,
    pub flag: &'static str,
}

/// The column among `names` that `wanted` names, compared normalised.
pub(super) fn find<'n>(names: &'n [String], wanted: &str) -> Option<&'n String> {
    let want = normalise(wanted);
    names.iter().find(|n| normalise(n) == want)
}

/// One role: the flag's column if given (it must exist), else the first alias present.
pub(super) fn resolve_one(
    names: &[String],
    flag_value: &Option<String>,
    flag: &'static str,
    aliases: &[&str],
) -> Result<Option<String>, NotFound> {
    if let Some(name) = flag_value {
        return match find(names, name) {
            Some(n) => Ok(Some(n.clone())),
            None => Err(NotFound {
                name: name.clone(),
                flag,
            }),
        };
    }
    for alias in aliases {
        if let Some(n) = names.iter().find(|n| normalise(n) == *alias) {
            return Ok(Some(n.clone()));
        }
    }
    Ok(None)
}

/// Every role, in the order the flags are checked (the first flag naming an absent column is
/// the one reported).
pub(super) fn resolve(names: &[String], options: &ReadOptions) -> Result<Roles, NotFound> {
    Ok(Roles {
        id: resolve_one(names, &options.id_col, "--id-col", ID_ALIASES)?,
        arm: resolve_one(names, &options.arm_col, "--arm-col", ARM_ALIASES)?,
        visit: resolve_one(names, &options.visit_col, "--visit-col", VISIT_ALIASES)?,
        week: resolve_one(names, &options.week_col, "--week-col", WEEK_ALIASES)?,
        endpoint: resolve_one(
            names,
            &options.endpoint_col,
            "--endpoint-col",
            ENDPOINT_ALIASES,
        )?,
        value: resolve_one(names, &options.value_col, "--value-col", VALUE_ALIASES)?,
    })
}

impl Roles {
    /// The layout forced, or long when there are endpoint and value columns, else wide.
    pub(super) fn layout(&self, choice: LayoutChoice) -> Layout {
        match choice {
            LayoutChoice::Long => Layout::Long,
            LayoutChoice::Wide => Layout::Wide,
            LayoutChoice::Auto if self.endpoint.is_some() && self.value.is_some() => Layout::Long,
            LayoutChoice::Auto => Layout::Wide,
        }
    }

    /// The roles the layout needs that no column plays, described for an error message.
    pub(super) fn missing(&self, layout: Layout) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.id.is_none() {
            missing.push("a patient id (patient_id or USUBJID, or --id-col)");
        }
        if self.visit.is_none() {
            missing.push("a visit (visit or AVISIT, or --visit-col)");
        }
        if layout == Layout::Long {
            if self.endpoint.is_none() {
                missing.push("an endpoint name (endpoint, PARAMCD or PARAM, or --endpoint-col)");
            }
            if self.value.is_none() {
                missing.push("a value (value or AVAL, or --value-col)");
            }
        }
        missing
    }
}

/// The columns a file is expected to have, for the error when some are missing.
pub(super) const EXPECTED: &str = "long layout: patient_id, arm, visit, [week,] endpoint, value; \
                           wide layout: patient_id, arm, visit, [week,] then one numeric column per endpoint; \
                           CDISC ADaM names USUBJID, TRT01A/TRTA/TRT01P/ARM, AVISIT, AVISITN, PARAMCD/PARAM, AVAL also work";
