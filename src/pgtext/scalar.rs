//! Small scalar types: `boolean`, `uuid`, `bytea` (hex) and `bit`/`varbit`.

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Writes a `boolean`: `t` or `f`.
pub fn boolean(out: &mut Vec<u8>, b: bool) {
    out.push(if b { b't' } else { b'f' });
}

/// Writes a `uuid` in PostgreSQL's lowercase 8-4-4-4-12 form (most significant byte first).
pub fn uuid(out: &mut Vec<u8>, u: u128) {
    let bytes = u.to_be_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push(b'-');
        }
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 0xf)]);
    }
}

/// Writes `bytea` in hex output form: `\x` + lowercase hex (`\x` alone when empty).
///
/// This is the value text; COPY escaping later doubles the backslash (`\\xdead`).
pub fn bytea_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(2 + 2 * bytes.len());
    out.extend_from_slice(b"\\x");
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 0xf)]);
    }
}

/// Writes a `bit`/`varbit` value as `0`/`1` characters, first item first.
pub fn bits(out: &mut Vec<u8>, bits: impl Iterator<Item = bool>) {
    out.extend(bits.map(|b| if b { b'1' } else { b'0' }));
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
    fn scalars() {
        assert_eq!(s(|o| boolean(o, true)), "t");
        assert_eq!(s(|o| boolean(o, false)), "f");
        assert_eq!(
            s(|o| uuid(o, 0x411d_0f03_8c7d_4cc1_9502_5632_3059_abd3)),
            "411d0f03-8c7d-4cc1-9502-56323059abd3"
        );
        assert_eq!(s(|o| uuid(o, 0)), "00000000-0000-0000-0000-000000000000");
        assert_eq!(
            s(|o| uuid(o, u128::MAX)),
            "ffffffff-ffff-ffff-ffff-ffffffffffff"
        );
        assert_eq!(
            s(|o| bytea_hex(o, &[0xde, 0xad, 0xbe, 0xef])),
            "\\xdeadbeef"
        );
        assert_eq!(s(|o| bytea_hex(o, &[0x00, 0xff])), "\\x00ff");
        assert_eq!(s(|o| bytea_hex(o, &[])), "\\x");
        assert_eq!(
            s(|o| bits(o, [true, false, true, true].into_iter())),
            "1011"
        );
        assert_eq!(s(|o| bits(o, std::iter::empty())), "");
    }
}
