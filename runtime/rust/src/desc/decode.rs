//! The decoded form of a blob.

use std::vec::Vec;

use super::walk::{
    ExportRec, FieldRec, ImportRec, InterfaceRec, Item, MethodRec, Sink, TypeRec, VariantRec, View,
};
use super::{DescError, Hash128, Kind};
use crate::TypeId;

/// A decoded descriptor (`struct chitin_descriptor`).  Strings are the
/// blob's bytes (UTF-8 in a sound blob, which the reader does not
/// require), without their NUL; lists are in the blob's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor<'a> {
    /// The blob's own size (`blob_size`).
    pub size: usize,
    /// The blob's format, [`FORMAT`](super::FORMAT).
    pub format: u16,
    /// The module's name.
    pub module: &'a [u8],
    /// The module's major version.
    pub major: u16,
    /// The module's minor version.
    pub minor: u16,
    /// The targets of the layout class, separated by single spaces.
    pub targets: &'a [u8],
    /// The modules it imports.
    pub imports: Vec<Import<'a>>,
    /// Its named types.
    pub types: Vec<Type<'a>>,
    /// Its interfaces.
    pub interfaces: Vec<Interface<'a>>,
    /// Its exports, in the order of the exports table.
    pub exports: Vec<Export<'a>>,
}

/// An imported module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import<'a> {
    /// Its name.
    pub module: &'a [u8],
    /// The major version imported.
    pub major: u16,
    /// The minor version imported.
    pub minor: u16,
}

/// A named type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Type<'a> {
    /// Bare for the module's own, qualified for another module's.
    pub name: &'a [u8],
    /// What kind of type.
    pub kind: Kind,
    /// Flag bits ([`SINCE`](super::SINCE), ...).
    pub flags: u32,
    /// The minor version that added it, with `SINCE`.
    pub since_minor: u16,
    /// Its stable type id.
    pub type_id: TypeId,
    /// Its layout hash on the descriptor's targets.
    pub layout_hash: Hash128,
    /// A callback's: that of `call`; otherwise zero.
    pub signature_hash: Hash128,
    /// Bytes.
    pub size: u64,
    /// Alignment.
    pub align: u32,
    /// Structs and unions: the fields in declaration order; data enums:
    /// `tag` and `payload`.
    pub fields: Vec<Field<'a>>,
    /// C-like enums: the values; data enums: the variants.
    pub variants: Vec<Variant<'a>>,
}

/// A field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// Its name.
    pub name: &'a [u8],
    /// From the start of the value.
    pub offset: u64,
    /// Bytes.
    pub size: u64,
    /// The layout hash of its type.
    pub type_hash: Hash128,
    /// Flag bits.
    pub flags: u32,
    /// With `SINCE`.
    pub since_minor: u16,
}

/// A value of a C-like enum or a variant of a data enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant<'a> {
    /// Its name.
    pub name: &'a [u8],
    /// The value or tag; for a `SIGNED` type, its two's complement bits
    /// sign-extended to 64.
    pub value: u64,
    /// Data enums: the payload's layout hash, with `PAYLOAD`.
    pub payload_hash: Hash128,
    /// Flag bits.
    pub flags: u32,
    /// With `SINCE`.
    pub since_minor: u16,
}

/// An interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface<'a> {
    /// Its name.
    pub name: &'a [u8],
    /// Its id.
    pub iid: TypeId,
    /// `object`, or `module.Name`.
    pub base: &'a [u8],
    /// Flag bits.
    pub flags: u32,
    /// With `SINCE`.
    pub since_minor: u16,
    /// Its vtable slots after the header, inherited ones first.
    pub methods: Vec<Method<'a>>,
}

/// A vtable slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Method<'a> {
    /// Its name.
    pub name: &'a [u8],
    /// Its signature hash.
    pub signature_hash: Hash128,
    /// Flag bits.
    pub flags: u32,
    /// With `SINCE`.
    pub since_minor: u16,
}

/// An export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export<'a> {
    /// Its name.
    pub name: &'a [u8],
    /// Its C symbol.
    pub symbol: &'a [u8],
    /// Its signature hash.
    pub signature_hash: Hash128,
    /// Flag bits.
    pub flags: u32,
    /// With `SINCE`.
    pub since_minor: u16,
}

/// Cuts strings out of the string table: a string starts where its
/// reference says and ends at the first NUL after it, found among the
/// table's NULs by a binary search (so that many references into one long
/// string cost no more than their number).
struct Strings<'a> {
    table: &'a [u8],
    nuls: Vec<usize>,
}

impl<'a> Strings<'a> {
    fn new(table: &'a [u8]) -> Strings<'a> {
        let nuls = table
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == 0)
            .map(|(i, _)| i)
            .collect();
        Strings { table, nuls }
    }

    /// The string at the start of `tail`, a tail of the table.
    fn cut(&self, tail: &'a [u8]) -> &'a [u8] {
        let start = self.table.len() - tail.len();
        // The table ends in a NUL, so there is one at or after start.
        let end = self.nuls[self.nuls.partition_point(|&n| n < start)];
        &self.table[start..end]
    }
}

struct Build<'a> {
    strings: Strings<'a>,
    imports: Vec<Import<'a>>,
    types: Vec<Type<'a>>,
    interfaces: Vec<Interface<'a>>,
    exports: Vec<Export<'a>>,
}

impl<'a> Build<'a> {
    fn item(&self, item: &Item<'a>) -> (&'a [u8], u32, u16) {
        (self.strings.cut(item.name), item.flags, item.since_minor)
    }
}

// The walk hands a type's fields and variants after the type, and an
// interface's methods after the interface, so each goes to the last one.
impl<'a> Sink<'a> for Build<'a> {
    fn import(&mut self, r: ImportRec<'a>) {
        let module = self.strings.cut(r.module);
        self.imports.push(Import {
            module,
            major: r.major,
            minor: r.minor,
        });
    }

    fn type_(&mut self, r: TypeRec<'a>) {
        let (name, flags, since_minor) = self.item(&r.item);
        self.types.push(Type {
            name,
            kind: r.kind,
            flags,
            since_minor,
            type_id: r.type_id,
            layout_hash: r.layout_hash,
            signature_hash: r.signature_hash,
            size: r.size,
            align: r.align,
            fields: Vec::new(),
            variants: Vec::new(),
        });
    }

    fn field(&mut self, r: FieldRec<'a>) {
        let (name, flags, since_minor) = self.item(&r.item);
        if let Some(t) = self.types.last_mut() {
            t.fields.push(Field {
                name,
                offset: r.offset,
                size: r.size,
                type_hash: r.type_hash,
                flags,
                since_minor,
            });
        }
    }

    fn variant(&mut self, r: VariantRec<'a>) {
        let (name, flags, since_minor) = self.item(&r.item);
        if let Some(t) = self.types.last_mut() {
            t.variants.push(Variant {
                name,
                value: r.value,
                payload_hash: r.payload_hash,
                flags,
                since_minor,
            });
        }
    }

    fn interface(&mut self, r: InterfaceRec<'a>) {
        let (name, flags, since_minor) = self.item(&r.item);
        let base = self.strings.cut(r.base);
        self.interfaces.push(Interface {
            name,
            iid: r.iid,
            base,
            flags,
            since_minor,
            methods: Vec::new(),
        });
    }

    fn method(&mut self, r: MethodRec<'a>) {
        let (name, flags, since_minor) = self.item(&r.item);
        if let Some(i) = self.interfaces.last_mut() {
            i.methods.push(Method {
                name,
                signature_hash: r.signature_hash,
                flags,
                since_minor,
            });
        }
    }

    fn export(&mut self, r: ExportRec<'a>) {
        let (name, flags, since_minor) = self.item(&r.item);
        let symbol = self.strings.cut(r.symbol);
        self.exports.push(Export {
            name,
            symbol,
            signature_hash: r.signature_hash,
            flags,
            since_minor,
        });
    }
}

/// Decodes the blob at the start of `blob` after checking all of it, as
/// `chitin_desc_decode` does (the same rules, in the same order, the same
/// errors); bytes past the blob's own size are ignored.  Strings point
/// into `blob`.  Nothing is allocated for a blob that is refused, and for
/// a valid one memory linear in its size.
pub fn decode(blob: &[u8]) -> Result<Descriptor<'_>, DescError> {
    let view = View::read(blob)?;
    view.walk(&mut super::walk::Check)?;
    let counts = view.counts();
    let strings = Strings::new(view.strings());
    let mut b = Build {
        imports: Vec::with_capacity(counts[0] as usize),
        types: Vec::with_capacity(counts[1] as usize),
        interfaces: Vec::with_capacity(counts[4] as usize),
        exports: Vec::with_capacity(counts[6] as usize),
        strings,
    };
    view.walk(&mut b)?;
    Ok(Descriptor {
        size: view.size(),
        format: view.format(),
        module: b.strings.cut(view.module()),
        major: view.major(),
        minor: view.minor(),
        targets: b.strings.cut(view.targets()),
        imports: b.imports,
        types: b.types,
        interfaces: b.interfaces,
        exports: b.exports,
    })
}
