//! The reader of doc/descriptor.md sections 2 to 7: headers, section
//! framing, records and every value's range, with what each record holds
//! handed to a sink (which keeps it, or not).

// Without `std` only the check is made: what the records hold goes unread.
#![cfg_attr(not(feature = "std"), allow(dead_code))]

use super::{DescError, Hash128, Kind, FORMAT, MAGIC, SIGNED};
use crate::TypeId;

pub(crate) const HEADER_SIZE: usize = 28;
const CLASS_HEADER_SIZE: usize = 12;
const PART_ALIGN: usize = 4;
const BLOB_ALIGN: usize = 8;
const HASH_SIZE: usize = 16;
const MAX_VARINT: usize = 10;
const MAX_ARITY: usize = 7;

// Offsets in the header, and in the class header.
const H_FORMAT: usize = 4;
const H_HEADER_SIZE: usize = 6;
pub(crate) const H_BLOB_SIZE: usize = 8;
const H_COMMON_SIZE: usize = 12;
const H_MODULE: usize = 16;
const H_MAJOR: usize = 20;
const H_MINOR: usize = 22;
const H_SECTION_COUNT: usize = 24;
const K_CLASS_SIZE: usize = 0;
const K_HEADER_SIZE: usize = 4;
const K_SECTION_COUNT: usize = 6;
const K_TARGETS: usize = 8;

// Sections of the common part, and of the class part.
const CS_STRINGS: usize = 0;
const CS_HASHES: usize = 1;
const CS_IMPORTS: usize = 2;
const CS_TYPES: usize = 3;
const CS_FIELDS: usize = 4;
const CS_VARIANTS: usize = 5;
const CS_INTERFACES: usize = 6;
const CS_METHODS: usize = 7;
const CS_EXPORTS: usize = 8;
const N_COMMON: usize = 9;
const KS_TYPES: usize = 0;
const KS_FIELDS: usize = 1;
const KS_VARIANTS: usize = 2;
const KS_METHODS: usize = 3;
const KS_EXPORTS: usize = 4;
const N_CLASS: usize = 5;

/// Values per record in revision 0, the least a reader accepts (0: not a
/// record section).
const COMMON_ARITY: [u64; N_COMMON] = [0, 0, 3, 7, 3, 4, 6, 3, 4];
const CLASS_ARITY: [u64; N_CLASS] = [4, 3, 1, 1, 1];
/// The common section whose records each class section completes.
const CLASS_OF_COMMON: [usize; N_CLASS] =
    [CS_TYPES, CS_FIELDS, CS_VARIANTS, CS_METHODS, CS_EXPORTS];

// Values of the records.
const V_NAME: usize = 0;
const V_FLAGS: usize = 1;
const V_SINCE: usize = 2;
const IMPORT_MODULE: usize = 0;
const IMPORT_MAJOR: usize = 1;
const IMPORT_MINOR: usize = 2;
const TYPE_KIND: usize = 3;
const TYPE_ID: usize = 4;
const TYPE_N_FIELDS: usize = 5;
const TYPE_N_VARIANTS: usize = 6;
const VARIANT_VALUE: usize = 3;
const INTERFACE_IID: usize = 3;
const INTERFACE_BASE: usize = 4;
const INTERFACE_N_METHODS: usize = 5;
const EXPORT_SYMBOL: usize = 3;
const KTYPE_SIZE: usize = 0;
const KTYPE_ALIGN: usize = 1;
const KTYPE_LAYOUT_HASH: usize = 2;
const KTYPE_SIGNATURE_HASH: usize = 3;
const KFIELD_OFFSET: usize = 0;
const KFIELD_SIZE: usize = 1;
const KFIELD_TYPE_HASH: usize = 2;
const KSIG: usize = 0;

fn get16(b: &[u8], at: usize) -> u16 {
    u16::from(b[at]) | u16::from(b[at + 1]) << 8
}

fn get32(b: &[u8], at: usize) -> u32 {
    u32::from(get16(b, at)) | u32::from(get16(b, at + 2)) << 16
}

fn unzigzag(z: u64) -> u64 {
    (z >> 1) ^ (if z & 1 != 0 { u64::MAX } else { 0 })
}

/// Reads one varint from the front of `c`: at most 10 bytes, no bit past
/// 64, not overlong.
fn read_uv(c: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for i in 0..MAX_VARINT {
        let (&b, rest) = c.split_first()?;
        *c = rest;
        if i == MAX_VARINT - 1 && b > 1 {
            return None;
        }
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            if b == 0 && i > 0 {
                return None;
            }
            return Some(v);
        }
    }
    None
}

pub(crate) fn probe(blob: &[u8]) -> Result<usize, DescError> {
    let n = blob.len().min(MAGIC.len());
    if blob[..n] != MAGIC[..n] {
        return Err(DescError::BadMagic);
    }
    if blob.len() < H_FORMAT + 2 {
        return Err(DescError::Truncated);
    }
    if get16(blob, H_FORMAT) != FORMAT {
        return Err(DescError::UnsupportedFormat);
    }
    if blob.len() < HEADER_SIZE {
        return Err(DescError::Truncated);
    }
    let size = get32(blob, H_BLOB_SIZE) as usize;
    if size > blob.len() {
        return Err(DescError::Truncated);
    }
    let header_size = usize::from(get16(blob, H_HEADER_SIZE));
    let common_size = get32(blob, H_COMMON_SIZE) as usize;
    if header_size < HEADER_SIZE
        || common_size < header_size
        || common_size % PART_ALIGN != 0
        || size % BLOB_ALIGN != 0
        || common_size > size
        || size - common_size < CLASS_HEADER_SIZE
    {
        return Err(DescError::Corrupt);
    }
    Ok(size)
}

/// A section: its body and, for a record section, the count and arity
/// that start it and the records after them.
#[derive(Clone, Copy, Default)]
struct Section<'a> {
    records: &'a [u8],
    body: &'a [u8],
    count: u64,
    arity: u64,
}

/// Reads the framing of `n` sections from `part`: each a varint size and
/// that many bytes; the first `out.len()` are kept.
fn read_sections<'a>(mut part: &'a [u8], n: u16, out: &mut [Section<'a>]) -> Result<(), DescError> {
    for i in 0..usize::from(n) {
        let size = read_uv(&mut part).ok_or(DescError::Corrupt)?;
        if size > part.len() as u64 {
            return Err(DescError::Corrupt);
        }
        let (body, rest) = part.split_at(size as usize);
        if let Some(s) = out.get_mut(i) {
            s.body = body;
        }
        part = rest;
    }
    Ok(())
}

/// A record section's count and arity: both 32-bit, the arity at least
/// `min`, and room for count × arity values of a byte each.
fn read_record_head(s: &mut Section<'_>, min: u64) -> Result<(), DescError> {
    let mut c = s.body;
    let count = read_uv(&mut c).ok_or(DescError::Corrupt)?;
    let arity = read_uv(&mut c).ok_or(DescError::Corrupt)?;
    if count > u64::from(u32::MAX)
        || arity > u64::from(u32::MAX)
        || arity < min
        || count * arity > c.len() as u64
    {
        return Err(DescError::Corrupt);
    }
    s.count = count;
    s.arity = arity;
    s.records = c;
    Ok(())
}

/// What a sink is given: the values of each record, checked.  Strings are
/// the string table from the string's first byte on (the string runs to
/// the first NUL, which the table is sure to hold).
pub(crate) struct ImportRec<'a> {
    pub module: &'a [u8],
    pub major: u16,
    pub minor: u16,
}

pub(crate) struct Item<'a> {
    pub name: &'a [u8],
    pub flags: u32,
    pub since_minor: u16,
}

pub(crate) struct TypeRec<'a> {
    pub item: Item<'a>,
    pub kind: Kind,
    pub type_id: TypeId,
    pub size: u64,
    pub align: u32,
    pub layout_hash: Hash128,
    pub signature_hash: Hash128,
}

pub(crate) struct FieldRec<'a> {
    pub item: Item<'a>,
    pub offset: u64,
    pub size: u64,
    pub type_hash: Hash128,
}

pub(crate) struct VariantRec<'a> {
    pub item: Item<'a>,
    pub value: u64,
    pub payload_hash: Hash128,
}

pub(crate) struct InterfaceRec<'a> {
    pub item: Item<'a>,
    pub iid: TypeId,
    pub base: &'a [u8],
}

pub(crate) struct MethodRec<'a> {
    pub item: Item<'a>,
    pub signature_hash: Hash128,
}

pub(crate) struct ExportRec<'a> {
    pub item: Item<'a>,
    pub symbol: &'a [u8],
    pub signature_hash: Hash128,
}

/// Where the records go, in blob order: a type before its fields and
/// variants, an interface before its methods.
pub(crate) trait Sink<'a> {
    fn import(&mut self, r: ImportRec<'a>);
    fn type_(&mut self, r: TypeRec<'a>);
    fn field(&mut self, r: FieldRec<'a>);
    fn variant(&mut self, r: VariantRec<'a>);
    fn interface(&mut self, r: InterfaceRec<'a>);
    fn method(&mut self, r: MethodRec<'a>);
    fn export(&mut self, r: ExportRec<'a>);
}

/// The sink of a check alone.
pub(crate) struct Check;

impl<'a> Sink<'a> for Check {
    fn import(&mut self, _: ImportRec<'a>) {}
    fn type_(&mut self, _: TypeRec<'a>) {}
    fn field(&mut self, _: FieldRec<'a>) {}
    fn variant(&mut self, _: VariantRec<'a>) {}
    fn interface(&mut self, _: InterfaceRec<'a>) {}
    fn method(&mut self, _: MethodRec<'a>) {}
    fn export(&mut self, _: ExportRec<'a>) {}
}

/// A blob whose headers and section framing have been checked.
pub(crate) struct View<'a> {
    blob: &'a [u8],
    class: &'a [u8],
    strings: &'a [u8],
    pool: &'a [u8],
    common: [Section<'a>; N_COMMON],
    cls: [Section<'a>; N_CLASS],
}

/// The cursors of a walk over the records, one a section.
struct Walk<'v, 'a> {
    v: &'v View<'a>,
    common: [&'a [u8]; N_COMMON],
    cls: [&'a [u8]; N_CLASS],
}

impl<'a> View<'a> {
    /// Checks the headers, the class header and every section's framing
    /// (rules 1 to 11); the records are checked by `walk`.
    pub(crate) fn read(blob: &'a [u8]) -> Result<View<'a>, DescError> {
        let size = probe(blob)?;
        let blob = &blob[..size];
        let header_size = usize::from(get16(blob, H_HEADER_SIZE));
        let common_size = get32(blob, H_COMMON_SIZE) as usize;
        let class = &blob[common_size..];
        let class_size = get32(class, K_CLASS_SIZE) as usize;
        let class_header = usize::from(get16(class, K_HEADER_SIZE));
        if class_size != class.len()
            || class_header < CLASS_HEADER_SIZE
            || class_header > class_size
        {
            return Err(DescError::Corrupt);
        }
        let n_common = get16(blob, H_SECTION_COUNT);
        let n_class = get16(class, K_SECTION_COUNT);
        if usize::from(n_common) < N_COMMON || usize::from(n_class) < N_CLASS {
            return Err(DescError::Corrupt);
        }
        let mut v = View {
            blob,
            class,
            strings: &[],
            pool: &[],
            common: [Section::default(); N_COMMON],
            cls: [Section::default(); N_CLASS],
        };
        read_sections(&blob[header_size..common_size], n_common, &mut v.common)?;
        read_sections(&class[class_header..], n_class, &mut v.cls)?;

        // A table that ends in a NUL terminates every string that starts
        // inside it.
        v.strings = v.common[CS_STRINGS].body;
        if v.strings.last() != Some(&0) {
            return Err(DescError::Corrupt);
        }
        if get32(blob, H_MODULE) as usize >= v.strings.len()
            || get32(class, K_TARGETS) as usize >= v.strings.len()
        {
            return Err(DescError::Corrupt);
        }
        v.pool = v.common[CS_HASHES].body;
        if v.pool.len() % HASH_SIZE != 0 {
            return Err(DescError::Corrupt);
        }
        for (s, &min) in v
            .common
            .iter_mut()
            .zip(COMMON_ARITY.iter())
            .skip(CS_IMPORTS)
        {
            read_record_head(s, min)?;
        }
        for (k, s) in v.cls.iter_mut().enumerate() {
            read_record_head(s, CLASS_ARITY[k])?;
            if s.count != v.common[CLASS_OF_COMMON[k]].count {
                return Err(DescError::Corrupt);
            }
        }
        Ok(v)
    }

    pub(crate) fn size(&self) -> usize {
        self.blob.len()
    }

    pub(crate) fn format(&self) -> u16 {
        get16(self.blob, H_FORMAT)
    }

    pub(crate) fn major(&self) -> u16 {
        get16(self.blob, H_MAJOR)
    }

    pub(crate) fn minor(&self) -> u16 {
        get16(self.blob, H_MINOR)
    }

    /// The string table (ends in a NUL).
    pub(crate) fn strings(&self) -> &'a [u8] {
        self.strings
    }

    /// The module's name, from its first byte to the table's end.
    pub(crate) fn module(&self) -> &'a [u8] {
        &self.strings[get32(self.blob, H_MODULE) as usize..]
    }

    pub(crate) fn targets(&self) -> &'a [u8] {
        &self.strings[get32(self.class, K_TARGETS) as usize..]
    }

    /// Counts of the record sections: imports, types, fields, variants,
    /// interfaces, methods, exports.
    pub(crate) fn counts(&self) -> [u64; 7] {
        let c = &self.common;
        [
            c[CS_IMPORTS].count,
            c[CS_TYPES].count,
            c[CS_FIELDS].count,
            c[CS_VARIANTS].count,
            c[CS_INTERFACES].count,
            c[CS_METHODS].count,
            c[CS_EXPORTS].count,
        ]
    }

    fn string(&self, r: u64) -> Result<&'a [u8], DescError> {
        if r >= self.strings.len() as u64 {
            return Err(DescError::Corrupt);
        }
        Ok(&self.strings[r as usize..])
    }

    /// A hash reference: 0 the zero hash, else 1 + an index into the pool.
    fn hash(&self, r: u64) -> Result<Hash128, DescError> {
        let entries = (self.pool.len() / HASH_SIZE) as u64;
        if r > entries {
            return Err(DescError::Corrupt);
        }
        let mut h = Hash128::ZERO;
        if r > 0 {
            let at = (r as usize - 1) * HASH_SIZE;
            h.bytes.copy_from_slice(&self.pool[at..at + HASH_SIZE]);
        }
        Ok(h)
    }

    fn item(&self, vals: &[u64; MAX_ARITY]) -> Result<Item<'a>, DescError> {
        let name = self.string(vals[V_NAME])?;
        if vals[V_FLAGS] > u64::from(u32::MAX) || vals[V_SINCE] > u64::from(u16::MAX) {
            return Err(DescError::Corrupt);
        }
        Ok(Item {
            name,
            flags: vals[V_FLAGS] as u32,
            since_minor: vals[V_SINCE] as u16,
        })
    }

    /// Checks every record (rules 12 to 15), handing each to `sink`.
    pub(crate) fn walk<S: Sink<'a>>(&self, sink: &mut S) -> Result<(), DescError> {
        let mut w = Walk {
            v: self,
            common: [&[]; N_COMMON],
            cls: [&[]; N_CLASS],
        };
        for (c, s) in w.common.iter_mut().zip(self.common.iter()) {
            *c = s.records;
        }
        for (c, s) in w.cls.iter_mut().zip(self.cls.iter()) {
            *c = s.records;
        }
        let mut c = [0u64; MAX_ARITY];
        for _ in 0..self.common[CS_IMPORTS].count {
            w.next_common(CS_IMPORTS, &mut c)?;
            let module = self.string(c[IMPORT_MODULE])?;
            if c[IMPORT_MAJOR] > u64::from(u16::MAX) || c[IMPORT_MINOR] > u64::from(u16::MAX) {
                return Err(DescError::Corrupt);
            }
            sink.import(ImportRec {
                module,
                major: c[IMPORT_MAJOR] as u16,
                minor: c[IMPORT_MINOR] as u16,
            });
        }
        w.types(sink)?;
        w.interfaces(sink)?;
        let mut x = [0u64; MAX_ARITY];
        for _ in 0..self.common[CS_EXPORTS].count {
            w.next_common(CS_EXPORTS, &mut c)?;
            w.next_class(KS_EXPORTS, &mut x)?;
            let item = self.item(&c)?;
            let symbol = self.string(c[EXPORT_SYMBOL])?;
            let signature_hash = self.hash(x[KSIG])?;
            sink.export(ExportRec {
                item,
                symbol,
                signature_hash,
            });
        }
        // The records fill their sections exactly.
        if w.common[CS_IMPORTS..].iter().any(|c| !c.is_empty())
            || w.cls.iter().any(|c| !c.is_empty())
        {
            return Err(DescError::Corrupt);
        }
        Ok(())
    }
}

impl<'a> Walk<'_, 'a> {
    /// The next record of a section: its first values into vals, the
    /// rest (values of later revisions) read and skipped.
    fn next(
        cursor: &mut &'a [u8],
        s: &Section<'a>,
        known: u64,
        vals: &mut [u64; MAX_ARITY],
    ) -> Result<(), DescError> {
        for i in 0..s.arity {
            let x = read_uv(cursor).ok_or(DescError::Corrupt)?;
            if i < known {
                vals[i as usize] = x;
            }
        }
        Ok(())
    }

    fn next_common(&mut self, sec: usize, vals: &mut [u64; MAX_ARITY]) -> Result<(), DescError> {
        Walk::next(
            &mut self.common[sec],
            &self.v.common[sec],
            COMMON_ARITY[sec],
            vals,
        )
    }

    fn next_class(&mut self, sec: usize, vals: &mut [u64; MAX_ARITY]) -> Result<(), DescError> {
        Walk::next(&mut self.cls[sec], &self.v.cls[sec], CLASS_ARITY[sec], vals)
    }

    fn types<S: Sink<'a>>(&mut self, sink: &mut S) -> Result<(), DescError> {
        let v = self.v;
        let n_fields = v.common[CS_FIELDS].count;
        let n_variants = v.common[CS_VARIANTS].count;
        let (mut field, mut variant) = (0u64, 0u64);
        let mut c = [0u64; MAX_ARITY];
        let mut x = [0u64; MAX_ARITY];
        for _ in 0..v.common[CS_TYPES].count {
            self.next_common(CS_TYPES, &mut c)?;
            self.next_class(KS_TYPES, &mut x)?;
            let item = v.item(&c)?;
            let kind = Kind::from_code(c[TYPE_KIND]).ok_or(DescError::Corrupt)?;
            let type_id = v.hash(c[TYPE_ID])?.to_typeid();
            let (type_fields, type_variants) = (c[TYPE_N_FIELDS], c[TYPE_N_VARIANTS]);
            if type_fields > n_fields - field
                || type_variants > n_variants - variant
                || x[KTYPE_ALIGN] > u64::from(u32::MAX)
            {
                return Err(DescError::Corrupt);
            }
            let layout_hash = v.hash(x[KTYPE_LAYOUT_HASH])?;
            let signature_hash = v.hash(x[KTYPE_SIGNATURE_HASH])?;
            let signed = item.flags & SIGNED != 0;
            sink.type_(TypeRec {
                item,
                kind,
                type_id,
                size: x[KTYPE_SIZE],
                align: x[KTYPE_ALIGN] as u32,
                layout_hash,
                signature_hash,
            });
            for _ in 0..type_fields {
                self.next_common(CS_FIELDS, &mut c)?;
                self.next_class(KS_FIELDS, &mut x)?;
                let item = v.item(&c)?;
                let type_hash = v.hash(x[KFIELD_TYPE_HASH])?;
                sink.field(FieldRec {
                    item,
                    offset: x[KFIELD_OFFSET],
                    size: x[KFIELD_SIZE],
                    type_hash,
                });
            }
            field += type_fields;
            for _ in 0..type_variants {
                self.next_common(CS_VARIANTS, &mut c)?;
                self.next_class(KS_VARIANTS, &mut x)?;
                let item = v.item(&c)?;
                let payload_hash = v.hash(x[KSIG])?;
                let value = if signed {
                    unzigzag(c[VARIANT_VALUE])
                } else {
                    c[VARIANT_VALUE]
                };
                sink.variant(VariantRec {
                    item,
                    value,
                    payload_hash,
                });
            }
            variant += type_variants;
        }
        // The types' counts use every field and variant.
        if field != n_fields || variant != n_variants {
            return Err(DescError::Corrupt);
        }
        Ok(())
    }

    fn interfaces<S: Sink<'a>>(&mut self, sink: &mut S) -> Result<(), DescError> {
        let v = self.v;
        let n_methods = v.common[CS_METHODS].count;
        let mut method = 0u64;
        let mut c = [0u64; MAX_ARITY];
        let mut x = [0u64; MAX_ARITY];
        for _ in 0..v.common[CS_INTERFACES].count {
            self.next_common(CS_INTERFACES, &mut c)?;
            let item = v.item(&c)?;
            let iid = v.hash(c[INTERFACE_IID])?.to_typeid();
            let base = v.string(c[INTERFACE_BASE])?;
            let count = c[INTERFACE_N_METHODS];
            if count > n_methods - method {
                return Err(DescError::Corrupt);
            }
            sink.interface(InterfaceRec { item, iid, base });
            for _ in 0..count {
                self.next_common(CS_METHODS, &mut c)?;
                self.next_class(KS_METHODS, &mut x)?;
                let item = v.item(&c)?;
                let signature_hash = v.hash(x[KSIG])?;
                sink.method(MethodRec {
                    item,
                    signature_hash,
                });
            }
            method += count;
        }
        if method != n_methods {
            return Err(DescError::Corrupt);
        }
        Ok(())
    }
}
