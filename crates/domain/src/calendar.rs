use chrono::{DateTime, Days, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{FieldError, Rule};

/// Maps instants to business dates in the branch's time zone (`KH_TIMEZONE`), with the day
/// starting at midnight or at the business's cut-off (`business_day_starts_at`, DESIGN 9): an
/// entry at 00:30 belongs to the day before when the day starts at 04:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessCalendar {
    tz: Tz,
    /// Minutes after local midnight at which a business day starts.
    day_start: u16,
}

impl Default for BusinessCalendar {
    /// `Asia/Jakarta` (WIB), the default of `KH_TIMEZONE` (DESIGN 3), days from midnight.
    fn default() -> Self {
        Self {
            tz: chrono_tz::Asia::Jakarta,
            day_start: 0,
        }
    }
}

impl BusinessCalendar {
    /// A calendar for an IANA zone name such as `Asia/Jakarta`, days from midnight.
    pub fn from_name(name: &str) -> Result<Self, FieldError> {
        name.parse::<Tz>()
            .map(|tz| Self { tz, day_start: 0 })
            .map_err(|_| {
                FieldError::new(
                    "timezone",
                    format!("{name:?} is not an IANA time zone such as Asia/Jakarta"),
                )
            })
    }

    /// The same zone with business days starting `minutes` after local midnight (at most
    /// [`crate::MAX_DAY_START_MINUTES`]; more is taken as that).
    pub fn with_day_start(self, minutes: u16) -> Self {
        Self {
            day_start: minutes.min(crate::MAX_DAY_START_MINUTES),
            ..self
        }
    }

    /// Minutes after local midnight at which a business day starts.
    pub fn day_start_minutes(&self) -> u16 {
        self.day_start
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &'static str {
        self.tz.name()
    }

    /// What business dates depend on, as text: the zone's name, and the day start when it is
    /// not midnight (`Asia/Jakarta@04:00`). Stored beside per-day totals: when it changes they
    /// are rebuilt.
    pub fn key(&self) -> String {
        if self.day_start == 0 {
            self.tz.name().to_owned()
        } else {
            format!(
                "{}@{:02}:{:02}",
                self.tz.name(),
                self.day_start / 60,
                self.day_start % 60
            )
        }
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

    /// `instant` on the zone's clocks.
    pub fn local(&self, instant: DateTime<Utc>) -> chrono::NaiveDateTime {
        instant.with_timezone(&self.tz).naive_local()
    }

    /// The business date on which `instant` falls: its local date, or the day before when it
    /// is before the day start.
    pub fn date_of(&self, instant: DateTime<Utc>) -> NaiveDate {
        let local = instant.with_timezone(&self.tz).naive_local();
        (local - chrono::Duration::minutes(i64::from(self.day_start))).date()
    }

    /// The first instant of `date` in this zone: its day start (the earliest, should the zone
    /// skip that time).
    pub fn start_of(&self, date: NaiveDate) -> DateTime<Utc> {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default()
            + chrono::Duration::minutes(i64::from(self.day_start));
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
    fn with_a_four_oclock_day_start_half_past_midnight_is_the_day_before() {
        let cal = BusinessCalendar::from_name("Asia/Jakarta")
            .unwrap()
            .with_day_start(240);
        // 00:30 WIB on 9 December is 17:30 UTC on the 8th: the 8th's business day.
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(cal.date_of(utc("2025-12-08T17:30:00Z")), date("2025-12-08"));
        // 03:59 WIB still the 8th; 04:00 WIB the 9th.
        assert_eq!(cal.date_of(utc("2025-12-08T20:59:59Z")), date("2025-12-08"));
        assert_eq!(cal.date_of(utc("2025-12-08T21:00:00Z")), date("2025-12-09"));
        // The 9th runs from 04:00 WIB on the 9th to 04:00 WIB on the 10th.
        let range = DateRange {
            from: Some(date("2025-12-09")),
            to: Some(date("2025-12-09")),
        };
        assert_eq!(
            cal.bounds(&range),
            (
                Some(utc("2025-12-08T21:00:00Z")),
                Some(utc("2025-12-09T21:00:00Z"))
            )
        );
        assert_eq!(cal.key(), "Asia/Jakarta@04:00");
        assert_eq!(cal.with_day_start(0).key(), "Asia/Jakarta");
        assert_eq!(
            cal.with_day_start(0),
            BusinessCalendar::from_name("Asia/Jakarta").unwrap()
        );
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
