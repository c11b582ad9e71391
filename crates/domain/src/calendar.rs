use chrono::{DateTime, Days, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{FieldError, Rule};

/// Maps instants to business dates in the branch's time zone (`KH_TIMEZONE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessCalendar {
    tz: Tz,
}

impl Default for BusinessCalendar {
    /// `Asia/Jakarta` (WIB), the default of `KH_TIMEZONE` (DESIGN 3).
    fn default() -> Self {
        Self {
            tz: chrono_tz::Asia::Jakarta,
        }
    }
}

impl BusinessCalendar {
    /// A calendar for an IANA zone name such as `Asia/Jakarta`.
    pub fn from_name(name: &str) -> Result<Self, FieldError> {
        name.parse::<Tz>().map(|tz| Self { tz }).map_err(|_| {
            FieldError::new(
                "timezone",
                format!("{name:?} is not an IANA time zone such as Asia/Jakarta"),
            )
        })
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &'static str {
        self.tz.name()
    }

    /// The short name Indonesians use for the zone (WIB, WITA, WIT), if it is one of theirs.
    pub fn label(&self) -> Option<&'static str> {
        match self.tz.name() {
            "Asia/Jakarta" | "Asia/Pontianak" => Some("WIB"),
            "Asia/Makassar" => Some("WITA"),
            "Asia/Jayapura" => Some("WIT"),
            _ => None,
        }
    }

    /// Minutes the zone's clocks are ahead of UTC at `instant` (420 for WIB).
    pub fn utc_offset_minutes(&self, instant: DateTime<Utc>) -> i32 {
        use chrono::Offset;
        self.tz
            .offset_from_utc_datetime(&instant.naive_utc())
            .fix()
            .local_minus_utc()
            / 60
    }

    /// The business date on which `instant` falls.
    pub fn date_of(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.tz).date_naive()
    }

    /// The first instant of `date` in this zone (the earliest, should the zone skip midnight).
    pub fn start_of(&self, date: NaiveDate) -> DateTime<Utc> {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        match self.tz.from_local_datetime(&midnight) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            // A zone that jumps over midnight: the day starts at the first instant that exists.
            LocalResult::None => {
                let one_hour_later = midnight + chrono::Duration::hours(1);
                self.tz
                    .from_local_datetime(&one_hour_later)
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
            }
        }
    }

    /// The half-open UTC interval `[start, end)` covering the inclusive date range.
    pub fn bounds(&self, range: &DateRange) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = range.from.map(|d| self.start_of(d));
        let end = range
            .to
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .map(|d| self.start_of(d));
        (start, end)
    }
}

/// An inclusive range of business dates; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateRange {
    /// The first date included, if any.
    pub from: Option<NaiveDate>,
    /// The last date included, if any.
    pub to: Option<NaiveDate>,
}

impl DateRange {
    /// All time.
    pub const ALL: DateRange = DateRange {
        from: None,
        to: None,
    };

    /// Parses optional `YYYY-MM-DD` bounds and checks that `from` is not after `to`. A bound
    /// that is given must be a date exactly as written: blank or with spaces around, it is not.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut date = |field: &'static str, raw: Option<&str>| match raw {
            None => None,
            Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) if text.len() == 10 => Some(d),
                _ => {
                    errors.push(
                        FieldError::new(
                            field,
                            "must be a date written YYYY-MM-DD, e.g. 2025-12-08",
                        )
                        .rule(Rule::Format),
                    );
                    None
                }
            },
        };
        let range = Self {
            from: date("from", from),
            to: date("to", to),
        };
        if let (Some(f), Some(t)) = (range.from, range.to)
            && f > t
        {
            errors.push(FieldError::new("to", "must be on or after `from`").rule(Rule::Order));
        }
        if errors.is_empty() {
            Ok(range)
        } else {
            Err(errors)
        }
    }

    /// True when `date` falls inside the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date <= t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn indonesian_zones_carry_their_labels_and_offsets() {
        let at = utc("2025-12-08T15:30:00Z");
        for (name, label, offset) in [
            ("Asia/Jakarta", Some("WIB"), 420),
            ("Asia/Makassar", Some("WITA"), 480),
            ("Asia/Jayapura", Some("WIT"), 540),
            ("Europe/London", None, 0),
        ] {
            let cal = BusinessCalendar::from_name(name).unwrap();
            assert_eq!(
                (cal.label(), cal.utc_offset_minutes(at)),
                (label, offset),
                "{name}"
            );
        }
    }

    #[test]
    fn jakarta_business_date_rolls_over_at_17_utc() {
        let cal = BusinessCalendar::from_name("Asia/Jakarta").unwrap();
        let d = |s| cal.date_of(utc(s)).to_string();
        assert_eq!(d("2025-12-08T16:59:59.999Z"), "2025-12-08");
        assert_eq!(d("2025-12-08T17:00:00.000Z"), "2025-12-09");
        assert_eq!(
            cal.start_of(NaiveDate::from_ymd_opt(2025, 12, 9).unwrap()),
            utc("2025-12-08T17:00:00Z")
        );
    }

    #[test]
    fn bounds_cover_the_whole_last_day() {
        let cal = BusinessCalendar::from_name("Asia/Makassar").unwrap();
        let range = DateRange::parse(Some("2025-01-01"), Some("2025-01-31")).unwrap();
        let (start, end) = cal.bounds(&range);
        assert_eq!(start, Some(utc("2024-12-31T16:00:00Z")));
        assert_eq!(end, Some(utc("2025-01-31T16:00:00Z")));
    }

    #[test]
    fn unknown_zone_is_refused_by_name() {
        let err = BusinessCalendar::from_name("Asia/Atlantis").unwrap_err();
        assert!(err.issue.contains("Asia/Atlantis"));
    }

    #[test]
    fn date_range_rejects_bad_dates_and_reversed_ranges() {
        assert_eq!(DateRange::parse(None, None).unwrap(), DateRange::ALL);
        assert!(DateRange::parse(Some("2025-13-01"), None).is_err());
        assert!(DateRange::parse(Some("08-12-2025"), None).is_err());
        assert!(DateRange::parse(Some("2025-1-1"), None).is_err());
        let errs = DateRange::parse(Some("2025-02-01"), Some("2025-01-01")).unwrap_err();
        assert_eq!(errs[0].field, "to");
        let r = DateRange::parse(Some("2025-01-01"), Some("2025-01-01")).unwrap();
        assert!(r.contains(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()));
        assert!(!r.contains(NaiveDate::from_ymd_opt(2025, 1, 2).unwrap()));
    }
}
