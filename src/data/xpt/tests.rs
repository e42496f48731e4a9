//! The reader against files written here from the published layout (several members, short
//! numbers, `._`), truncations and seeded byte mutations. The comparison with haven's reading of
//! real and edge-case files is in `tests/xpt_reference.rs`.

use super::ibm::encode;
use super::*;

/// A variable for [`write_v5`]: name, label, numeric?, length.
pub(super) struct Var<'a>(pub &'a str, pub &'a str, pub bool, pub usize);

/// A value for [`write_v5`].
pub(super) enum Val<'a> {
    Num(f64),
    /// A missing value by its letter (`.`, `A`–`Z`, `_`).
    Miss(u8),
    Text(&'a str),
}

fn pad(out: &mut Vec<u8>, s: &str, n: usize) {
    let mut b = s.as_bytes().to_vec();
    b.resize(n, b' ');
    out.extend_from_slice(&b[..n]);
}

fn header(out: &mut Vec<u8>, name: &str, tail: &str) {
    let mut r = format!("HEADER RECORD*******{name:<8}HEADER RECORD!!!!!!!{tail}");
    while r.len() < 80 {
        r.push(' ');
    }
    out.extend_from_slice(r.as_bytes());
}

fn pad_record(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(80) {
        out.push(b' ');
    }
}

/// A version 5 transport file by TS-140: members of (name, label, variables, rows).
/// A member for [`write_v5`]: name, label, variables, rows.
pub(super) type Member<'a> = (&'a str, &'a str, Vec<Var<'a>>, Vec<Vec<Val<'a>>>);

pub(super) fn write_v5(members: &[Member]) -> Vec<u8> {
    let mut out = Vec::new();
    header(&mut out, "LIBRARY", &"0".repeat(30));
    pad(&mut out, "SAS     SAS     SASLIB  9.4     X64_SR12", 80);
    pad(&mut out, "01JAN26:00:00:00", 80);
    for (name, label, vars, rows) in members {
        header(&mut out, "MEMBER", "000000000000000001600000000140");
        header(&mut out, "DSCRPTR", &"0".repeat(30));
        let mut r = Vec::new();
        pad(&mut r, "SAS", 8);
        pad(&mut r, name, 8);
        pad(&mut r, "SASDATA 9.4     X64_SR12", 80 - 16);
        out.extend_from_slice(&r);
        let mut r = Vec::new();
        pad(&mut r, "01JAN26:00:00:00", 32);
        pad(&mut r, label, 40);
        pad(&mut r, "", 8);
        out.extend_from_slice(&r);
        header(
            &mut out,
            "NAMESTR",
            &format!("000000{:04}00000000000000000000", vars.len()),
        );
        let mut pos = 0;
        for (i, Var(vname, vlabel, numeric, len)) in vars.iter().enumerate() {
            let mut ns = Vec::new();
            ns.extend_from_slice(&(if *numeric { 1u16 } else { 2 }).to_be_bytes());
            ns.extend_from_slice(&0u16.to_be_bytes());
            ns.extend_from_slice(&(*len as u16).to_be_bytes());
            ns.extend_from_slice(&(i as u16 + 1).to_be_bytes());
            pad(&mut ns, vname, 8);
            pad(&mut ns, vlabel, 40);
            pad(&mut ns, "", 8);
            ns.extend_from_slice(&[0; 6]);
            ns.extend_from_slice(&[0; 2]);
            pad(&mut ns, "", 8);
            ns.extend_from_slice(&[0; 4]);
            ns.extend_from_slice(&(pos as u32).to_be_bytes());
            ns.resize(140, 0);
            out.extend_from_slice(&ns);
            pos += len;
        }
        pad_record(&mut out);
        header(&mut out, "OBS", &"0".repeat(30));
        for row in rows {
            for (Var(_, _, _, len), v) in vars.iter().zip(row) {
                match v {
                    Val::Num(x) => out.extend_from_slice(&encode(*x)[..*len]),
                    Val::Miss(c) => {
                        out.push(*c);
                        out.extend(std::iter::repeat_n(0, len - 1));
                    }
                    Val::Text(s) => pad(&mut out, s, *len),
                }
            }
        }
        pad_record(&mut out);
    }
    out
}

fn two_members() -> Vec<u8> {
    write_v5(&[
        (
            "ADVS",
            "Vital signs",
            vec![
                Var("USUBJID", "Subject", false, 12),
                Var("AVAL", "Analysis value", true, 8),
                Var("SHORT3", "Three bytes", true, 3),
                Var("SHORT5", "", true, 5),
            ],
            vec![
                vec![
                    Val::Text("01-001"),
                    Val::Num(0.0),
                    Val::Num(12.0),
                    Val::Num(-0.5),
                ],
                vec![
                    Val::Text("01-002  "),
                    Val::Miss(b'_'),
                    Val::Miss(b'.'),
                    Val::Miss(b'Q'),
                ],
                vec![
                    Val::Text(""),
                    Val::Num(-1e-10),
                    Val::Num(4096.0),
                    Val::Num(100.25),
                ],
            ],
        ),
        (
            "ADSL",
            "Subject level",
            vec![Var("USUBJID", "", false, 8), Var("AGE", "Age", true, 8)],
            vec![vec![Val::Text("01-001"), Val::Num(63.0)]],
        ),
    ])
}

fn numeric(m: &XptMember, i: usize) -> &[f64] {
    match &m.columns[i] {
        XptColumn::Numeric(v) => v,
        XptColumn::Character(_) => panic!("not numeric"),
    }
}

fn chars(m: &XptMember, i: usize) -> &CharColumn {
    match &m.columns[i] {
        XptColumn::Character(c) => c,
        XptColumn::Numeric(_) => panic!("not character"),
    }
}

#[test]
fn several_members_short_numbers_and_every_missing_value() {
    let file = parse(&two_members()).unwrap();
    assert_eq!(file.version, XptVersion::V5);
    assert_eq!(file.members.len(), 2);
    let m = &file.members[0];
    assert_eq!(
        (m.name.as_str(), m.label.as_str(), m.n_obs),
        ("ADVS", "Vital signs", 3)
    );
    assert_eq!(m.variables[1].label, "Analysis value");
    assert_eq!(m.variables[2].length, 3);
    let ids = chars(m, 0);
    assert_eq!(
        (ids.get(0), ids.get(1), ids.get(2)),
        ("01-001", "01-002", "")
    );
    let aval = numeric(m, 1);
    assert_eq!(aval[0].to_bits(), 0f64.to_bits());
    assert!(aval[1].is_nan());
    assert_eq!(aval[2], -1e-10);
    let s3 = numeric(m, 2);
    assert_eq!(s3[0], 12.0);
    assert!(s3[1].is_nan());
    assert_eq!(s3[2], 4096.0);
    let s5 = numeric(m, 3);
    assert_eq!((s5[0], s5[2]), (-0.5, 100.25));
    assert!(s5[1].is_nan());
    let adsl = &file.members[1];
    assert_eq!((adsl.name.as_str(), adsl.n_obs), ("ADSL", 1));
    assert_eq!(numeric(adsl, 1), &[63.0]);
}

#[test]
fn blank_padding_is_not_an_observation() {
    // obs length 10: 3 observations take 30 bytes, padded with 50 blanks (5 blank "observations").
    let f = write_v5(&[(
        "T",
        "",
        vec![Var("C", "", false, 10)],
        vec![
            vec![Val::Text("a")],
            vec![Val::Text("b")],
            vec![Val::Text("c")],
        ],
    )]);
    assert_eq!(parse(&f).unwrap().members[0].n_obs, 3);
}

#[test]
fn not_xpt_and_truncated_files_are_errors_not_panics() {
    assert!(parse(b"patient_id,arm\n1,a\n")
        .unwrap_err()
        .contains("not a SAS transport file"));
    assert!(parse(b"").is_err());
    let full = two_members();
    let mut errors = 0;
    for cut in 0..full.len() {
        // Cut at a record boundary that is also an observation boundary, a file is a shorter
        // valid file (version 5 stores no count); anywhere else it must be an error (a partial
        // observation is not blank padding).
        if let Err(e) = parse(&full[..cut]) {
            assert!(!e.is_empty());
            errors += 1;
        }
    }
    assert!(errors > full.len() * 9 / 10, "{errors} of {}", full.len());
    let e = parse(&full[..full.len() - 7]).unwrap_err();
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn seeded_byte_mutations_never_panic() {
    let full = two_members();
    let mut state = 42u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for _ in 0..20_000 {
        let mut f = full.clone();
        for _ in 0..1 + next() % 4 {
            let i = next() % f.len();
            f[i] = (next() % 256) as u8;
        }
        let _ = parse(&f);
    }
}
