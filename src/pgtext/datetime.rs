//! Date/time output in PostgreSQL's `DateStyle=ISO`, `IntervalStyle=postgres` spelling,
//! plus the calendar arithmetic and strict parsers the generator uses for user bounds.
//!
//! All values are counted from the Unix epoch (1970-01-01) in the proleptic Gregorian
//! calendar, the same calendar PostgreSQL uses. Astronomical year 0 is 1 BC and is
//! printed as `0001 BC`.

/// Days value that prints as `infinity` (PostgreSQL's `DATEVAL_NOEND`).
pub const DATE_INFINITY: i32 = i32::MAX;
/// Days value that prints as `-infinity` (PostgreSQL's `DATEVAL_NOBEGIN`).
pub const DATE_NEG_INFINITY: i32 = i32::MIN;
/// Microseconds value that prints as `infinity` (PostgreSQL's `DT_NOEND`).
pub const TS_INFINITY: i64 = i64::MAX;
/// Microseconds value that prints as `-infinity` (PostgreSQL's `DT_NOBEGIN`).
pub const TS_NEG_INFINITY: i64 = i64::MIN;

const USECS_PER_SEC: i64 = 1_000_000;
const USECS_PER_MINUTE: i64 = 60 * USECS_PER_SEC;
const USECS_PER_HOUR: i64 = 60 * USECS_PER_MINUTE;
const USECS_PER_DAY: i64 = 24 * USECS_PER_HOUR;

/// Appends `v` in decimal, left-padded with zeros to at least `width` digits.
fn push_padded(out: &mut Vec<u8>, v: u64, width: usize) {
    let mut buf = itoa::Buffer::new();
    let s = buf.format(v).as_bytes();
    for _ in s.len()..width {
        out.push(b'0');
    }
    out.extend_from_slice(s);
}

/// Appends `.ffffff` with trailing zeros trimmed, or nothing for a zero fraction.
fn push_fraction(out: &mut Vec<u8>, frac_micros: u64) {
    if frac_micros == 0 {
        return;
    }
    let mut f = frac_micros;
    let mut width = 6;
    // `is_multiple_of` would need Rust 1.87; pgmock's MSRV is 1.85.
    #[allow(unknown_lints, clippy::manual_is_multiple_of)]
    while f % 10 == 0 {
        f /= 10;
        width -= 1;
    }
    out.push(b'.');
    push_padded(out, f, width);
}

/// Appends `HH:MM:SS[.ffffff]` for a non-negative duration; hours may exceed 24
/// (intervals print `100:00:00`).
fn push_hms(out: &mut Vec<u8>, micros: u64) {
    const H: u64 = USECS_PER_HOUR.unsigned_abs();
    const M: u64 = USECS_PER_MINUTE.unsigned_abs();
    const S: u64 = USECS_PER_SEC.unsigned_abs();
    push_padded(out, micros / H, 2);
    out.push(b':');
    push_padded(out, (micros / M) % 60, 2);
    out.push(b':');
    push_padded(out, (micros / S) % 60, 2);
    push_fraction(out, micros % S);
}

/// Appends a UTC offset the way PostgreSQL's `EncodeTimezone` does: `+HH`, `+HH:MM` or
/// `+HH:MM:SS` (east of UTC positive; zero is `+00`).
fn push_tz(out: &mut Vec<u8>, offset_east_secs: i32) {
    out.push(if offset_east_secs >= 0 { b'+' } else { b'-' });
    let a = u64::from(offset_east_secs.unsigned_abs());
    let (h, m, s) = (a / 3600, (a / 60) % 60, a % 60);
    push_padded(out, h, 2);
    if s != 0 {
        out.push(b':');
        push_padded(out, m, 2);
        out.push(b':');
        push_padded(out, s, 2);
    } else if m != 0 {
        out.push(b':');
        push_padded(out, m, 2);
    }
}

/// Appends `YYYY-MM-DD` (year at least 4 digits, BC years as positive numbers) and
/// returns whether the caller must append ` BC` after whatever follows.
fn push_ymd(out: &mut Vec<u8>, days: i64) -> bool {
    let (y, m, d) = civil_from_days_i64(days);
    // Astronomical year 0 is 1 BC, -1 is 2 BC, ...
    let bc = y <= 0;
    let year = if bc { 1 - y } else { y };
    push_padded(out, year.unsigned_abs(), 4);
    out.push(b'-');
    push_padded(out, u64::from(m), 2);
    out.push(b'-');
    push_padded(out, u64::from(d), 2);
    bc
}

/// Writes a `date`: `2000-02-29`, `0044-03-15 BC`, `infinity`, `-infinity`.
pub fn date(out: &mut Vec<u8>, days_since_epoch: i32) {
    match days_since_epoch {
        DATE_INFINITY => out.extend_from_slice(b"infinity"),
        DATE_NEG_INFINITY => out.extend_from_slice(b"-infinity"),
        d => {
            if push_ymd(out, i64::from(d)) {
                out.extend_from_slice(b" BC");
            }
        }
    }
}

/// Writes a `time`: `12:34:56`, `12:30:00.5`, `24:00:00`.
///
/// Values outside `0..=86_400_000_000` are the caller's bug; they are clamped into that
/// range so the output still loads.
pub fn time(out: &mut Vec<u8>, micros_since_midnight: i64) {
    let m = micros_since_midnight.clamp(0, USECS_PER_DAY);
    push_hms(out, m.unsigned_abs());
}

/// Writes a `timetz`: `12:00:00+02`, `01:02:03-05:30` (offset east of UTC positive).
///
/// The time part is clamped like [`time`]; PostgreSQL itself limits the offset to
/// ±15:59:59, which the caller must respect for the value to load.
pub fn timetz(out: &mut Vec<u8>, micros: i64, utc_offset_secs: i32) {
    time(out, micros);
    push_tz(out, utc_offset_secs);
}

/// Shared body of [`timestamp`] and [`timestamptz_utc`]; `tz` adds a `+00` suffix.
fn push_timestamp(out: &mut Vec<u8>, micros: i64, tz: bool) {
    match micros {
        TS_INFINITY => out.extend_from_slice(b"infinity"),
        TS_NEG_INFINITY => out.extend_from_slice(b"-infinity"),
        m => {
            let days = m.div_euclid(USECS_PER_DAY);
            let tod = m.rem_euclid(USECS_PER_DAY);
            let bc = push_ymd(out, days);
            out.push(b' ');
            push_hms(out, tod.unsigned_abs());
            if tz {
                out.extend_from_slice(b"+00");
            }
            if bc {
                out.extend_from_slice(b" BC");
            }
        }
    }
}

/// Writes a `timestamp`: `2024-05-06 07:08:09.123456`, `0044-03-15 12:00:00 BC`.
pub fn timestamp(out: &mut Vec<u8>, micros_since_epoch: i64) {
    push_timestamp(out, micros_since_epoch, false);
}

/// Writes a `timestamptz` as rendered with `TimeZone=UTC`: `2024-01-02 01:04:05.678+00`.
pub fn timestamptz_utc(out: &mut Vec<u8>, micros_since_epoch: i64) {
    push_timestamp(out, micros_since_epoch, true);
}

/// One `N unit(s)` part of a postgres-style interval (PostgreSQL's `AddPostgresIntPart`).
fn push_interval_part(
    out: &mut Vec<u8>,
    value: i64,
    unit: &[u8],
    is_zero: &mut bool,
    is_before: &mut bool,
) {
    if value == 0 {
        return;
    }
    if !*is_zero {
        out.push(b' ');
    }
    // Only the field directly after a negative one gets an explicit '+'.
    if *is_before && value > 0 {
        out.push(b'+');
    }
    let mut buf = itoa::Buffer::new();
    out.extend_from_slice(buf.format(value).as_bytes());
    out.push(b' ');
    out.extend_from_slice(unit);
    if value != 1 {
        out.push(b's');
    }
    *is_before = value < 0;
    *is_zero = false;
}

/// Writes an `interval` in `IntervalStyle=postgres`:
/// `1 year 2 mons 3 days 04:05:06.7`, `-1 years +1 day`, `1 day -01:00:00`, `00:00:00`.
pub fn interval(out: &mut Vec<u8>, months: i32, days: i32, micros: i64) {
    // C division truncates toward zero, as does Rust's, so every field shares the sign
    // of its source value exactly as in PostgreSQL's interval2itm.
    let mut is_zero = true;
    let mut is_before = false;
    push_interval_part(
        out,
        i64::from(months / 12),
        b"year",
        &mut is_zero,
        &mut is_before,
    );
    push_interval_part(
        out,
        i64::from(months % 12),
        b"mon",
        &mut is_zero,
        &mut is_before,
    );
    push_interval_part(out, i64::from(days), b"day", &mut is_zero, &mut is_before);
    if is_zero || micros != 0 {
        if !is_zero {
            out.push(b' ');
        }
        if micros < 0 {
            out.push(b'-');
        } else if is_before {
            out.push(b'+');
        }
        push_hms(out, micros.unsigned_abs());
    }
}

/// Civil date from days since 1970-01-01 (H. Hinnant's algorithm), in i64 so that no
/// `i32` input or timestamp-derived day count can overflow.
fn civil_from_days_i64(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based month
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // m and d are small positive numbers by construction.
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// Days since the epoch, in i64; month/day outside their ranges give a meaningless but
/// non-panicking result.
fn days_from_civil_i64(year: i64, month: u32, day: u32) -> i64 {
    let m = i64::from(month);
    let y = year - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = (m + 9) % 12; // March-based month
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 for an astronomical year (0 = 1 BC), month 1–12 and day 1–31.
///
/// Caller's contract: a valid date. Results that do not fit `i32` saturate (and then read
/// as ±infinity when printed).
#[must_use]
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    debug_assert!((1..=12).contains(&month) && (1..=31).contains(&day));
    let d = days_from_civil_i64(i64::from(year), month, day);
    i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX })
}

/// `(astronomical year, month, day)` for days since 1970-01-01.
#[must_use]
pub fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let (y, m, d) = civil_from_days_i64(i64::from(days));
    // |year| < 6 million for any i32 day count, so this never saturates.
    (i32::try_from(y).unwrap_or(i32::MAX), m, d)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Smallest date PostgreSQL accepts: 4714-11-24 BC (Julian day 0).
const MIN_DATE_DAYS: i64 = -2_440_588;
/// Largest date PostgreSQL accepts: 5874897-12-31.
const MAX_DATE_DAYS: i64 = 2_145_042_905;
/// Smallest timestamp PostgreSQL accepts: 4714-11-24 00:00:00 BC.
const MIN_TS_MICROS: i64 = MIN_DATE_DAYS * USECS_PER_DAY;

/// Tiny byte cursor for the strict parsers below.
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a [u8]) -> Self {
        Cursor { s, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn done(&self) -> bool {
        self.pos >= self.s.len()
    }

    /// Reads between `min` and `max` ASCII digits; returns the value and digit count.
    fn digits(&mut self, min: usize, max: usize) -> Option<(u64, usize)> {
        let mut v: u64 = 0;
        let mut n = 0;
        while n < max {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + u64::from(c - b'0');
                    n += 1;
                    self.pos += 1;
                }
                _ => break,
            }
        }
        (n >= min).then_some((v, n))
    }
}

/// Strips an optional trailing ` BC` era marker.
fn split_bc(s: &str) -> (&str, bool) {
    match s.strip_suffix(" BC") {
        Some(rest) => (rest, true),
        None => (s, false),
    }
}

/// Parses `YYYY-MM-DD` (4–7 year digits, no year 0) into validated days since the epoch.
fn parse_ymd(c: &mut Cursor<'_>, bc: bool) -> Option<i64> {
    let (y, _) = c.digits(4, 7)?;
    if !c.eat(b'-') {
        return None;
    }
    let (m, _) = c.digits(2, 2)?;
    if !c.eat(b'-') {
        return None;
    }
    let (d, _) = c.digits(2, 2)?;
    // PostgreSQL has no year 0 on input; BC years map to astronomical 1 - y.
    if y == 0 {
        return None;
    }
    let y = i64::try_from(y).ok()?;
    let year = if bc { 1 - y } else { y };
    let month = u32::try_from(m).ok()?;
    let day = u32::try_from(d).ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil_i64(year, month, day);
    (MIN_DATE_DAYS..=MAX_DATE_DAYS)
        .contains(&days)
        .then_some(days)
}

/// Parses `HH:MM[:SS[.ffffff]]` (24:00:00 allowed) into micros since midnight.
fn parse_hms(c: &mut Cursor<'_>) -> Option<i64> {
    let (hour, _) = c.digits(2, 2)?;
    if !c.eat(b':') {
        return None;
    }
    let (minute, _) = c.digits(2, 2)?;
    let mut sec = 0;
    let mut frac = 0;
    if c.eat(b':') {
        sec = c.digits(2, 2)?.0;
        if c.eat(b'.') {
            let (f, n) = c.digits(1, 6)?;
            frac = f * 10u64.pow(u32::try_from(6 - n).ok()?);
        }
    }
    if hour > 24 || minute > 59 || sec > 59 || (hour == 24 && (minute | sec | frac) != 0) {
        return None;
    }
    let total = ((hour * 60 + minute) * 60 + sec) * 1_000_000 + frac;
    i64::try_from(total).ok()
}

/// Parses a date `YYYY-MM-DD` (optionally followed by ` BC`) into days since 1970-01-01.
///
/// Returns `None` for malformed text, impossible dates (`2023-02-29`), year 0, or dates
/// outside PostgreSQL's range (4714-11-24 BC .. 5874897-12-31).
#[must_use]
pub fn parse_date(s: &str) -> Option<i32> {
    let (s, bc) = split_bc(s);
    let mut c = Cursor::new(s.as_bytes());
    let days = parse_ymd(&mut c, bc)?;
    if !c.done() {
        return None;
    }
    i32::try_from(days).ok()
}

/// Parses `HH:MM[:SS[.ffffff]]` into microseconds since midnight (`24:00:00` allowed).
#[must_use]
pub fn parse_time(s: &str) -> Option<i64> {
    let mut c = Cursor::new(s.as_bytes());
    let t = parse_hms(&mut c)?;
    c.done().then_some(t)
}

/// Parses a timestamp into UTC microseconds since 1970-01-01.
///
/// Accepts `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.ffffff]]` (or `T` as separator), an
/// optional `Z` or `+HH[:MM]` / `-HH[:MM]` offset (subtracted to get UTC) and an optional
/// trailing ` BC`. Returns `None` on malformed or out-of-range input: before
/// 4714-11-24 BC (PostgreSQL's minimum) or after 294247-01-10 04:00:54.775806, the last
/// instant an `i64` of microseconds since 1970 can hold without hitting [`TS_INFINITY`]
/// (PostgreSQL itself goes on to 294276-12-31, counting from 2000).
#[must_use]
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let (s, bc) = split_bc(s);
    let mut c = Cursor::new(s.as_bytes());
    let days = parse_ymd(&mut c, bc)?;
    let mut tod = 0;
    let mut offset_secs: i64 = 0;
    if !c.done() {
        if !(c.eat(b' ') || c.eat(b'T')) {
            return None;
        }
        tod = parse_hms(&mut c)?;
        if c.eat(b'Z') {
        } else if let Some(sign @ (b'+' | b'-')) = c.peek() {
            c.pos += 1;
            let (h, _) = c.digits(2, 2)?;
            let m = if c.eat(b':') { c.digits(2, 2)?.0 } else { 0 };
            if h > 15 || m > 59 {
                return None;
            }
            let secs = i64::try_from(h * 3600 + m * 60).ok()?;
            offset_secs = if sign == b'-' { -secs } else { secs };
        }
        if !c.done() {
            return None;
        }
    }
    let micros = days
        .checked_mul(USECS_PER_DAY)?
        .checked_add(tod)?
        .checked_sub(offset_secs.checked_mul(USECS_PER_SEC)?)?;
    // PostgreSQL's upper limit (294276-12-31) lies beyond i64 micros counted from 1970,
    // so the top is bounded by overflow (checked above) and the infinity sentinel.
    (MIN_TS_MICROS..TS_INFINITY)
        .contains(&micros)
        .then_some(micros)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    fn ts(t: &str) -> i64 {
        parse_timestamp(t).unwrap()
    }

    #[test]
    fn range_constants() {
        assert_eq!(days_from_civil_i64(-4713, 11, 24), MIN_DATE_DAYS);
        assert_eq!(days_from_civil_i64(5_874_897, 12, 31), MAX_DATE_DAYS);
        // PostgreSQL's last timestamp does not fit i64 micros since 1970.
        assert!(days_from_civil_i64(294_277, 1, 1)
            .checked_mul(USECS_PER_DAY)
            .is_none());
    }

    #[test]
    fn civil_roundtrip() {
        for d in
            (-3_000_000..3_000_000)
                .step_by(997)
                .chain([i32::MIN + 1, i32::MAX - 1, 0, -1, 59, 60])
        {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d, "{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
        assert_eq!(days_from_civil(0, 12, 31), -719_163);
    }

    #[test]
    fn dates() {
        // Expected strings are PostgreSQL 15 output.
        let cases = [
            ("2000-02-29", "2000-02-29"),
            ("0001-01-01", "0001-01-01"),
            ("0001-12-31 BC", "0001-12-31 BC"),
            ("0044-03-15 BC", "0044-03-15 BC"),
            ("99999-12-31", "99999-12-31"),
            ("4714-11-24 BC", "4714-11-24 BC"),
            ("4713-01-01 BC", "4713-01-01 BC"),
            ("5874897-12-31", "5874897-12-31"),
            ("1970-01-01", "1970-01-01"),
        ];
        for (input, want) in cases {
            let d = parse_date(input).unwrap();
            assert_eq!(s(|o| date(o, d)), want);
        }
        assert_eq!(s(|o| date(o, DATE_INFINITY)), "infinity");
        assert_eq!(s(|o| date(o, DATE_NEG_INFINITY)), "-infinity");
        assert_eq!(s(|o| date(o, i32::MAX - 1)), "5881580-07-10");
        // Astronomical year 0 is 1 BC.
        assert_eq!(s(|o| date(o, days_from_civil(0, 6, 1))), "0001-06-01 BC");
    }

    #[test]
    fn date_parse_rejects() {
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2000-13-01",
            "2000-00-10",
            "2000-01-32",
            "2000-04-31",
            "0000-01-01",
            "200-01-01",
            "2000-1-01",
            "2000-01-01 ",
            "4714-11-23 BC",
            "5874898-01-01",
            "",
            "abcd-01-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_date("2000-02-29"), Some(11016));
    }

    #[test]
    fn times() {
        assert_eq!(s(|o| time(o, parse_time("12:34:56").unwrap())), "12:34:56");
        assert_eq!(
            s(|o| time(o, parse_time("12:30:00.5").unwrap())),
            "12:30:00.5"
        );
        assert_eq!(s(|o| time(o, parse_time("24:00:00").unwrap())), "24:00:00");
        assert_eq!(s(|o| time(o, 1)), "00:00:00.000001");
        assert_eq!(s(|o| time(o, 86_399_999_999)), "23:59:59.999999");
        assert_eq!(s(|o| time(o, 120_000)), "00:00:00.12");
        assert_eq!(parse_time("07:05"), Some(25_500_000_000));
        // Clamped, never panics.
        assert_eq!(s(|o| time(o, -5)), "00:00:00");
        assert_eq!(s(|o| time(o, i64::MAX)), "24:00:00");
        for bad in [
            "24:00:01",
            "12:60",
            "12:00:60",
            "1:00",
            "12:00:00.1234567",
            "12",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn timetzs() {
        let noon = 12 * USECS_PER_HOUR;
        assert_eq!(s(|o| timetz(o, noon, 7200)), "12:00:00+02");
        assert_eq!(
            s(|o| timetz(o, 3_723_000_000, -(5 * 3600 + 1800))),
            "01:02:03-05:30"
        );
        assert_eq!(
            s(|o| timetz(o, 3_723_000_000, 5 * 3600 + 1815)),
            "01:02:03+05:30:15"
        );
        assert_eq!(
            s(|o| timetz(o, 3_723_000_000, -(15 * 3600 + 59 * 60))),
            "01:02:03-15:59"
        );
        assert_eq!(s(|o| timetz(o, 3_723_000_000, 0)), "01:02:03+00");
        assert_eq!(s(|o| timetz(o, 0, i32::MIN)), "00:00:00-596523:14:08");
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            s(|o| timestamp(o, ts("2024-05-06 07:08:09.123456"))),
            "2024-05-06 07:08:09.123456"
        );
        assert_eq!(
            s(|o| timestamp(o, ts("0044-03-15 12:00:00 BC"))),
            "0044-03-15 12:00:00 BC"
        );
        assert_eq!(
            s(|o| timestamp(o, ts("4714-11-24 BC"))),
            "4714-11-24 00:00:00 BC"
        );
        assert_eq!(
            s(|o| timestamp(o, ts("294247-01-10 04:00:54.775806"))),
            "294247-01-10 04:00:54.775806"
        );
        assert_eq!(parse_timestamp("294247-01-10 04:00:54.775807"), None);
        assert_eq!(parse_timestamp("294276-12-31 23:59:59.999999"), None);
        assert_eq!(s(|o| timestamp(o, -1)), "1969-12-31 23:59:59.999999");
        assert_eq!(s(|o| timestamp(o, TS_INFINITY)), "infinity");
        assert_eq!(s(|o| timestamptz_utc(o, TS_NEG_INFINITY)), "-infinity");
        assert_eq!(
            s(|o| timestamptz_utc(o, ts("2024-01-02T01:04:05.678Z"))),
            "2024-01-02 01:04:05.678+00"
        );
        assert_eq!(
            s(|o| timestamptz_utc(o, ts("0001-12-31 23:59:59 BC"))),
            "0001-12-31 23:59:59+00 BC"
        );
        // Out of PostgreSQL's range still prints something sane.
        assert_eq!(
            s(|o| timestamp(o, i64::MAX - 1)),
            "294247-01-10 04:00:54.775806"
        );
        assert_eq!(
            s(|o| timestamp(o, i64::MIN + 1)),
            "290309-12-21 19:59:05.224193 BC"
        );
    }

    #[test]
    fn timestamp_parse() {
        // PostgreSQL: '2000-01-01T10:00:00+05:30'::timestamptz = 2000-01-01 04:30:00+00
        assert_eq!(ts("2000-01-01T10:00:00+05:30"), ts("2000-01-01 04:30:00"));
        assert_eq!(ts("2000-01-01 10:00-02"), ts("2000-01-01 12:00:00"));
        assert_eq!(ts("1970-01-01"), 0);
        assert_eq!(ts("1970-01-01 00:00:00.000001Z"), 1);
        assert_eq!(ts("2000-01-01 24:00"), ts("2000-01-02"));
        for bad in [
            "2000-01-01 ",
            "2000-01-01X10:00",
            "2000-01-01 10:00+5",
            "2000-01-01 10:00+16",
            "2000-01-01 10:00:00Zx",
            "294277-01-01",
            "4714-11-23 23:59:59 BC",
            "2001-02-29 00:00",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn intervals() {
        let h = USECS_PER_HOUR;
        let cases: &[(i32, i32, i64, &str)] = &[
            (
                14,
                3,
                4 * h + 5 * 60_000_000 + 6_700_000,
                "1 year 2 mons 3 days 04:05:06.7",
            ),
            (0, 0, 0, "00:00:00"),
            (0, 0, -1_000_000, "-00:00:01"),
            (0, 0, 100 * h, "100:00:00"),
            (-12, 1, 0, "-1 years +1 day"),
            (0, 1, -h, "1 day -01:00:00"),
            (0, -1, -h, "-1 days -01:00:00"),
            (0, -1, h, "-1 days +01:00:00"),
            (0, 3, 1, "3 days 00:00:00.000001"),
            (-1, 1, 0, "-1 mons +1 day"),
            (11, 0, 0, "11 mons"),
            (-14, 0, 0, "-1 years -2 mons"),
            (-12, 0, 0, "-1 years"),
            (0, 0, -500_000, "-00:00:00.5"),
            (-12, 0, 500_000, "-1 years +00:00:00.5"),
            (-1, 0, -500_000, "-1 mons -00:00:00.5"),
            (-11, 1, 0, "-11 mons +1 day"),
            (12, -1, h, "1 year -1 days +01:00:00"),
            (1, -1, -h, "1 mon -1 days -01:00:00"),
            (1, 1, 0, "1 mon 1 day"),
        ];
        for &(m, d, us, want) in cases {
            assert_eq!(s(|o| interval(o, m, d, us)), want, "{m} {d} {us}");
        }
    }

    #[test]
    fn no_panics_on_extremes() {
        let mut o = Vec::new();
        for d in [i32::MIN, i32::MIN + 1, -1, 0, i32::MAX - 1, i32::MAX] {
            date(&mut o, d);
            let _ = civil_from_days(d);
        }
        for t in [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX] {
            time(&mut o, t);
            timetz(&mut o, t, i32::MAX);
            timestamp(&mut o, t);
            timestamptz_utc(&mut o, t);
            interval(&mut o, i32::MIN, i32::MAX, t);
        }
        assert_eq!(days_from_civil(i32::MAX, 12, 31), i32::MAX);
        assert_eq!(days_from_civil(i32::MIN, 1, 1), i32::MIN);
        for s in [
            "",
            "9999999-12-31",
            "0000000-01-01 BC",
            "2000-01-01T",
            "99:99",
            "2000-01-01 23:59:59.9999999",
        ] {
            let _ = (parse_date(s), parse_time(s), parse_timestamp(s));
        }
    }

    #[test]
    fn interval_extremes() {
        assert_eq!(
            s(|o| interval(o, i32::MAX, i32::MAX, i64::MAX)),
            "178956970 years 7 mons 2147483647 days 2562047788:00:54.775807"
        );
        assert_eq!(
            s(|o| interval(o, i32::MIN, i32::MIN, i64::MIN)),
            "-178956970 years -8 mons -2147483648 days -2562047788:00:54.775808"
        );
    }
}
