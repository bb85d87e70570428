//! `numeric`, `real`, `double precision` and `money` text.
//!
//! PostgreSQL 12+ prints floats with the shortest digit string that round-trips (the
//! Ryu algorithm), so we take the `ryu` crate's digits and re-lay them out with
//! PostgreSQL's exponent rules: scientific notation when the decimal exponent is below -4
//! or at least 15 (`double`) / 6 (`real`), with a signed, at-least-two-digit exponent.
//!
//! One subtlety: PostgreSQL builds Ryu with `STRICTLY_SHORTEST 0`, so it never prints a
//! decimal lying exactly halfway between two floats, while the `ryu` crate does for even
//! mantissas (`1.23e22` vs PostgreSQL's `1.2300000000000001e+22`). Those rare values are
//! detected exactly and recomputed on a slower, still allocation-free path.

/// Largest scale a PostgreSQL `numeric` can carry.
const MAX_NUMERIC_SCALE: u32 = 16383;

/// Writes `unscaled / 10^scale` with exactly `scale` fraction digits (`12.50`, `-0.05`).
///
/// Never uses an exponent and never prints `-0.00` (PostgreSQL drops the sign of zero).
/// Caller's contract: `scale <= 16383` (PostgreSQL's maximum); larger scales are clamped
/// so a bad argument cannot make us write gigabytes of zeros.
pub fn numeric(out: &mut Vec<u8>, unscaled: i128, scale: u32) {
    debug_assert!(scale <= MAX_NUMERIC_SCALE);
    let scale = scale.min(MAX_NUMERIC_SCALE);
    if unscaled < 0 {
        out.push(b'-');
    }
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(unscaled.unsigned_abs()).as_bytes();
    // usize is at least 32 bits on every target pgmock supports; saturate otherwise.
    let scale = usize::try_from(scale).unwrap_or(usize::MAX);
    if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.extend_from_slice(int);
        if !frac.is_empty() {
            out.push(b'.');
            out.extend_from_slice(frac);
        }
    } else {
        // |value| < 1: "0." then leading zeros then the digits.
        out.extend_from_slice(b"0.");
        out.resize(out.len() + (scale - digits.len()), b'0');
        out.extend_from_slice(digits);
    }
}

/// A finite non-zero decimal `digits × 10^exp`: up to 17 significant digits with no
/// leading or trailing zeros.
#[derive(Clone, Copy)]
struct Decimal {
    digits: u64,
    exp: i32,
}

impl Decimal {
    /// Reads a positive decimal in any of the spellings Rust/Ryu produce (`1.5e-5`,
    /// `123.0`, `1e22`, `0.0001`). Returns `None` for zero or unparsable text.
    fn parse(s: &[u8]) -> Option<Decimal> {
        let mut digits: u64 = 0;
        let mut n_digits = 0u32;
        let mut exp: i32 = 0;
        let mut seen_point = false;
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                d @ b'0'..=b'9' => {
                    // 19 digits always fit u64; Ryu and `{:.16e}` never exceed 17.
                    if n_digits < 19 {
                        digits = digits * 10 + u64::from(d - b'0');
                        if digits != 0 {
                            n_digits += 1;
                        }
                        if seen_point {
                            exp -= 1;
                        }
                    } else if !seen_point {
                        exp += 1;
                    }
                }
                b'.' => seen_point = true,
                b'e' | b'E' => {
                    let rest = core::str::from_utf8(&s[i + 1..]).ok()?;
                    exp = exp.checked_add(rest.parse::<i32>().ok()?)?;
                    break;
                }
                _ => return None,
            }
            i += 1;
        }
        Decimal { digits, exp }.normalized()
    }

    /// Strips trailing decimal zeros into the exponent; `None` for zero.
    fn normalized(mut self) -> Option<Decimal> {
        if self.digits == 0 {
            return None;
        }
        // `is_multiple_of` would need Rust 1.87; pgmock's MSRV is 1.85.
        #[allow(unknown_lints, clippy::manual_is_multiple_of)]
        while self.digits % 10 == 0 {
            self.digits /= 10;
            self.exp += 1;
        }
        Some(self)
    }

    fn len(self) -> i32 {
        // digits < 10^19, so ilog10 < 19 and the cast is lossless.
        i32::try_from(self.digits.ilog10()).unwrap_or(18) + 1
    }
}

/// The binary layout of a float, so the same code serves `f32` and `f64`.
#[derive(Clone, Copy)]
struct Format {
    mantissa_bits: u32,
    /// `e2` of the smallest subnormal: the value is `mantissa × 2^e2`.
    min_e2: i32,
    /// Most significant digits ever needed to round-trip (17 for f64, 9 for f32).
    max_digits: usize,
}

const F64: Format = Format {
    mantissa_bits: 52,
    min_e2: -1074,
    max_digits: 17,
};
const F32: Format = Format {
    mantissa_bits: 23,
    min_e2: -149,
    max_digits: 9,
};

/// Which rounding-interval bound a decimal sits on exactly, if any.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Bound {
    Lower,
    Upper,
}

/// Whether `dec` equals `odd × 2^k` exactly, using only prime factorisations so no
/// big-number arithmetic is needed: `digits × 10^exp = d' × 5^exp × 2^(a + exp)`.
fn dec_equals(dec: Decimal, odd: u64, k: i32) -> bool {
    let a = dec.digits.trailing_zeros();
    let d_odd = u128::from(dec.digits >> a);
    let two_exp = i32::try_from(a).unwrap_or(0) + dec.exp;
    if two_exp != k {
        return false;
    }
    let Some(p5) = 5u128.checked_pow(dec.exp.unsigned_abs()) else {
        // 5^|exp| beyond u128: the odd parts (< 2^64) cannot match.
        return false;
    };
    if dec.exp >= 0 {
        d_odd.checked_mul(p5) == Some(u128::from(odd))
    } else {
        d_odd % p5 == 0 && d_odd / p5 == u128::from(odd)
    }
}

/// Tells whether `dec` is exactly the midpoint between the positive float `bits` and one
/// of its neighbours — the only place where PostgreSQL's Ryu, built with
/// `STRICTLY_SHORTEST 0` (bounds always excluded), differs from the `ryu` crate, which
/// accepts the bounds for even mantissas.
fn on_bound(bits: u64, f: Format, dec: Decimal) -> Option<Bound> {
    let frac_mask = (1u64 << f.mantissa_bits) - 1;
    let frac = bits & frac_mask;
    let biased = bits >> f.mantissa_bits;
    let (m2, e2) = if biased == 0 {
        (frac, f.min_e2)
    } else {
        let b = i32::try_from(biased).unwrap_or(0);
        (frac | (1u64 << f.mantissa_bits), f.min_e2 + b - 1)
    };
    if dec_equals(dec, 2 * m2 + 1, e2 - 1) {
        return Some(Bound::Upper);
    }
    // At a power of two the gap below is half the gap above.
    let lower = if frac == 0 && biased > 1 {
        dec_equals(dec, 4 * m2 - 1, e2 - 2)
    } else {
        dec_equals(dec, 2 * m2 - 1, e2 - 1)
    };
    lower.then_some(Bound::Lower)
}

/// Appends `dec` with PostgreSQL's layout: scientific when the decimal exponent of the
/// first digit is below -4 or at least `sci_from`, else plain.
fn push_decimal(out: &mut Vec<u8>, dec: Decimal, sci_from: i32) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(dec.digits).as_bytes();
    let n = digits.len();
    let len = i32::try_from(n).unwrap_or(20);
    let e10 = dec.exp + len - 1;
    if e10 < -4 || e10 >= sci_from {
        out.push(digits[0]);
        if n > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if e10 < 0 { b'-' } else { b'+' });
        let a = e10.unsigned_abs();
        if a < 10 {
            out.push(b'0');
        }
        let mut ebuf = itoa::Buffer::new();
        out.extend_from_slice(ebuf.format(a).as_bytes());
    } else if e10 < 0 {
        // e10 is in -4..=-1: "0.", up to three zeros, the digits.
        out.extend_from_slice(b"0.");
        for _ in 0..(-e10 - 1) {
            out.push(b'0');
        }
        out.extend_from_slice(digits);
    } else {
        // 0 <= e10 < sci_from (at most 15): a plain number, maybe with a fraction.
        let int_len = usize::try_from(e10 + 1).unwrap_or(0);
        if n <= int_len {
            out.extend_from_slice(digits);
            out.resize(out.len() + (int_len - n), b'0');
        } else {
            out.extend_from_slice(&digits[..int_len]);
            out.push(b'.');
            out.extend_from_slice(&digits[int_len..]);
        }
    }
}

/// Parses `dec` back as a float of format `f`, returning its bits (without sign).
fn reparse(dec: Decimal, f: Format) -> Option<u64> {
    use std::io::Write;
    let mut buf = [0u8; 48];
    let mut w = &mut buf[..];
    write!(w, "{}e{}", dec.digits, dec.exp).ok()?;
    let used = 48 - w.len();
    let s = core::str::from_utf8(&buf[..used]).ok()?;
    if f.max_digits == F32.max_digits {
        s.parse::<f32>().ok().map(|x| u64::from(x.to_bits()))
    } else {
        s.parse::<f64>().ok().map(f64::to_bits)
    }
}

/// Rare path: Ryu's shortest digits lie exactly on an interval bound, which PostgreSQL
/// excludes. Find what PostgreSQL's Ryu returns instead: for increasing lengths, the
/// correctly rounded candidate, or failing that its neighbour on the other side of the
/// value, whichever first lies strictly inside the rounding interval.
fn shortest_excluding_bounds(
    bits: u64,
    f: Format,
    start_len: usize,
    round_to: impl Fn(usize, &mut [u8]) -> Option<usize>,
) -> Option<Decimal> {
    let inside = |d: Decimal| reparse(d, f) == Some(bits) && on_bound(bits, f, d).is_none();
    for n in start_len.max(1)..=f.max_digits {
        let mut buf = [0u8; 48];
        let used = round_to(n, &mut buf)?;
        let Some(c) = Decimal::parse(&buf[..used]) else {
            continue;
        };
        if inside(c) {
            return Some(c);
        }
        // Scale c to exactly n digits so that ±1 is one unit in the n-th place.
        let shift = u32::try_from(
            usize::try_from(c.len())
                .ok()
                .map_or(0, |l| n.saturating_sub(l)),
        )
        .ok()?;
        let scaled = Decimal {
            digits: c.digits.checked_mul(10u64.checked_pow(shift)?)?,
            exp: c.exp - i32::try_from(shift).ok()?,
        };
        let above = match on_bound(bits, f, c) {
            Some(b) => b == Bound::Upper,
            None => reparse(c, f).is_some_and(|b| b > bits),
        };
        let neighbour = Decimal {
            digits: if above {
                scaled.digits - 1
            } else {
                scaled.digits + 1
            },
            exp: scaled.exp,
        }
        .normalized();
        if let Some(nb) = neighbour.filter(|&d| inside(d)) {
            return Some(nb);
        }
    }
    None
}

/// Writes the shortest decimal that PostgreSQL's Ryu would print for a finite value.
fn push_shortest(
    out: &mut Vec<u8>,
    ryu_text: &[u8],
    bits: u64,
    f: Format,
    sci_from: i32,
    round_to: impl Fn(usize, &mut [u8]) -> Option<usize>,
) {
    let (neg, s) = match ryu_text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, ryu_text),
    };
    if neg {
        out.push(b'-');
    }
    let Some(mut dec) = Decimal::parse(s) else {
        // Zero (either sign) is the only finite value without significant digits.
        out.push(b'0');
        return;
    };
    if on_bound(bits, f, dec).is_some() {
        let start = usize::try_from(dec.len()).unwrap_or(1);
        if let Some(d) = shortest_excluding_bounds(bits, f, start, round_to) {
            dec = d;
        }
    }
    push_decimal(out, dec, sci_from);
}

/// Writes `v` rounded to `n` significant digits into `buf` (exact, round-half-even),
/// returning the byte count. Uses `core::fmt`, which is exact and does not allocate.
fn round_f64(v: f64, n: usize, buf: &mut [u8]) -> Option<usize> {
    use std::io::Write;
    let total = buf.len();
    let mut w = &mut buf[..];
    write!(w, "{:.*e}", n.saturating_sub(1), v).ok()?;
    Some(total - w.len())
}

fn round_f32(v: f32, n: usize, buf: &mut [u8]) -> Option<usize> {
    use std::io::Write;
    let total = buf.len();
    let mut w = &mut buf[..];
    write!(w, "{:.*e}", n.saturating_sub(1), v).ok()?;
    Some(total - w.len())
}

/// Writes a `double precision` value exactly as PostgreSQL 12+ prints it by default
/// (`0.1`, `1e+100`, `1e-05`, `123456789012345`, `1e+15`, `-0`, `NaN`, `Infinity`).
pub fn float8(out: &mut Vec<u8>, v: f64) {
    if v.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if v.is_infinite() {
        out.extend_from_slice(if v > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else {
        let mut buf = ryu::Buffer::new();
        let abs = v.abs();
        push_shortest(
            out,
            buf.format_finite(v).as_bytes(),
            abs.to_bits(),
            F64,
            15,
            |n, b| round_f64(abs, n, b),
        );
    }
}

/// Writes a `real` value exactly as PostgreSQL 12+ prints it by default
/// (`1.2345679e+11`, `999999`, `1e+06`, `1e-05`, `-0`, `NaN`, `Infinity`).
pub fn float4(out: &mut Vec<u8>, v: f32) {
    if v.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if v.is_infinite() {
        out.extend_from_slice(if v > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else {
        let mut buf = ryu::Buffer::new();
        let abs = v.abs();
        push_shortest(
            out,
            buf.format_finite(v).as_bytes(),
            u64::from(abs.to_bits()),
            F32,
            6,
            |n, b| round_f32(abs, n, b),
        );
    }
}

/// Writes a `money` amount as plain `[-]D.CC` (`1234.56`, `-0.05`).
///
/// This is *input* text the server accepts under any `lc_monetary`; the server's own
/// output is locale dependent (`$1,234.56` in `en_US`/`C`), so a dump→restore→dump
/// cycle will not be byte-identical for money columns.
pub fn money(out: &mut Vec<u8>, cents: i64) {
    if cents < 0 {
        out.push(b'-');
    }
    let a = cents.unsigned_abs();
    let mut buf = itoa::Buffer::new();
    out.extend_from_slice(buf.format(a / 100).as_bytes());
    out.push(b'.');
    let c = a % 100;
    if c < 10 {
        out.push(b'0');
    }
    out.extend_from_slice(buf.format(c).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn numerics() {
        assert_eq!(s(|o| numeric(o, 1250, 2)), "12.50");
        assert_eq!(s(|o| numeric(o, 0, 2)), "0.00");
        assert_eq!(s(|o| numeric(o, -5, 2)), "-0.05");
        assert_eq!(s(|o| numeric(o, 100, 0)), "100");
        assert_eq!(s(|o| numeric(o, 0, 0)), "0");
        assert_eq!(s(|o| numeric(o, 1, 5)), "0.00001");
        assert_eq!(s(|o| numeric(o, -123_456, 3)), "-123.456");
        assert_eq!(s(|o| numeric(o, 123, 3)), "0.123");
        assert_eq!(
            s(|o| numeric(o, i128::MIN, 0)),
            "-170141183460469231731687303715884105728"
        );
        assert_eq!(
            s(|o| numeric(o, i128::MAX, 40)),
            "0.0170141183460469231731687303715884105727"
        );
        assert_eq!(
            s(|o| numeric(o, i128::MAX, 39)),
            "0.170141183460469231731687303715884105727"
        );
    }

    #[test]
    fn doubles() {
        // Every expected string is PostgreSQL 15 output of '<input>'::float8.
        let cases: &[(f64, &str)] = &[
            (1e15, "1e+15"),
            (1e14, "100000000000000"),
            (123_456_789_012_345.0, "123456789012345"),
            (1_234_567_890_123_456.0, "1.234567890123456e+15"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-5, "1.5e-05"),
            (-0.0, "-0"),
            (0.0, "0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (1e-310, "1e-310"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (0.1, "0.1"),
            (100.0, "100"),
            (1e22, "1e+22"),
            (1e21, "1e+21"),
            (123e20, "1.2300000000000001e+22"),
            (1e100, "1e+100"),
            (-1.5, "-1.5"),
            (0.000_123_4, "0.0001234"),
            (123.456, "123.456"),
        ];
        for &(v, want) in cases {
            assert_eq!(s(|o| float8(o, v)), want, "{v:e}");
        }
    }

    #[test]
    fn reals() {
        // Every expected string is PostgreSQL 15 output of '<input>'::float4.
        let cases: &[(f32, &str)] = &[
            (1e6, "1e+06"),
            (999_999.0, "999999"),
            (1_234_567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.234_567_9e11, "1.2345679e+11"),
            (3.4e38, "3.4e+38"),
            (1e-45, "1e-45"),
            (-0.0, "-0"),
            (100_000.0, "100000"),
            (1.5e-5, "1.5e-05"),
            (16_777_216.0, "1.6777216e+07"),
            (f32::NAN, "NaN"),
            (f32::NEG_INFINITY, "-Infinity"),
            (0.1, "0.1"),
        ];
        for &(v, want) in cases {
            assert_eq!(s(|o| float4(o, v)), want, "{v:e}");
        }
    }

    #[test]
    fn exact_midpoints_are_avoided() {
        // Values whose shortest digits lie exactly halfway between two floats; PostgreSQL
        // (STRICTLY_SHORTEST 0) prints a longer string. All 864 such k×10^e values with
        // k < 1000 were checked against the server; these are a sample.
        let d: &[(&str, &str)] = &[
            ("123e20", "1.2300000000000001e+22"),
            ("473e19", "4.729999999999999e+21"),
            ("475e19", "4.750000000000001e+21"),
        ];
        for &(input, want) in d {
            assert_eq!(s(|o| float8(o, input.parse().unwrap())), want, "{input}");
        }
        let f: &[(&str, &str)] = &[
            ("215e7", "2.1500001e+09"),
            ("43e8", "4.3000003e+09"),
            ("9e9", "8.999999e+09"),
        ];
        for &(input, want) in f {
            assert_eq!(s(|o| float4(o, input.parse().unwrap())), want, "{input}");
        }
        // Midpoint detection itself.
        let v: f64 = 123e20;
        let dec = Decimal {
            digits: 123,
            exp: 20,
        };
        assert!(on_bound(v.to_bits(), F64, dec).is_some());
        assert_eq!(
            on_bound(0.1f64.to_bits(), F64, Decimal { digits: 1, exp: -1 }),
            None
        );
    }

    #[test]
    fn no_panics_on_extremes() {
        let mut o = Vec::new();
        for v in [
            f64::MIN_POSITIVE,
            -f64::MAX,
            f64::EPSILON,
            2.225_073_858_507_201e-308,
        ] {
            float8(&mut o, v);
        }
        for bits in (0..u32::MAX).step_by(65_537) {
            float4(&mut o, f32::from_bits(bits));
        }
        for bits in (0..u64::MAX).step_by(0x0000_7fff_ffff_ffff) {
            float8(&mut o, f64::from_bits(bits));
        }
        numeric(&mut o, i128::MIN, 16383);
        assert!(!o.is_empty());
    }

    #[test]
    fn moneys() {
        assert_eq!(s(|o| money(o, 123_456)), "1234.56");
        assert_eq!(s(|o| money(o, -5)), "-0.05");
        assert_eq!(s(|o| money(o, 0)), "0.00");
        assert_eq!(s(|o| money(o, i64::MIN)), "-92233720368547758.08");
        assert_eq!(s(|o| money(o, i64::MAX)), "92233720368547758.07");
    }
}
