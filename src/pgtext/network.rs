//! `inet`, `cidr`, `macaddr` and `macaddr8` text.
//!
//! IPv6 follows PostgreSQL's BIND-derived `inet_net_ntop`: the longest run (first one on
//! ties) of at least two zero groups becomes `::`, groups are lowercase hex without
//! leading zeros, and the last 32 bits print as dotted IPv4 when the first 96 bits are
//! zero (`::1.2.3.4`) or the address is IPv4-mapped (`::ffff:1.2.3.4`). That is close to,
//! but not identical with, RFC 5952 (which never uses dotted form for `::a.b.c.d`).

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_u8(out: &mut Vec<u8>, v: u8) {
    let mut buf = itoa::Buffer::new();
    out.extend_from_slice(buf.format(v).as_bytes());
}

fn push_v4(out: &mut Vec<u8>, addr: u32) {
    for (i, b) in addr.to_be_bytes().into_iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        push_u8(out, b);
    }
}

fn push_hex16(out: &mut Vec<u8>, w: u16) {
    let mut started = false;
    for shift in [12u16, 8, 4, 0] {
        let nib = (w >> shift) & 0xf;
        if nib != 0 || started || shift == 0 {
            out.push(HEX[usize::from(nib)]);
            started = true;
        }
    }
}

fn push_v6(out: &mut Vec<u8>, addr: u128) {
    let mut words = [0u16; 8];
    for (i, w) in words.iter_mut().enumerate() {
        // Truncation to the 16-bit group is the point of this cast.
        #[allow(clippy::cast_possible_truncation)]
        {
            *w = (addr >> (112 - 16 * i)) as u16;
        }
    }
    // Longest run of zero groups; strict '>' keeps the first of equal runs.
    let (mut best_base, mut best_len) = (usize::MAX, 0usize);
    let (mut cur_base, mut cur_len) = (0usize, 0usize);
    for (i, &w) in words.iter().enumerate() {
        if w == 0 {
            if cur_len == 0 {
                cur_base = i;
            }
            cur_len += 1;
            if cur_len > best_len {
                best_base = cur_base;
                best_len = cur_len;
            }
        } else {
            cur_len = 0;
        }
    }
    if best_len < 2 {
        // A single zero group is never compressed.
        best_base = usize::MAX;
        best_len = 0;
    }
    let mut i = 0;
    while i < 8 {
        if i == best_base {
            // "::" stands for the run; the group loop adds no separator after it.
            out.extend_from_slice(b"::");
            i += best_len;
            continue;
        }
        if i != 0 && i != best_base.wrapping_add(best_len) {
            out.push(b':');
        }
        // Embedded IPv4: ::a.b.c.d or ::ffff:a.b.c.d.
        if i == 6 && best_base == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff)) {
            #[allow(clippy::cast_possible_truncation)]
            push_v4(out, addr as u32);
            break;
        }
        push_hex16(out, words[i]);
        i += 1;
    }
}

fn push_prefix(out: &mut Vec<u8>, prefix: u8) {
    out.push(b'/');
    push_u8(out, prefix);
}

/// Writes an IPv4 `inet`: `192.168.0.1/24`, or `10.0.0.1` when the prefix is 32.
///
/// Prefixes above 32 are the caller's bug and are clamped to 32.
pub fn inet_v4(out: &mut Vec<u8>, addr: u32, prefix: u8) {
    debug_assert!(prefix <= 32);
    push_v4(out, addr);
    if prefix < 32 {
        push_prefix(out, prefix);
    }
}

/// Writes an IPv4 `cidr`: always with the mask (`10.0.0.0/8`, `1.2.3.4/32`).
///
/// Caller's contract: host bits are zero (use [`mask_v4`]), otherwise the server rejects
/// the value. Prefixes above 32 are clamped.
pub fn cidr_v4(out: &mut Vec<u8>, addr: u32, prefix: u8) {
    debug_assert!(prefix <= 32 && addr == mask_v4(addr, prefix));
    push_v4(out, addr);
    push_prefix(out, prefix.min(32));
}

/// Clears the host bits of `addr` beyond `prefix` (prefix above 32 keeps all bits).
#[must_use]
pub fn mask_v4(addr: u32, prefix: u8) -> u32 {
    match prefix {
        0 => 0,
        p if p >= 32 => addr,
        p => addr & (u32::MAX << (32 - u32::from(p))),
    }
}

/// Writes an IPv6 `inet` (`::1`, `2001:db8::1/64`), omitting `/128`.
///
/// Prefixes above 128 are the caller's bug and are clamped to 128.
pub fn inet_v6(out: &mut Vec<u8>, addr: u128, prefix: u8) {
    debug_assert!(prefix <= 128);
    push_v6(out, addr);
    if prefix < 128 {
        push_prefix(out, prefix);
    }
}

/// Writes an IPv6 `cidr`, always with the mask (`2001:db8::/32`, `::/0`).
///
/// Caller's contract: host bits are zero (use [`mask_v6`]).
pub fn cidr_v6(out: &mut Vec<u8>, addr: u128, prefix: u8) {
    debug_assert!(prefix <= 128 && addr == mask_v6(addr, prefix));
    push_v6(out, addr);
    push_prefix(out, prefix.min(128));
}

/// Clears the host bits of `addr` beyond `prefix` (prefix above 128 keeps all bits).
#[must_use]
pub fn mask_v6(addr: u128, prefix: u8) -> u128 {
    match prefix {
        0 => 0,
        p if p >= 128 => addr,
        p => addr & (u128::MAX << (128 - u32::from(p))),
    }
}

fn push_mac(out: &mut Vec<u8>, bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(b':');
        }
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 0xf)]);
    }
}

/// Writes a `macaddr`: `08:00:2b:01:02:03`.
pub fn macaddr(out: &mut Vec<u8>, mac: [u8; 6]) {
    push_mac(out, &mac);
}

/// Writes a `macaddr8`: `08:00:2b:01:02:03:04:05`.
pub fn macaddr8(out: &mut Vec<u8>, mac: [u8; 8]) {
    push_mac(out, &mac);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    fn v6(groups: [u16; 8]) -> u128 {
        groups.iter().fold(0u128, |a, &g| (a << 16) | u128::from(g))
    }

    #[test]
    fn v4() {
        assert_eq!(s(|o| inet_v4(o, 0xc0a8_0001, 24)), "192.168.0.1/24");
        assert_eq!(s(|o| inet_v4(o, 0x0a00_0001, 32)), "10.0.0.1");
        assert_eq!(s(|o| inet_v4(o, 0x0a01_0203, 8)), "10.1.2.3/8");
        assert_eq!(s(|o| cidr_v4(o, 0x0a00_0000, 8)), "10.0.0.0/8");
        assert_eq!(s(|o| cidr_v4(o, 0, 0)), "0.0.0.0/0");
        assert_eq!(s(|o| cidr_v4(o, 0x0102_0304, 32)), "1.2.3.4/32");
        assert_eq!(mask_v4(0x0a01_0203, 8), 0x0a00_0000);
        assert_eq!(mask_v4(0xffff_ffff, 0), 0);
        assert_eq!(mask_v4(0xffff_ffff, 31), 0xffff_fffe);
        assert_eq!(mask_v4(0xffff_ffff, 40), 0xffff_ffff);
    }

    #[test]
    fn v6_forms() {
        // Every expected string is PostgreSQL 15 output for the same address.
        let cases: &[([u16; 8], &str)] = &[
            ([0, 0, 0, 0, 0, 0, 0, 1], "::1"),
            ([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304], "::ffff:1.2.3.4"),
            ([0, 0, 0, 0, 0, 0, 0x0102, 0x0304], "::1.2.3.4"),
            ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], "2001:db8::1"),
            ([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], "2001:db8::1:0:0:1"),
            ([0x2001, 0, 0, 1, 0, 0, 0, 1], "2001:0:0:1::1"),
            ([1, 0, 2, 3, 4, 5, 6, 7], "1:0:2:3:4:5:6:7"),
            ([0; 8], "::"),
            ([0, 0, 0, 0, 0, 2, 3, 4], "::2:3:4"),
            ([0, 0, 0, 0, 0, 0, 2, 0x0304], "::0.2.3.4"),
            ([0, 0, 0, 0, 0, 0xffff, 0, 0], "::ffff:0.0.0.0"),
            ([0, 0, 0, 0, 1, 2, 3, 4], "::1:2:3:4"),
            ([0, 0, 0, 0, 0, 1, 0, 0], "::1:0:0"),
            ([0, 0, 0, 0, 0, 0xfffe, 0x0102, 0x0304], "::fffe:102:304"),
            (
                [0x64, 0xff9b, 0, 0, 0, 0, 0x0102, 0x0304],
                "64:ff9b::102:304",
            ),
            ([0, 0, 0, 0, 0, 0, 0, 0x100], "::100"),
            ([0, 0, 0, 0, 0, 0, 1, 0], "::0.1.0.0"),
            ([0, 0, 0, 0, 0, 0, 0, 2], "::2"),
            ([0, 0, 0, 0, 0, 0, 0xffff, 0xffff], "::255.255.255.255"),
            ([0, 0, 0, 0, 0, 0, 0, 0xffff], "::ffff"),
            ([0, 0, 0, 0, 1, 0xffff, 0x0102, 0x0304], "::1:ffff:102:304"),
            ([1, 0, 0, 0, 0, 0, 0, 0], "1::"),
            ([1, 2, 3, 4, 5, 6, 7, 0], "1:2:3:4:5:6:7:0"),
            ([0xabcd; 8], "abcd:abcd:abcd:abcd:abcd:abcd:abcd:abcd"),
        ];
        for &(g, want) in cases {
            assert_eq!(s(|o| inet_v6(o, v6(g), 128)), want);
        }
        assert_eq!(
            s(|o| inet_v6(o, v6([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]), 120)),
            "::ffff:1.2.3.4/120"
        );
        assert_eq!(s(|o| cidr_v6(o, 0, 0)), "::/0");
        assert_eq!(
            s(|o| cidr_v6(o, v6([0, 0, 0, 0, 0, 0xffff, 0, 0]), 96)),
            "::ffff:0.0.0.0/96"
        );
        assert_eq!(mask_v6(u128::MAX, 64), u128::MAX << 64);
        assert_eq!(mask_v6(u128::MAX, 0), 0);
    }

    #[test]
    fn macs() {
        assert_eq!(
            s(|o| macaddr(o, [8, 0, 0x2b, 1, 2, 3])),
            "08:00:2b:01:02:03"
        );
        assert_eq!(
            s(|o| macaddr8(o, [8, 0, 0x2b, 1, 2, 3, 0xff, 0xfe])),
            "08:00:2b:01:02:03:ff:fe"
        );
    }
}
