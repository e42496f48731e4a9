//! Number text for machine-readable output.

/// The shortest text that reads back to the same f64: Rust's shortest round-trip digits, in
/// plain or exponent notation, whichever is shorter. Infinities are `inf` and `-inf`.
pub fn shortest(x: f64) -> String {
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // -0.0 is written as 0: an estimate of "minus zero" only confuses.
    let x = if x == 0.0 { 0.0 } else { x };
    let plain = format!("{x}");
    let exp = format!("{x:e}");
    if exp.len() < plain.len() {
        exp
    } else {
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_is_short() {
        for x in [0.1, -52.3, 1e-300, 123456789.0, 1.0 / 3.0, 1e21, -0.0, 5e-7] {
            let s = shortest(x);
            assert_eq!(
                s.parse::<f64>().unwrap(),
                if x == 0.0 { 0.0 } else { x },
                "{s}"
            );
        }
        assert_eq!(shortest(1e-7), "1e-7");
        assert_eq!(shortest(0.25), "0.25");
        assert_eq!(shortest(f64::NEG_INFINITY), "-inf");
        assert_eq!(shortest(-0.0), "0");
    }
}
