//! IBM System/370 hexadecimal floating point, as SAS transport files store numbers (SAS
//! technical support note TS-140, "The record layout of a data set in SAS transport (XPORT)
//! format"): a sign bit, a 7-bit exponent of 16 in excess 64, and a 56-bit fraction; a value is
//! `±0.fraction × 16^(exponent − 64)`. Variables may be stored in 2 to 8 bytes: the bytes kept
//! are the leading ones, the rest are zero.
//!
//! The conversion is exact wherever IEEE double precision can hold the value (every value that
//! SAS wrote from an IEEE double, whose 53 significant bits fit in the 56-bit fraction), and
//! otherwise rounds the fraction to the nearest double (ties to even). A zero fraction is zero
//! — never 16^−65 ≈ 5.4e−79, the slip of converters that add the implied bit of IEEE — or,
//! with the first byte `.`, `A`–`Z` or `_`, one of SAS's missing values.
//!
//! Pure numerics on bytes: it must not know files or records.

/// A stored number: a value or one of SAS's 28 missing values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SasNumber {
    Value(f64),
    /// The missing value's letter: `.` (ordinary), `A`–`Z` (`.A`–`.Z`) or `_` (`._`).
    Missing(u8),
}

/// 2^k for k in the range of normal doubles, exactly.
fn pow2(k: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// Decode a number stored in `bytes` (1 to 8 bytes; a short number's missing bytes are zero).
/// More than 8 bytes: the first 8 are read.
pub fn decode(bytes: &[u8]) -> SasNumber {
    let mut b = [0u8; 8];
    let n = bytes.len().min(8);
    b[..n].copy_from_slice(&bytes[..n]);
    let word = u64::from_be_bytes(b);
    let fraction = word & 0x00ff_ffff_ffff_ffff;
    if fraction == 0 {
        return match b[0] {
            b'.' | b'A'..=b'Z' | b'_' => SasNumber::Missing(b[0]),
            _ => SasNumber::Value(0.0),
        };
    }
    let exponent = i32::from(b[0] & 0x7f) - 64;
    // value = fraction × 2^(4·exponent − 56); the exponent lies in [−312, 196], all normal doubles,
    // so the multiplication is exact and the only rounding is that of the fraction (56 → 53 bits).
    let magnitude = fraction as f64 * pow2(4 * exponent - 56);
    SasNumber::Value(if b[0] & 0x80 != 0 {
        -magnitude
    } else {
        magnitude
    })
}

/// Decode to a double, missing values as NaN.
pub fn decode_f64(bytes: &[u8]) -> f64 {
    match decode(bytes) {
        SasNumber::Value(v) => v,
        SasNumber::Missing(_) => f64::NAN,
    }
}

/// Encode a finite double as 8 IBM bytes, truncating bits the fraction cannot hold (none for
/// doubles of magnitude between 16^−65 and 16^63). For tests that write transport files.
#[doc(hidden)]
pub fn encode(x: f64) -> [u8; 8] {
    if x == 0.0 || !x.is_finite() {
        return [0; 8];
    }
    let bits = x.to_bits();
    let sign = (bits >> 63) as u8;
    let exp2 = ((bits >> 52) & 0x7ff) as i32 - 1023; // x = 1.m × 2^exp2
    let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52); // 53 bits
                                                               // x = mantissa × 2^(exp2 − 52) = fraction × 2^(4e − 56) with fraction < 2^56.
    let e = (exp2 + 1).div_euclid(4) + if (exp2 + 1).rem_euclid(4) == 0 { 0 } else { 1 };
    let shift = 4 * e - 56 - (exp2 - 52); // fraction = mantissa >> shift (shift may be negative)
    let fraction = if shift >= 0 {
        mantissa >> shift
    } else {
        mantissa << (-shift)
    };
    let word = (u64::from(sign) << 63) | ((((e + 64) as u64) & 0x7f) << 56) | fraction;
    word.to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples() {
        // TS-140 / SAS's S370FRB format: 128 = 42 80 00 00, −123 = C2 7B 00 00 … (1 = 41 10 …).
        assert_eq!(
            decode(&[0x42, 0x80, 0, 0, 0, 0, 0, 0]),
            SasNumber::Value(128.0)
        );
        assert_eq!(decode(&[0xC2, 0x7B, 0, 0]), SasNumber::Value(-123.0));
        assert_eq!(
            decode(&[0x41, 0x10, 0, 0, 0, 0, 0, 0]),
            SasNumber::Value(1.0)
        );
        assert_eq!(decode(&[0xC1, 0x10]), SasNumber::Value(-1.0));
        assert_eq!(
            decode(&[0x40, 0x80, 0, 0, 0, 0, 0, 0]),
            SasNumber::Value(0.5)
        );
    }

    #[test]
    fn zero_is_zero_not_5_4e_minus_79() {
        assert_eq!(decode(&[0; 8]), SasNumber::Value(0.0));
        assert_eq!(decode(&[0x80, 0, 0, 0, 0, 0, 0, 0]), SasNumber::Value(0.0));
        assert_eq!(decode(&[0; 3]), SasNumber::Value(0.0));
        // the smallest normalised IBM number is 16^−65, not zero
        assert_eq!(
            decode(&[0x00, 0x10, 0, 0, 0, 0, 0, 0]),
            SasNumber::Value(16f64.powi(-65))
        );
    }

    #[test]
    fn missing_values() {
        assert_eq!(
            decode(&[b'.', 0, 0, 0, 0, 0, 0, 0]),
            SasNumber::Missing(b'.')
        );
        assert_eq!(
            decode(&[b'A', 0, 0, 0, 0, 0, 0, 0]),
            SasNumber::Missing(b'A')
        );
        assert_eq!(decode(&[b'Z', 0, 0]), SasNumber::Missing(b'Z'));
        assert_eq!(
            decode(&[b'_', 0, 0, 0, 0, 0, 0, 0]),
            SasNumber::Missing(b'_')
        );
        assert!(decode_f64(&[b'.', 0, 0, 0, 0, 0, 0, 0]).is_nan());
        // a nonzero fraction behind '.' is a (tiny) number, as the format says
        assert!(matches!(decode(&[b'.', 1, 0, 0, 0, 0, 0, 0]), SasNumber::Value(v) if v > 0.0));
    }

    #[test]
    fn round_trip_every_double_sas_can_hold() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut checked = 0;
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let x = f64::from_bits(state);
            if !x.is_finite() || x == 0.0 || x.abs() < 16f64.powi(-65) || x.abs() >= 16f64.powi(63)
            {
                continue;
            }
            let bytes = encode(x);
            assert_eq!(decode(&bytes), SasNumber::Value(x), "{x:e} {bytes:02x?}");
            checked += 1;
        }
        for x in [
            1.0 / 3.0,
            std::f64::consts::PI,
            -123456.789,
            1e-10,
            0.1,
            1e75,
        ] {
            assert_eq!(decode(&encode(x)), SasNumber::Value(x));
            checked += 1;
        }
        assert!(checked > 10_000);
    }

    #[test]
    fn short_lengths_keep_the_leading_bytes() {
        // 3 bytes hold integers up to 2^13 exactly; 4 bytes up to 2^21.
        for len in 2..=8 {
            for x in [0.0, 1.0, -7.0, 4096.0, 0.5] {
                let full = encode(x);
                assert_eq!(decode(&full[..len]), SasNumber::Value(x), "len {len}, {x}");
            }
        }
        // 3.14159… in 3 bytes is truncated, as SAS stores it
        let pi3 = decode_f64(&encode(std::f64::consts::PI)[..3]);
        assert!((pi3 - std::f64::consts::PI).abs() < 1e-3 && pi3 != std::f64::consts::PI);
    }
}
