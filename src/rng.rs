//! SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference constants): the one hand-written
//! seeded generator, for what must come out the same on every run, machine and dependency
//! version — the distribution chart's jitter, the demo and benchmark data of `examples/`, and
//! the seeded inputs of property-style tests.
//!
//! Statistical resampling (bootstrap, Monte-Carlo permutations, the cohort search) uses
//! `rand_chacha` instead and must not move here. Never change a constant or the order of the
//! draws below: files and figures that users keep were made from these exact sequences.

/// A SplitMix64 state; `SplitMix64(seed)` starts the sequence of `seed`.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on [0, 1) with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform on [lo, hi) with 53 random bits.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next_f64()
    }

    /// An integer in [lo, hi] (by a modulo: slightly uneven for huge ranges, fine for data).
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }

    /// Normal(mean, sd) by Box–Muller with u1 in [ε, 1).
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u1 = self.uniform(f64::EPSILON, 1.0);
        let u2 = self.uniform(0.0, 1.0);
        mean + sd * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// Standard normal by Box–Muller with u1 in (0, 1] (the benchmark cohorts' draw).
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(0.0, 1.0);
        let u2 = self.uniform(0.0, 1.0);
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    /// The first outputs for seed 0 from Vigna's reference C implementation (splitmix64.c).
    #[test]
    fn reference_sequence() {
        let mut r = SplitMix64(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
    }
}
