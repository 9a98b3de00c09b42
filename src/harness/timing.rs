//! Whether two kinds of answer take the same time, as a client sees it.
//!
//! A server that refuses an unknown email faster than a wrong password (it has no password hash
//! to check) tells anyone with a stopwatch which accounts exist. The suite sends many attempts
//! of both kinds side by side, so that both meet the same load, and compares the medians.

use std::time::Duration;

use super::checks::{CheckResult, Failure};

/// The difference between medians that never counts: below it, network and scheduling noise
/// dominate what a remote client measures. Skipping an argon2id hash at OWASP's minimum cost
/// saves tens of milliseconds, well above it.
pub const NOISE_FLOOR: Duration = Duration::from_millis(5);

/// The median of `values` (the mean of the two middle ones for an even count).
pub fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    match values.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2,
    }
}

/// Passes when the medians of `first` and `second` (each a label and its durations) differ by at
/// most [`NOISE_FLOOR`] or a quarter of the slower median, whichever is larger.
pub fn check_same_timing(first: (&str, &[Duration]), second: (&str, &[Duration])) -> CheckResult {
    let median_of = |values: &[Duration]| median(&mut values.to_vec());
    let (a, b) = (median_of(first.1), median_of(second.1));
    let allowed = NOISE_FLOOR.max(a.max(b) / 4);
    if a.abs_diff(b) <= allowed {
        return Ok(());
    }
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    Err(Failure::new(
        "timing",
        "median response time",
        format!(
            "{} and {} within {} of each other",
            first.0,
            second.0,
            ms(allowed)
        ),
        format!(
            "{} {} (of {}), {} {} (of {})",
            first.0,
            ms(a),
            first.1.len(),
            second.0,
            ms(b),
            second.1.len()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().copied().map(Duration::from_millis).collect()
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(median(&mut [ms(5), ms(1), ms(3)]), ms(3));
        assert_eq!(
            median(&mut [ms(4), ms(1), ms(3), ms(2)]),
            Duration::from_micros(2500)
        );
        assert_eq!(median(&mut []), Duration::ZERO);
    }

    #[test]
    fn cheap_answers_within_the_noise_floor_are_the_same() {
        assert!(
            check_same_timing(("known", &ms(&[1, 1, 2])), ("unknown", &ms(&[5, 6, 6]))).is_ok()
        );
    }

    #[test]
    fn slow_answers_may_differ_by_a_quarter() {
        let known = ms(&[80, 82, 84]);
        assert!(check_same_timing(("known", &known), ("unknown", &ms(&[64, 65, 70]))).is_ok());
        assert!(check_same_timing(("known", &known), ("unknown", &ms(&[55, 60, 61]))).is_err());
    }

    #[test]
    fn a_skipped_hash_is_reported_with_both_medians() {
        let failure = check_same_timing(
            ("wrong password", &ms(&[48, 50, 52, 300])),
            ("unknown email", &ms(&[1, 1, 2, 2])),
        )
        .unwrap_err();
        assert_eq!(
            failure.actual,
            "wrong password 51.0 ms (of 4), unknown email 1.5 ms (of 4)"
        );
        assert!(
            failure.expected.contains("within 12.8 ms"),
            "{}",
            failure.expected
        );
    }
}
