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

/// The one unit a column or an axis reads in, so that every value in it compares
/// at a glance: tonnes once the largest value reaches 10 t, kg below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MassUnit {
    pub kg_per_unit: u32,
    pub name: &'static str,
}

impl MassUnit {
    pub const KG: MassUnit = MassUnit {
        kg_per_unit: 1,
        name: "kg",
    };
    pub const TONNE: MassUnit = MassUnit {
        kg_per_unit: 1000,
        name: "t",
    };

    /// The unit for values up to `max_kg` (in size).
    pub fn for_max(max_kg: f64) -> Self {
        if max_kg.abs() >= 10_000.0 {
            Self::TONNE
        } else {
            Self::KG
        }
    }

    /// The unit for the largest of `values` (in size).
    pub fn for_values<'a>(values: impl IntoIterator<Item = &'a f64>) -> Self {
        Self::for_max(
            values
                .into_iter()
                .filter(|v| v.is_finite())
                .fold(0.0, |max, v| max.max(v.abs())),
        )
    }

    /// `kg` in this unit without the unit's name: tonnes with one decimal from
    /// 10 t, two from 1 t and three below (a small value in a column of tonnes
    /// still reads to the kg); kg whole from 100 kg and with one decimal below.
    pub fn number(self, kg: f64) -> String {
        let value = kg / f64::from(self.kg_per_unit);
        if self == Self::TONNE {
            let decimals = if value.abs() >= 10.0 || value == 0.0 {
                1
            } else if value.abs() >= 1.0 {
                2
            } else {
                3
            };
            thousands(value, decimals)
        } else if value.abs() >= 100.0 || value == 0.0 {
            thousands(value, 0)
        } else {
            thousands(value, 1)
        }
    }

    /// `kg` in this unit with the unit's name.
    pub fn with_unit(self, kg: f64) -> String {
        format!("{} {}", self.number(kg), self.name)
    }
}

/// A mass for reading: kg below 10 t, t (one decimal) above.
pub fn mass(kg: f64) -> String {
    MassUnit::for_max(kg).with_unit(kg)
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
        assert_eq!(mass(-12_000.0), "-12.0 t");
        assert_eq!(mass(55.25), "55.2 kg");
        let column = MassUnit::for_values(&[540.0, 13_310.2]);
        assert_eq!(column.number(540.0), "0.540");
        assert_eq!(column.number(1_149.0), "1.15");
        assert_eq!(column.with_unit(13_310.2), "13.3 t");
    }
}
