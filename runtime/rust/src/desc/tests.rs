//! The reader on the blob of doc/descriptor.md section 12.4, on every
//! prefix and many changed copies of it, and the comparison on
//! descriptors built here.  (tests/run-rust-runtime.sh holds both to
//! libchitin on blobs the compiler writes.)

use super::{probe, validate, DescError, Kind};

/// The blob of doc/descriptor.md section 12.4: module demo 1.0 for
/// x86_64-linux, struct Point { i32 x; i32 y; }, export origin.
pub(crate) const VECTOR: [u8; 224] = [
    0x43, 0x48, 0x54, 0x4e, 0x02, 0x00, 0x1c, 0x00, 0xe0, 0x00, 0x00, 0x00, 0xb4, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x30, 0x00, 0x64, 0x65,
    0x6d, 0x6f, 0x00, 0x78, 0x38, 0x36, 0x5f, 0x36, 0x34, 0x2d, 0x6c, 0x69, 0x6e, 0x75, 0x78, 0x00,
    0x50, 0x6f, 0x69, 0x6e, 0x74, 0x00, 0x78, 0x00, 0x79, 0x00, 0x6f, 0x72, 0x69, 0x67, 0x69, 0x6e,
    0x00, 0x64, 0x65, 0x6d, 0x6f, 0x5f, 0x6f, 0x72, 0x69, 0x67, 0x69, 0x6e, 0x00, 0x40, 0x2a, 0x7a,
    0xf6, 0x99, 0x90, 0xbd, 0x59, 0xf4, 0x67, 0x69, 0x33, 0xbd, 0xfa, 0xc4, 0xf5, 0x77, 0x46, 0xce,
    0x41, 0x72, 0x21, 0x3f, 0x5c, 0xfc, 0x81, 0x7d, 0x09, 0x24, 0xa4, 0xf4, 0x43, 0x2e, 0xd9, 0x57,
    0x44, 0x8f, 0x27, 0xf7, 0xa7, 0x05, 0x1d, 0x34, 0xf2, 0x98, 0x69, 0xf1, 0x7c, 0x84, 0x6f, 0x26,
    0x69, 0xf2, 0xef, 0x55, 0xef, 0x99, 0x9c, 0x76, 0xc1, 0x56, 0xd5, 0x1f, 0x34, 0x00, 0x02, 0x00,
    0x03, 0x09, 0x01, 0x07, 0x13, 0x00, 0x00, 0x01, 0x02, 0x02, 0x00, 0x08, 0x02, 0x03, 0x19, 0x00,
    0x00, 0x1b, 0x00, 0x00, 0x02, 0x00, 0x04, 0x02, 0x00, 0x06, 0x02, 0x00, 0x03, 0x06, 0x01, 0x04,
    0x1d, 0x00, 0x00, 0x24, 0x2c, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x05, 0x00, 0x06, 0x00, 0x00, 0x00,
    0x06, 0x01, 0x04, 0x08, 0x04, 0x03, 0x00, 0x08, 0x02, 0x03, 0x00, 0x04, 0x01, 0x04, 0x04, 0x01,
    0x02, 0x00, 0x01, 0x02, 0x00, 0x01, 0x03, 0x01, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

#[test]
fn probe_the_vector() {
    assert_eq!(probe(&VECTOR), Ok(224));
    assert_eq!(validate(&VECTOR), Ok(224));
    // Bytes after the blob are not part of it.
    let mut longer = VECTOR.to_vec();
    longer.extend_from_slice(&[0xff; 9]);
    assert_eq!(validate(&longer), Ok(224));
}

#[test]
fn probe_statuses() {
    assert_eq!(probe(b""), Err(DescError::Truncated));
    assert_eq!(probe(b"CH"), Err(DescError::Truncated));
    assert_eq!(probe(b"CX"), Err(DescError::BadMagic));
    assert_eq!(probe(b"CHTN\x02"), Err(DescError::Truncated));
    assert_eq!(probe(b"CHTN\x03\x00"), Err(DescError::UnsupportedFormat));
    assert_eq!(probe(&VECTOR[..27]), Err(DescError::Truncated));
    assert_eq!(probe(&VECTOR[..223]), Err(DescError::Truncated));
    let mut bad = VECTOR;
    bad[12] = 0xb5; // common_size not a multiple of 4
    assert_eq!(probe(&bad), Err(DescError::Corrupt));
    assert_eq!(DescError::BadMagic.text(), "not a chitin descriptor");
}

#[test]
fn every_prefix_refused() {
    for n in 0..VECTOR.len() {
        assert!(validate(&VECTOR[..n]).is_err(), "prefix of {} bytes", n);
    }
}

/// A small deterministic generator for the changed copies.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn changed_copies_never_panic() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20000 {
        let mut blob = VECTOR;
        for _ in 0..=(rng.next() % 3) {
            let at = (rng.next() % blob.len() as u64) as usize;
            blob[at] = rng.next() as u8;
        }
        let checked = validate(&blob);
        #[cfg(feature = "std")]
        assert_eq!(super::decode(&blob).map(|d| d.size), checked);
        let _ = checked;
    }
    // Every value of every single byte.
    for at in 0..VECTOR.len() {
        for b in 0..=255u8 {
            let mut blob = VECTOR;
            blob[at] = b;
            let _ = validate(&blob);
        }
    }
}

#[test]
fn kinds() {
    assert_eq!(Kind::from_code(4), Some(Kind::DataEnum));
    assert_eq!(Kind::from_code(0), None);
    assert_eq!(Kind::from_code(7), None);
    assert_eq!(Kind::DataEnum.text(), "data enum");
}

#[cfg(feature = "std")]
mod decoded {
    use super::super::{
        compare, decode, Descriptor, Field, Hash128, Kind, ProblemKind, Type, Variant,
    };
    use super::super::{SIGNED, SINCE};
    use super::VECTOR;
    use crate::TypeId;
    use std::string::ToString;
    use std::vec::Vec;

    #[test]
    fn decode_the_vector() {
        let d = decode(&VECTOR).unwrap();
        assert_eq!(d.size, 224);
        assert_eq!(d.format, 2);
        assert_eq!(d.module, b"demo");
        assert_eq!((d.major, d.minor), (1, 0));
        assert_eq!(d.targets, b"x86_64-linux");
        assert!(d.imports.is_empty() && d.interfaces.is_empty());
        let t = &d.types[0];
        assert_eq!(t.name, b"Point");
        assert_eq!(t.kind, Kind::Struct);
        assert_eq!(
            t.type_id.to_string(),
            "46ce4172-213f-5cfc-817d-0924a4f4432e"
        );
        assert_eq!((t.size, t.align), (8, 4));
        assert!(t.signature_hash.is_zero());
        let offsets: Vec<(&[u8], u64, u64)> = t
            .fields
            .iter()
            .map(|f| (f.name, f.offset, f.size))
            .collect();
        assert_eq!(offsets, [(&b"x"[..], 0, 4), (&b"y"[..], 4, 4)]);
        assert_eq!(t.fields[0].type_hash, t.fields[1].type_hash);
        assert_eq!(d.exports.len(), 1);
        assert_eq!(d.exports[0].name, b"origin");
        assert_eq!(d.exports[0].symbol, b"demo_origin");
        // The same blob is compatible with itself.
        assert!(compare(&d, &d, 0).is_compatible());
        let r = compare(&d, &d, 1);
        assert_eq!(
            r.to_string(),
            "module 'demo': the host requires version 1.1 or later, the plugin is 1.0\n"
        );
    }

    fn hash(b: u8) -> Hash128 {
        Hash128 { bytes: [b; 16] }
    }

    fn field(name: &'static str, offset: u64) -> Field<'static> {
        Field {
            name: name.as_bytes(),
            offset,
            size: 4,
            type_hash: hash(1),
            flags: 0,
            since_minor: 0,
        }
    }

    fn structure(name: &'static str, fields: Vec<Field<'static>>) -> Type<'static> {
        Type {
            name: name.as_bytes(),
            kind: Kind::Struct,
            flags: 0,
            since_minor: 0,
            type_id: TypeId::from_bytes([name.len() as u8; 16]),
            layout_hash: hash(fields.len() as u8),
            signature_hash: Hash128::ZERO,
            size: 4 * fields.len() as u64,
            align: 4,
            fields,
            variants: Vec::new(),
        }
    }

    fn module(types: Vec<Type<'static>>) -> Descriptor<'static> {
        Descriptor {
            size: 0,
            format: 2,
            module: b"m",
            major: 1,
            minor: 0,
            targets: b"x86_64-linux aarch64-linux",
            imports: Vec::new(),
            types,
            interfaces: Vec::new(),
            exports: Vec::new(),
        }
    }

    #[test]
    fn any_order() {
        let a = module(std::vec![
            structure("A", std::vec![field("x", 0), field("y", 4)]),
            structure("B", std::vec![field("z", 0)]),
        ]);
        let mut b = a.clone();
        b.types.reverse();
        b.targets = b"  aarch64-linux ";
        assert!(compare(&a, &b, 0).is_compatible());
        b.targets = b"x86_64-windows";
        assert_eq!(
            compare(&a, &b, 0).to_string(),
            "module 'm': targets are 'x86_64-linux aarch64-linux' in the host, 'x86_64-windows' in the plugin, none in common\n"
        );
    }

    #[test]
    fn fields_swapped_and_missing() {
        let host = module(std::vec![structure(
            "P",
            std::vec![field("x", 0), field("y", 4)]
        )]);
        let mut plugin = host.clone();
        plugin.types[0].fields = std::vec![field("y", 0), field("x", 4)];
        assert_eq!(
            compare(&host, &plugin, 0).to_string(),
            "type 'm.P': field 'x' is at offset 0 in the host, 4 in the plugin\n\
             type 'm.P': field 'y' is at offset 4 in the host, 0 in the plugin\n"
        );
        plugin.types[0].fields = std::vec![field("x", 0), field("w", 4)];
        assert_eq!(
            compare(&host, &plugin, 0).to_string(),
            "type 'm.P': field 'y' is missing in the plugin, and not [since]\n\
             type 'm.P': field 'w' is missing in the host, and not [since] in the plugin\n"
        );
    }

    #[test]
    fn repeats_reported_once() {
        let host = module(std::vec![
            structure("A", std::vec![field("x", 0)]),
            structure("A", std::vec![field("x", 0)]),
            structure("A", std::vec![field("x", 0)]),
        ]);
        let plugin = module(std::vec![structure(
            "A",
            std::vec![field("x", 0), field("x", 0)]
        )]);
        let r = compare(&host, &plugin, 0);
        let kinds: Vec<ProblemKind> = r.problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                ProblemKind::SIZE,
                ProblemKind::FIELD_DUPLICATE_IN_PLUGIN,
                ProblemKind::DUPLICATE_IN_HOST,
            ]
        );
        assert_eq!(
            r.problems[2].to_bytes(),
            b"type 'm.A': appears more than once in the host"
        );
    }

    #[test]
    fn texts_cut_and_problems_capped() {
        let long: &'static str = std::boxed::Box::leak("n".repeat(200).into_boxed_str());
        let host = module(std::vec![structure(long, std::vec![field(long, 0)])]);
        let mut plugin = host.clone();
        plugin.types[0].fields[0].offset = 8;
        let r = compare(&host, &plugin, 0);
        let p = &r.problems[0];
        assert_eq!(p.item.len(), 127);
        assert!(p.item.starts_with(b"m.nnn") && p.item.ends_with(b"n..."));
        assert_eq!(p.member.len(), 63);
        assert!(p.member.ends_with(b"n..."));

        let many: Vec<Type<'static>> = (0..20)
            .map(|i| {
                structure(
                    std::boxed::Box::leak(std::format!("T{i}").into_boxed_str()),
                    Vec::new(),
                )
            })
            .collect();
        let r = compare(&module(many), &module(Vec::new()), 0);
        assert_eq!(r.n_found, 20);
        assert_eq!(r.problems.len(), 16);
        assert!(r.more);
        assert!(r.to_string().ends_with(
            "type 'm.T15': missing in the plugin, and not [since]\n(more problems not shown)\n"
        ));
    }

    #[test]
    fn enums_signed_and_since() {
        let variant = |name: &'static str, value: i64, flags: u32| Variant {
            name: name.as_bytes(),
            value: value as u64,
            payload_hash: Hash128::ZERO,
            flags,
            since_minor: 1,
        };
        let mut e = structure("E", Vec::new());
        e.kind = Kind::DataEnum;
        e.flags = SIGNED;
        e.variants = std::vec![variant("A", -1, 0), variant("B", 2, SINCE)];
        let host = module(std::vec![e]);
        let mut plugin = host.clone();
        plugin.types[0].variants = std::vec![variant("A", -3, 0), variant("C", 2, SINCE)];
        assert_eq!(
            compare(&host, &plugin, 0).to_string(),
            "type 'm.E': variant 'A' has tag -1 in the host, -3 in the plugin\n\
             type 'm.E': tag 2 is variant 'B' in the host, 'C' in the plugin\n"
        );
    }
}
