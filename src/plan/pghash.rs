//! Recomputes PostgreSQL's hash-partition routing so generated rows land in the right partition without a server.
//!
//! Supported partition-key types (with their default hash operator classes):
//! `smallint`, `integer`, `bigint`, `boolean`, `text` / `varchar` / `name`
//! (deterministic collations only), `char(n)` (`bpchar`), `uuid`, `date`,
//! `timestamp` / `timestamptz`, `double precision` and `real`.
//!
//! NOT supported: enums (their hash is the OID of the label, assigned by the
//! server at `CREATE TYPE` time), `numeric`, `interval`, `time`/`timetz`,
//! `bytea`, arrays, ranges, records, `inet`, `jsonb`, text under a
//! nondeterministic (ICU) collation, custom hash operator classes and
//! expression keys (hash the expression's value yourself).
//!
//! The byte-string hash matches little-endian servers (x86-64, aarch64):
//! PostgreSQL loads the key as native-endian 32-bit words, so big-endian
//! servers place text/uuid/float keys differently.

/// Seed PostgreSQL passes to every per-column extended hash function.
const HASH_PARTITION_SEED: u64 = 0x7A5B_2236_7996_DCFD;

/// Initial state of lookup3: golden-ratio constant plus PostgreSQL's tweak.
const LOOKUP3_INIT: u32 = 0x9e37_79b9_u32.wrapping_add(3_923_095);

/// Bit pattern PostgreSQL substitutes for every NaN (`get_float8_nan()`).
const CANONICAL_NAN_BITS: u64 = 0x7ff8_0000_0000_0000;

/// A partition-key value in PostgreSQL's internal representation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HashValue<'a> {
    /// `smallint`
    Int2(i16),
    /// `integer`
    Int4(i32),
    /// `bigint`
    Int8(i64),
    /// `boolean`
    Bool(bool),
    /// text / varchar / name-like byte strings (deterministic collation: raw bytes)
    Text(&'a [u8]),
    /// char(n) (bpchar): trailing spaces are ignored by PostgreSQL's hash
    BpChar(&'a [u8]),
    /// `uuid`, in its 16-byte big-endian wire/storage order
    Uuid([u8; 16]),
    /// date: days since 2000-01-01 (PostgreSQL epoch)
    Date(i32),
    /// timestamp / timestamptz: microseconds since 2000-01-01 00:00 UTC
    Timestamp(i64),
    /// float8, and float4 widened with `f64::from(x)`: `hashfloat4extended`
    /// widens to float8 before hashing, so both give the same hash.
    /// 0.0 and -0.0 hash alike, as do all NaNs.
    Float8(f64),
}

/// The 64-bit row hash PostgreSQL computes for a hash-partition key (None = NULL column).
pub fn row_hash(keys: &[Option<HashValue<'_>>]) -> u64 {
    // NULL columns are skipped entirely, not hashed as some placeholder.
    keys.iter()
        .flatten()
        .map(|value| value_hash(value, HASH_PARTITION_SEED))
        .fold(0, hash_combine64)
}

/// Whether a row with `keys` belongs in the partition `WITH (modulus, remainder)`.
pub fn in_partition(keys: &[Option<HashValue<'_>>], modulus: u64, remainder: u64) -> bool {
    // PostgreSQL rejects modulus 0, so no row can belong to such a partition.
    modulus != 0 && row_hash(keys) % modulus == remainder
}

/// Per-type extended hash, mirroring the type's default hash opclass support function 2.
fn value_hash(value: &HashValue<'_>, seed: u64) -> u64 {
    match *value {
        // int2, bool and date widen to int32 like hashint2/hashchar/hashint4 do.
        HashValue::Int2(v) => hash_u32_extended(i32::from(v) as u32, seed),
        HashValue::Int4(v) | HashValue::Date(v) => hash_u32_extended(v as u32, seed),
        HashValue::Bool(v) => hash_u32_extended(u32::from(v), seed),
        HashValue::Int8(v) | HashValue::Timestamp(v) => hash_u32_extended(fold_int8(v), seed),
        HashValue::Text(bytes) => hash_bytes_extended(bytes, seed),
        HashValue::BpChar(bytes) => hash_bytes_extended(trim_trailing_spaces(bytes), seed),
        HashValue::Uuid(bytes) => hash_bytes_extended(&bytes, seed),
        HashValue::Float8(v) => hash_float8(v, seed),
    }
}

/// Folds an int8 to 32 bits so that equal int2/int4/int8 values hash alike.
fn fold_int8(v: i64) -> u32 {
    let low = v as u32;
    let high = (v >> 32) as u32;
    // Negative values xor the complemented high half, so small negatives
    // collapse to their int4 bit pattern.
    if v >= 0 {
        low ^ high
    } else {
        low ^ !high
    }
}

/// `hashfloat8extended`: zeros return the bare seed, NaNs are canonicalised.
fn hash_float8(v: f64, seed: u64) -> u64 {
    if v == 0.0 {
        // Covers -0.0 too; PostgreSQL skips hashing and returns the seed.
        return seed;
    }
    let bits = if v.is_nan() {
        CANONICAL_NAN_BITS
    } else {
        v.to_bits()
    };
    hash_bytes_extended(&bits.to_le_bytes(), seed)
}

/// bpchar comparisons ignore pad spaces, so the hash must as well (only ' ').
fn trim_trailing_spaces(bytes: &[u8]) -> &[u8] {
    let len = bytes.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
    &bytes[..len]
}

/// PostgreSQL's `hash_combine64` (boost-style mixing of two 64-bit hashes).
fn hash_combine64(acc: u64, hash: u64) -> u64 {
    acc ^ hash
        .wrapping_add(0x49a0_f4dd_15e5_a8e3)
        .wrapping_add(acc << 54)
        .wrapping_add(acc >> 7)
}

/// lookup3 internal state (a, b, c).
struct State {
    a: u32,
    b: u32,
    c: u32,
}

impl State {
    /// Starts the state for a key of `len` bytes, perturbed by a non-zero seed.
    fn new(len: u32, seed: u64) -> Self {
        let init = LOOKUP3_INIT.wrapping_add(len);
        let mut state = State {
            a: init,
            b: init,
            c: init,
        };
        // Seed 0 means "unseeded" to PostgreSQL, so it must not be mixed in.
        if seed != 0 {
            state.a = state.a.wrapping_add((seed >> 32) as u32);
            state.b = state.b.wrapping_add(seed as u32);
            state.mix();
        }
        state
    }

    /// Reversible mixing step applied after each full 12-byte block.
    fn mix(&mut self) {
        let State { a, b, c } = self;
        *a = a.wrapping_sub(*c) ^ c.rotate_left(4);
        *c = c.wrapping_add(*b);
        *b = b.wrapping_sub(*a) ^ a.rotate_left(6);
        *a = a.wrapping_add(*c);
        *c = c.wrapping_sub(*b) ^ b.rotate_left(8);
        *b = b.wrapping_add(*a);
        *a = a.wrapping_sub(*c) ^ c.rotate_left(16);
        *c = c.wrapping_add(*b);
        *b = b.wrapping_sub(*a) ^ a.rotate_left(19);
        *a = a.wrapping_add(*c);
        *c = c.wrapping_sub(*b) ^ b.rotate_left(4);
        *b = b.wrapping_add(*a);
    }

    /// Final avalanche, then PostgreSQL's 64-bit result: `b` high, `c` low.
    fn finish(mut self) -> u64 {
        let State { a, b, c } = &mut self;
        *c = (*c ^ *b).wrapping_sub(b.rotate_left(14));
        *a = (*a ^ *c).wrapping_sub(c.rotate_left(11));
        *b = (*b ^ *a).wrapping_sub(a.rotate_left(25));
        *c = (*c ^ *b).wrapping_sub(b.rotate_left(16));
        *a = (*a ^ *c).wrapping_sub(c.rotate_left(4));
        *b = (*b ^ *a).wrapping_sub(a.rotate_left(14));
        *c = (*c ^ *b).wrapping_sub(b.rotate_left(24));
        (u64::from(self.b) << 32) | u64::from(self.c)
    }
}

/// Little-endian u32 from up to four bytes, zero-padded.
fn le_word(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    let n = bytes.len().min(4);
    word[..n].copy_from_slice(&bytes[..n]);
    u32::from_le_bytes(word)
}

/// `hash_bytes_extended` (lookup3 with a 64-bit seed) on a little-endian host.
fn hash_bytes_extended(key: &[u8], seed: u64) -> u64 {
    // PostgreSQL passes the length as an int; values are capped at 1 GB.
    let mut state = State::new(key.len() as u32, seed);
    let mut blocks = key.chunks_exact(12);
    for block in &mut blocks {
        state.a = state.a.wrapping_add(le_word(&block[0..4]));
        state.b = state.b.wrapping_add(le_word(&block[4..8]));
        state.c = state.c.wrapping_add(le_word(&block[8..12]));
        state.mix();
    }
    let tail = blocks.remainder();
    let (ab, c_part) = tail.split_at(tail.len().min(8));
    let (a_part, b_part) = ab.split_at(ab.len().min(4));
    state.a = state.a.wrapping_add(le_word(a_part));
    state.b = state.b.wrapping_add(le_word(b_part));
    // The low byte of c is left for the length, so tail bytes 8..11 go one byte up.
    state.c = state.c.wrapping_add(le_word(c_part) << 8);
    state.finish()
}

/// `hash_bytes_uint32_extended`: lookup3 of a single 32-bit word.
fn hash_u32_extended(k: u32, seed: u64) -> u64 {
    let mut state = State::new(4, seed);
    state.a = state.a.wrapping_add(k);
    state.finish()
}

#[cfg(test)]
mod tests {
    //! Every pinned number below was read from a real PostgreSQL 15.18
    //! (x86-64) server: per-type hashes from `hash*extended(value,
    //! HASH_PARTITION_SEED)`, remainders from the partition that the
    //! server's own tuple routing chose for `PARTITION BY HASH` tables with
    //! moduli 4, 7 and 16.
    use super::*;

    /// The partition each of the moduli 4, 7 and 16 routes `keys` to.
    fn remainders(keys: &[Option<HashValue<'_>>]) -> [u64; 3] {
        [4, 7, 16].map(|modulus| {
            let hits: Vec<u64> = (0..modulus)
                .filter(|&r| in_partition(keys, modulus, r))
                .collect();
            assert_eq!(hits.len(), 1, "{keys:?} must land in exactly one partition");
            hits[0]
        })
    }

    /// Checks a single-column key against the server's per-type hash and routing.
    fn check(value: HashValue<'_>, pg_hash: u64, expected: [u64; 3]) {
        assert_eq!(
            value_hash(&value, HASH_PARTITION_SEED),
            pg_hash,
            "{value:?}"
        );
        assert_eq!(remainders(&[Some(value)]), expected, "{value:?}");
    }

    #[test]
    fn int2() {
        check(HashValue::Int2(0), 14043151463718383821, [0, 4, 0]);
        check(HashValue::Int2(1), 5968994663651403477, [0, 5, 8]);
        check(HashValue::Int2(-1), 13429671726050313922, [1, 0, 5]);
        check(HashValue::Int2(i16::MAX), 12010047844423284203, [2, 5, 14]);
        check(HashValue::Int2(i16::MIN), 5885242512097991578, [1, 0, 13]);
    }

    #[test]
    fn int4() {
        check(HashValue::Int4(0), 14043151463718383821, [0, 4, 0]);
        check(HashValue::Int4(1), 5968994663651403477, [0, 5, 8]);
        check(HashValue::Int4(-1), 13429671726050313922, [1, 0, 5]);
        check(HashValue::Int4(42), 7363975540656877951, [2, 0, 2]);
        check(HashValue::Int4(i32::MAX), 12396478474604902556, [3, 0, 15]);
        check(HashValue::Int4(i32::MIN), 4938542303000433043, [2, 3, 6]);
    }

    #[test]
    fn int8() {
        check(HashValue::Int8(0), 14043151463718383821, [0, 4, 0]);
        check(HashValue::Int8(1), 5968994663651403477, [0, 5, 8]);
        check(HashValue::Int8(-1), 13429671726050313922, [1, 0, 5]);
        check(HashValue::Int8(42), 7363975540656877951, [2, 0, 2]);
        // The 32-bit fold makes 2^32 collide with 1, and i64::MAX with i32::MIN.
        check(HashValue::Int8(1 << 32), 5968994663651403477, [0, 5, 8]);
        check(HashValue::Int8(i64::MAX), 4938542303000433043, [2, 3, 6]);
        check(HashValue::Int8(i64::MIN), 12396478474604902556, [3, 0, 15]);
    }

    #[test]
    fn bool_hashes_like_int4_zero_and_one() {
        check(HashValue::Bool(true), 5968994663651403477, [0, 5, 8]);
        check(HashValue::Bool(false), 14043151463718383821, [0, 4, 0]);
    }

    #[test]
    fn text() {
        check(HashValue::Text(b""), 12746098489256034243, [2, 1, 6]);
        check(HashValue::Text(b"a"), 11741518614589318779, [2, 3, 14]);
        check(
            HashValue::Text(b"hello world"),
            7664296498819024037,
            [0, 4, 8],
        );
        check(
            HashValue::Text(b"exactly12chr"),
            1711395647138098167,
            [2, 4, 10],
        );
        check(
            HashValue::Text(b"postgresql hash partitioning"),
            6053945659139266637,
            [0, 3, 0],
        );
        check(
            HashValue::Text("ünïcödé".as_bytes()),
            9931081689998059447,
            [2, 6, 10],
        );
    }

    #[test]
    fn bpchar_ignores_trailing_spaces_only() {
        check(HashValue::BpChar(b"abc"), 3628778498291917250, [1, 3, 5]);
        check(
            HashValue::BpChar(b"abc       "),
            3628778498291917250,
            [1, 3, 5],
        );
        check(HashValue::BpChar(b""), 12746098489256034243, [2, 1, 6]);
        check(HashValue::BpChar(b"   "), 12746098489256034243, [2, 1, 6]);
        check(HashValue::BpChar(b" abc"), 10229866410602704618, [1, 0, 13]);
    }

    #[test]
    fn uuid() {
        check(HashValue::Uuid([0; 16]), 13165661927312822978, [1, 2, 5]);
        let sample = [
            0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38,
            0x0a, 0x11,
        ];
        check(HashValue::Uuid(sample), 424513190990560493, [0, 6, 0]);
        check(HashValue::Uuid([0xff; 16]), 18297757609368245406, [1, 0, 1]);
    }

    #[test]
    fn date() {
        check(HashValue::Date(0), 14043151463718383821, [0, 4, 0]);
        check(HashValue::Date(8825), 11021649926015620100, [3, 2, 7]); // 2024-02-29
        check(HashValue::Date(-10957), 10655616012227526183, [2, 0, 10]); // 1970-01-01
        check(HashValue::Date(i32::MAX), 12396478474604902556, [3, 0, 15]); // infinity
        check(HashValue::Date(i32::MIN), 4938542303000433043, [2, 3, 6]); // -infinity
    }

    #[test]
    fn timestamp() {
        check(HashValue::Timestamp(0), 14043151463718383821, [0, 4, 0]);
        // 2024-02-29 12:34:56.789012, also as timestamptz at +00 or +02 offsets.
        check(
            HashValue::Timestamp(762_525_296_789_012),
            2504755349682345038,
            [1, 2, 1],
        );
        // 1970-01-01 00:00
        check(
            HashValue::Timestamp(-946_684_800_000_000),
            15006245745915020350,
            [1, 6, 1],
        );
        check(
            HashValue::Timestamp(i64::MAX),
            4938542303000433043,
            [2, 3, 6],
        ); // infinity
    }

    #[test]
    fn float8() {
        // Both zeros skip hashing and yield the seed itself.
        check(HashValue::Float8(0.0), HASH_PARTITION_SEED, [0, 5, 0]);
        check(HashValue::Float8(-0.0), HASH_PARTITION_SEED, [0, 5, 0]);
        check(HashValue::Float8(1.5), 15620360752663668638, [1, 1, 1]);
        check(HashValue::Float8(-2.25), 10660254919865550946, [1, 5, 5]);
        check(HashValue::Float8(0.1), 8245503238132018451, [2, 1, 6]);
        check(HashValue::Float8(1e300), 982079225417220847, [2, 3, 2]);
        check(
            HashValue::Float8(f64::INFINITY),
            13476307190055453180,
            [3, 4, 15],
        );
        check(
            HashValue::Float8(f64::NEG_INFINITY),
            7927086137625499499,
            [2, 0, 14],
        );
    }

    #[test]
    fn float8_nans_all_hash_like_the_canonical_nan() {
        let negative_nan = f64::from_bits(0xfff8_0000_0000_0000);
        let payload_nan = f64::from_bits(0x7ff0_0000_0000_0001);
        for nan in [f64::NAN, negative_nan, payload_nan] {
            check(HashValue::Float8(nan), 11970874218912763781, [0, 0, 8]);
        }
    }

    #[test]
    fn float4_widened_to_f64() {
        check(
            HashValue::Float8(f64::from(0.1_f32)),
            11699072821911103977,
            [0, 1, 12],
        );
        check(
            HashValue::Float8(f64::from(1.5_f32)),
            15620360752663668638,
            [1, 1, 1],
        );
        check(
            HashValue::Float8(f64::from(-0.0_f32)),
            HASH_PARTITION_SEED,
            [0, 5, 0],
        );
        check(
            HashValue::Float8(f64::from(f32::NAN)),
            11970874218912763781,
            [0, 0, 8],
        );
    }

    #[test]
    fn multi_column_int4_text_with_nulls() {
        let hello = Some(HashValue::Text(b"hello"));
        let answer = Some(HashValue::Int4(42));
        assert_eq!(remainders(&[answer, hello]), [2, 3, 10]);
        assert_eq!(remainders(&[None, hello]), [0, 3, 4]);
        assert_eq!(remainders(&[answer, None]), [2, 0, 2]);
        assert_eq!(remainders(&[None, None]), [0, 0, 0]);
        let unicode = Some(HashValue::Text("ünïcödé".as_bytes()));
        assert_eq!(remainders(&[Some(HashValue::Int4(-7)), unicode]), [1, 1, 9]);
    }

    #[test]
    fn multi_column_int8_uuid_date() {
        let uuid = [
            0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38,
            0x0a, 0x11,
        ];
        let id = Some(HashValue::Int8(7));
        let day = Some(HashValue::Date(8825));
        assert_eq!(
            remainders(&[id, Some(HashValue::Uuid(uuid)), day]),
            [2, 6, 2]
        );
        assert_eq!(remainders(&[id, None, day]), [2, 6, 6]);
    }

    #[test]
    fn multi_column_five_types() {
        let keys = [
            Some(HashValue::Timestamp(762_525_296_789_012)),
            Some(HashValue::Float8(-0.0)),
            Some(HashValue::BpChar(b"ab  ")),
            Some(HashValue::Bool(true)),
            Some(HashValue::Int2(5)),
        ];
        assert_eq!(remainders(&keys), [3, 5, 3]);
    }

    #[test]
    fn all_null_key_hashes_to_zero() {
        assert_eq!(row_hash(&[None, None]), 0);
        assert_eq!(row_hash(&[]), 0);
    }

    #[test]
    fn modulus_zero_matches_nothing() {
        assert!(!in_partition(&[Some(HashValue::Int4(1))], 0, 0));
    }

    #[test]
    fn byte_hash_covers_every_tail_length() {
        // Lengths 0..=24 walk all tail cases plus one and two full blocks;
        // the values come from hashtextextended(repeat('a', n), seed).
        let expected: [u64; 25] = [
            12746098489256034243,
            11741518614589318779,
            4306160458724214853,
            208309761254048374,
            11178036241418001651,
            4866814537000832038,
            18098826012609065455,
            8468733514387579255,
            6381254298920318240,
            8033255650640553536,
            7120966287091862964,
            5661080193125012582,
            15513355556311684019,
            13266746497728618162,
            10544703680904020326,
            3342161662731780176,
            14331213041408531908,
            9827154529514600210,
            5994144321432146733,
            7877005674028532698,
            8425710354096943395,
            14646415079154158695,
            13511068408614755549,
            298981777611959441,
            14418758600207614195,
        ];
        let text = [b'a'; 24];
        for (len, &pg_hash) in expected.iter().enumerate() {
            let got = value_hash(&HashValue::Text(&text[..len]), HASH_PARTITION_SEED);
            assert_eq!(got, pg_hash, "length {len}");
        }
    }
}
