//! Calendar months (`YYYY-MM`), the unit of every start date in a project.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month. Stored as a count of months since year 0 so that month
/// arithmetic (`months_between`) is exact integer subtraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    months_since_year_0: i32,
}

impl YearMonth {
    /// A month known when the program is written; use it in a `const` so a wrong
    /// one fails to compile rather than at run time.
    pub const fn of(year: i32, month: u32) -> Self {
        assert!(year >= 1000 && year <= 9999 && month >= 1 && month <= 12);
        Self {
            months_since_year_0: year * 12 + month as i32 - 1,
        }
    }

    /// `month` is 1-based (January = 1). Returns `None` outside years 1000..=9999.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        Some(Self {
            months_since_year_0: year * 12 + month as i32 - 1,
        })
    }

    pub fn year(self) -> i32 {
        self.months_since_year_0.div_euclid(12)
    }

    /// 1-based month of the year.
    pub fn month(self) -> u32 {
        self.months_since_year_0.rem_euclid(12) as u32 + 1
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: YearMonth) -> i32 {
        later.months_since_year_0 - self.months_since_year_0
    }

    /// The month `offset` months after this one (saturating at the supported range).
    pub fn plus_months(self, offset: i32) -> YearMonth {
        let raw = self.months_since_year_0.saturating_add(offset);
        Self {
            months_since_year_0: raw.clamp(1000 * 12, 9999 * 12 + 11),
        }
    }

    /// Parses exactly `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 7 || bytes[4] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[range];
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let year = digits(0..4)?;
        let month = digits(5..7)?;
        Self::new(year as i32, month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        YearMonth::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "\"{text}\" is not a month: expected \"YYYY-MM\" with a month from 01 to 12"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_months() {
        let month = YearMonth::parse("2026-12").expect("valid month");
        assert_eq!(month.to_string(), "2026-12");
        assert_eq!(month.plus_months(1).to_string(), "2027-01");
        assert_eq!(
            month.months_until(YearMonth::parse("2026-04").expect("valid")),
            -8
        );
        for bad in [
            "2026-13", "2026-00", "26-01", "2026/01", "2026-1", "abcd-ef", "+026-01",
        ] {
            assert!(YearMonth::parse(bad).is_none(), "{bad} should be refused");
        }
    }
}
