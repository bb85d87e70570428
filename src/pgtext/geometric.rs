//! Geometric types. Coordinates use the same shortest-float rules as `double precision`
//! (PostgreSQL's `pair_encode` goes through `float8out_internal`).

use super::numeric::float8;

fn push_point(out: &mut Vec<u8>, x: f64, y: f64) {
    out.push(b'(');
    float8(out, x);
    out.push(b',');
    float8(out, y);
    out.push(b')');
}

fn push_points(out: &mut Vec<u8>, pts: &[(f64, f64)]) {
    for (i, &(x, y)) in pts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_point(out, x, y);
    }
}

/// Writes a `point`: `(1,2)`.
pub fn point(out: &mut Vec<u8>, x: f64, y: f64) {
    push_point(out, x, y);
}

/// Writes a `line` `Ax + By + C = 0` as `{A,B,C}` (caller keeps A and B not both zero).
pub fn line(out: &mut Vec<u8>, a: f64, b: f64, c: f64) {
    out.push(b'{');
    float8(out, a);
    out.push(b',');
    float8(out, b);
    out.push(b',');
    float8(out, c);
    out.push(b'}');
}

/// Writes an `lseg`: `[(1,2),(3,4)]` (endpoint order is kept, as PostgreSQL does).
pub fn lseg(out: &mut Vec<u8>, p1: (f64, f64), p2: (f64, f64)) {
    out.push(b'[');
    push_point(out, p1.0, p1.1);
    out.push(b',');
    push_point(out, p2.0, p2.1);
    out.push(b']');
}

/// Writes a `box` from any two opposite corners, normalised like PostgreSQL's `box_in`:
/// upper-right corner first, `(3,4),(1,2)`.
pub fn box_(out: &mut Vec<u8>, p1: (f64, f64), p2: (f64, f64)) {
    // f64::max/min ignore NaN, whereas PostgreSQL compares with float8_gt; boxes with
    // NaN corners are not meaningful mock data, so the simpler rule is fine.
    let (hx, lx) = if p1.0 >= p2.0 {
        (p1.0, p2.0)
    } else {
        (p2.0, p1.0)
    };
    let (hy, ly) = if p1.1 >= p2.1 {
        (p1.1, p2.1)
    } else {
        (p2.1, p1.1)
    };
    push_point(out, hx, hy);
    out.push(b',');
    push_point(out, lx, ly);
}

/// Writes a `path`: closed `((1,2),(3,4))` or open `[(1,2),(3,4)]`.
///
/// Caller's contract: at least one point (PostgreSQL rejects an empty path).
pub fn path(out: &mut Vec<u8>, pts: &[(f64, f64)], closed: bool) {
    out.push(if closed { b'(' } else { b'[' });
    push_points(out, pts);
    out.push(if closed { b')' } else { b']' });
}

/// Writes a `polygon`: `((1,2),(3,4),(5,6))`.
///
/// Caller's contract: at least one point (PostgreSQL rejects an empty polygon).
pub fn polygon(out: &mut Vec<u8>, pts: &[(f64, f64)]) {
    out.push(b'(');
    push_points(out, pts);
    out.push(b')');
}

/// Writes a `circle`: `<(1,2),3>` (caller keeps the radius non-negative).
pub fn circle(out: &mut Vec<u8>, center: (f64, f64), r: f64) {
    out.push(b'<');
    push_point(out, center.0, center.1);
    out.push(b',');
    float8(out, r);
    out.push(b'>');
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
    fn shapes() {
        // Expected strings are PostgreSQL 15 output.
        assert_eq!(s(|o| point(o, 0.1, -0.0)), "(0.1,-0)");
        assert_eq!(s(|o| point(o, 1e100, f64::NAN)), "(1e+100,NaN)");
        assert_eq!(
            s(|o| point(o, f64::INFINITY, f64::NEG_INFINITY)),
            "(Infinity,-Infinity)"
        );
        assert_eq!(s(|o| line(o, 1.0, 2.0, 3.0)), "{1,2,3}");
        assert_eq!(s(|o| lseg(o, (3.0, 4.0), (1.0, 2.0))), "[(3,4),(1,2)]");
        assert_eq!(s(|o| box_(o, (1.0, 2.0), (3.0, 4.0))), "(3,4),(1,2)");
        assert_eq!(s(|o| box_(o, (3.0, 2.0), (1.0, 4.0))), "(3,4),(1,2)");
        assert_eq!(
            s(|o| path(o, &[(1.0, 2.0), (3.0, 4.0)], false)),
            "[(1,2),(3,4)]"
        );
        assert_eq!(
            s(|o| path(o, &[(1.0, 2.0), (3.0, 4.0)], true)),
            "((1,2),(3,4))"
        );
        assert_eq!(
            s(|o| polygon(o, &[(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)])),
            "((1,2),(3,4),(5,6))"
        );
        assert_eq!(s(|o| circle(o, (1.0, 2.0), 3.0)), "<(1,2),3>");
    }
}
