//! The results-table contract in the repository (`docs/results-table.md`) against the names the
//! code can emit (`src/analysis/row.rs`): a name added in code without its documentation, or a
//! documented name whose spelling drifted, fails here.

use trialstat::analysis::{Estimand, Measure, Method, RateStat, Response};

fn contract() -> String {
    std::fs::read_to_string("docs/results-table.md").expect("docs/results-table.md")
}

/// The part of the contract that lists what is emitted today.
fn emitted_part(doc: &str) -> &str {
    let at = doc
        .find("# Part 2")
        .expect("docs/results-table.md has a Part 2");
    &doc[at..]
}

#[test]
fn every_method_and_estimand_the_code_can_emit_is_documented() {
    let doc = contract();
    let part2 = emitted_part(&doc);
    let mut checked = 0;
    for m in Method::ALL {
        let name = format!("`{}`", m.name());
        assert!(
            part2.contains(&name),
            "method {name} is not in docs/results-table.md"
        );
        checked += 1;
    }
    for m in Measure::ALL {
        let name = format!("`{}`", m.name());
        assert!(
            part2.contains(&name),
            "estimand {name} is not in docs/results-table.md"
        );
        checked += 1;
    }
    for s in RateStat::ALL {
        for response in [Response::Responder(50.0), Response::Clearance] {
            let e = Estimand::Response(response, *s);
            let spelled = match response {
                Response::Responder(_) => format!("`responder{{P}}_{}`", s.name()),
                Response::Clearance | Response::Named(_) => format!("`{e}`"),
            };
            let alt = format!("`{e}`");
            assert!(
                part2.contains(&spelled) || part2.contains(&alt),
                "estimand {spelled} is not in docs/results-table.md"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        Method::ALL.len() + Measure::ALL.len() + 2 * RateStat::ALL.len()
    );
    assert!(checked >= 45, "{checked}");
}

#[test]
fn names_the_shared_contract_requires_are_spelled_as_there() {
    // The names of "Names that must exist" of the contract, parsed back into the typed enums.
    let doc = contract();
    let part1 = &doc[..doc.find("# Part 2").unwrap()];
    let must = &part1[part1.find("### Names that must exist").unwrap()..];
    let must = &must[..must.find("Added with the issues").unwrap()];
    let mut checked = 0;
    for line in must
        .lines()
        .filter(|l| l.starts_with("| ") && !l.contains("---"))
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (estimand, method) = (cells[1], cells[2]);
        if estimand == "estimand" {
            continue;
        }
        let estimand = estimand.replace("{P}", "50");
        assert!(
            estimand.parse::<Estimand>().is_ok(),
            "estimand {estimand} does not parse"
        );
        assert!(
            method.parse::<Method>().is_ok(),
            "method {method} does not parse"
        );
        checked += 1;
    }
    assert!(checked >= 14, "{checked}");
}

#[test]
fn part_one_is_the_shared_contract_when_it_is_beside_the_repository() {
    let Ok(shared) = std::fs::read_to_string("../shared/RESULTS.md") else {
        eprintln!("../shared/RESULTS.md is not beside this checkout: nothing to compare");
        return;
    };
    let doc = contract();
    let body = shared
        .split_once('\n')
        .unwrap()
        .1
        .replace("\n## ", "\n### ");
    assert!(
        doc.contains(body.trim()),
        "docs/results-table.md part 1 differs from ../shared/RESULTS.md: copy it again"
    );
}
