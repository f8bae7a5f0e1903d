//! How figures read for a buyer: thousands separators, kg or t, money, shares,
//! months. Shared by the app, the reports and the command line so they agree.

use crate::project::YearMonth;

/// `1234567.8` with `decimals` -> `1,234,567.8`.
pub fn thousands(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if let Some(fraction) = fraction {
        grouped.push('.');
        grouped.push_str(fraction);
    }
    let is_zero = text.chars().all(|c| c == '0' || c == '.');
    if value < 0.0 && !is_zero {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A mass for reading: kg below 10 t, t (one decimal) above.
pub fn mass(kg: f64) -> String {
    if kg.abs() >= 10_000.0 {
        format!("{} t", thousands(kg / 1000.0, 1))
    } else if kg.abs() >= 100.0 || kg == 0.0 {
        format!("{} kg", thousands(kg, 0))
    } else {
        format!("{} kg", thousands(kg, 1))
    }
}

/// A mass always in kg, for tables that compare rows.
pub fn kg(kg: f64) -> String {
    format!("{} kg", thousands(kg, 0))
}

pub fn money(amount: f64, currency: &str) -> String {
    format!("{} {currency}", thousands(amount, 0))
}

pub fn percent(share: f64) -> String {
    if share.abs() < 0.1 && share != 0.0 {
        format!("{:.1}%", share * 100.0)
    } else {
        format!("{:.0}%", share * 100.0)
    }
}

pub fn days(days: Option<f64>) -> String {
    days.map_or_else(|| "—".to_owned(), |d| format!("{} days", thousands(d, 0)))
}

/// A month index as `YYYY-MM`, or "never" past the horizon.
pub fn month_or_never(start: YearMonth, index: Option<usize>) -> String {
    index.map_or_else(
        || "never".to_owned(),
        |t| start.plus_months(t as i32).to_string(),
    )
}

/// A figure rounded to `decimals` places for a table people read (CSV, XLSX): no
/// float noise (`75.00000000000001` -> `75`) and no negative zero. JSON keeps full
/// precision and does not use this.
pub fn rounded(value: f64, decimals: i32) -> f64 {
    if !value.is_finite() {
        return value;
    }
    let scale = 10f64.powi(decimals);
    let rounded = (value * scale).round() / scale;
    // `-0.0 + 0.0` is `+0.0`: a tiny negative rounds to a plain zero.
    rounded + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(1_234_567.89, 1), "1,234,567.9");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(-1000.0, 0), "-1,000");
        assert_eq!(thousands(-0.01, 0), "0");
        assert_eq!(mass(13_310.2), "13.3 t");
        assert_eq!(mass(540.0), "540 kg");
        assert_eq!(percent(0.516), "52%");
        assert_eq!(format!("{}", rounded(75.000_000_000_000_01, 3)), "75");
        assert_eq!(format!("{}", rounded(-0.000_1, 3)), "0");
        assert_eq!(format!("{}", rounded(0.1 + 0.2, 3)), "0.3");
    }
}
