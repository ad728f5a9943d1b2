//! The load-time comparison (doc/descriptor.md section 11), the port of
//! libchitin's `chitin_desc_compare` and `chitin_desc_format_report`: the
//! same rules, the same problems in the same order, the same texts, cut
//! to the same buffer sizes.
//!
//! Items are matched by name through hash tables holding, for each
//! distinct name, the first item of that name on each side: filled with
//! the plugin's items, read with the host's, then with the plugin's
//! again, which takes time linear in the lengths of the lists whatever
//! their order, and finds the names repeated on one side.

use core::fmt;
use std::collections::{HashMap, HashSet};
use std::string::String;
use std::vec::Vec;

use super::decode::{Descriptor, Interface, Type, Variant};
use super::{Hash128, Kind, BASE, PAYLOAD, RESILIENT, SIGNED, SINCE, THREADSAFE};
use crate::TypeId;

/// The problems a report holds at most (`CHITIN_DESC_MAX_PROBLEMS`).
pub const MAX_PROBLEMS: usize = 16;
/// The size of a problem's item text with its NUL in C
/// (`CHITIN_DESC_ITEM_TEXT`): longer texts are cut, ending in "...".
pub const ITEM_TEXT: usize = 128;
/// The same for the member, expected and found texts
/// (`CHITIN_DESC_TEXT`).
pub const TEXT: usize = 64;

macro_rules! problem_kinds {
    ($($name:ident = $text:literal $sentence:literal,)*) => {
        /// Every kind of incompatibility (`enum chitin_desc_problem_kind`),
        /// in the order of `CHITIN_DESC_PROBLEMS`.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        #[allow(non_camel_case_types)]
        pub enum ProblemKind {
            $(
                #[doc = $sentence]
                $name,
            )*
        }

        impl ProblemKind {
            /// Every kind, in order.
            pub const ALL: &'static [ProblemKind] = &[$(ProblemKind::$name),*];

            /// The name of the kind in `CHITIN_DESC_PROBLEMS`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(ProblemKind::$name => $text,)*
                }
            }

            /// The sentence after "<item kind> '<item>': ", where `%m` is
            /// the member, `%e` the expected (host's) and `%f` the found
            /// (plugin's) text.
            pub const fn sentence(self) -> &'static str {
                match self {
                    $(ProblemKind::$name => $sentence,)*
                }
            }
        }
    };
}

problem_kinds! {
    MODULE_NAME = "MODULE_NAME" "the plugin implements module '%f'",
    MAJOR = "MAJOR" "major version is %e in the host, %f in the plugin",
    MINOR = "MINOR" "the host requires version %e or later, the plugin is %f",
    TARGET = "TARGET" "targets are '%e' in the host, '%f' in the plugin, none in common",
    MISSING_IN_PLUGIN = "MISSING_IN_PLUGIN" "missing in the plugin, and not [since]",
    MISSING_IN_HOST = "MISSING_IN_HOST" "missing in the host, and not [since] in the plugin",
    KIND = "KIND" "kind is %e in the host, %f in the plugin",
    FLAG = "FLAG" "is %e in the host, %f in the plugin",
    TYPE_ID = "TYPE_ID" "type id is %e in the host, %f in the plugin",
    SIZE = "SIZE" "size is %e in the host, %f in the plugin",
    ALIGN = "ALIGN" "alignment is %e in the host, %f in the plugin",
    LAYOUT_HASH = "LAYOUT_HASH" "layout hash is %e in the host, %f in the plugin",
    SIGNATURE = "SIGNATURE" "signature hash is %e in the host, %f in the plugin",
    FIELD_OFFSET = "FIELD_OFFSET" "field '%m' is at offset %e in the host, %f in the plugin",
    FIELD_SIZE = "FIELD_SIZE" "field '%m' has size %e in the host, %f in the plugin",
    FIELD_TYPE = "FIELD_TYPE" "field '%m' has type hash %e in the host, %f in the plugin",
    FIELD_INDEX = "FIELD_INDEX" "field '%m' is field %e in the host, field %f in the plugin",
    FIELD_CLASH = "FIELD_CLASH" "field %m is '%e' in the host, '%f' in the plugin",
    FIELD_MISSING_IN_PLUGIN = "FIELD_MISSING_IN_PLUGIN" "field '%m' is missing in the plugin, and not [since]",
    FIELD_MISSING_IN_HOST = "FIELD_MISSING_IN_HOST" "field '%m' is missing in the host, and not [since] in the plugin",
    ENUM_VALUE = "ENUM_VALUE" "value '%m' is %e in the host, %f in the plugin",
    VARIANT_TAG = "VARIANT_TAG" "variant '%m' has tag %e in the host, %f in the plugin",
    VARIANT_PAYLOAD = "VARIANT_PAYLOAD" "variant '%m' has payload hash %e in the host, %f in the plugin",
    TAG_CLASH = "TAG_CLASH" "tag %m is variant '%e' in the host, '%f' in the plugin",
    VARIANT_MISSING_IN_PLUGIN = "VARIANT_MISSING_IN_PLUGIN" "variant '%m' is missing in the plugin, and not [since]",
    VARIANT_MISSING_IN_HOST = "VARIANT_MISSING_IN_HOST" "variant '%m' is missing in the host, and not [since] in the plugin",
    IID = "IID" "iid is %e in the host, %f in the plugin",
    BASE = "BASE" "base is '%e' in the host, '%f' in the plugin",
    SLOT_NAME = "SLOT_NAME" "slot %m is method '%e' in the host, '%f' in the plugin",
    SLOT_SIGNATURE = "SLOT_SIGNATURE" "method '%m' has signature hash %e in the host, %f in the plugin",
    SLOT_MISSING_IN_PLUGIN = "SLOT_MISSING_IN_PLUGIN" "method '%m' (slot %e) is missing in the plugin, and not [since]",
    SLOT_MISSING_IN_HOST = "SLOT_MISSING_IN_HOST" "method '%m' (slot %f) is missing in the host, and not [since] in the plugin",
    SYMBOL = "SYMBOL" "symbol is '%e' in the host, '%f' in the plugin",
    EXPORT_INDEX = "EXPORT_INDEX" "is entry %e of the exports table in the host, entry %f in the plugin",
    EXPORT_CLASH = "EXPORT_CLASH" "entry %m of the exports table is '%e' in the host, '%f' in the plugin",
    DUPLICATE_IN_HOST = "DUPLICATE_IN_HOST" "appears more than once in the host",
    DUPLICATE_IN_PLUGIN = "DUPLICATE_IN_PLUGIN" "appears more than once in the plugin",
    FIELD_DUPLICATE_IN_HOST = "FIELD_DUPLICATE_IN_HOST" "field '%m' appears more than once in the host",
    FIELD_DUPLICATE_IN_PLUGIN = "FIELD_DUPLICATE_IN_PLUGIN" "field '%m' appears more than once in the plugin",
    VARIANT_DUPLICATE_IN_HOST = "VARIANT_DUPLICATE_IN_HOST" "variant '%m' appears more than once in the host",
    VARIANT_DUPLICATE_IN_PLUGIN = "VARIANT_DUPLICATE_IN_PLUGIN" "variant '%m' appears more than once in the plugin",
    WORK = "WORK" "not compared: the comparison needs %e bytes of work memory, it was given %f",
}

/// What kind of item a problem is about (`enum chitin_desc_item_kind`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ItemKind {
    /// The module itself.
    Module = 1,
    /// An imported module.
    Import = 2,
    /// A type.
    Type = 3,
    /// An interface.
    Interface = 4,
    /// An export.
    Export = 5,
}

impl ItemKind {
    /// The word that starts a problem's line.
    pub const fn text(self) -> &'static str {
        match self {
            ItemKind::Module => "module",
            ItemKind::Import => "import",
            ItemKind::Type => "type",
            ItemKind::Interface => "interface",
            ItemKind::Export => "export",
        }
    }
}

/// One incompatibility (`struct chitin_desc_problem`).  The texts are
/// bytes (names need not be UTF-8), cut as libchitin cuts them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub kind: ProblemKind,
    /// What the item is.
    pub item_kind: ItemKind,
    /// "audio.Frame"; the module or import name.
    pub item: Vec<u8>,
    /// Field, value, variant, method or slot; or empty.
    pub member: Vec<u8>,
    /// The host's side, or empty.
    pub expected: Vec<u8>,
    /// The plugin's side, or empty.
    pub found: Vec<u8>,
}

impl Problem {
    /// The line of `chitin_desc_format_problem`, without a newline:
    /// `type 'audio.Frame': field 'right' is at offset 4 in the host, 8 in the plugin`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.item_kind.text().as_bytes());
        out.extend_from_slice(b" '");
        out.extend_from_slice(&self.item);
        out.extend_from_slice(b"': ");
        let s = self.kind.sentence().as_bytes();
        let mut i = 0;
        while i < s.len() {
            let text = match (s[i], s.get(i + 1)) {
                (b'%', Some(b'm')) => Some(&self.member),
                (b'%', Some(b'e')) => Some(&self.expected),
                (b'%', Some(b'f')) => Some(&self.found),
                _ => None,
            };
            match text {
                Some(t) => {
                    out.extend_from_slice(t);
                    i += 2;
                }
                None => {
                    out.push(s[i]);
                    i += 1;
                }
            }
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

/// The result of a comparison (`struct chitin_desc_report`, and the count
/// `chitin_desc_compare` returns).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems found, all of them (saturating at `u32::MAX`).
    pub n_found: u32,
    /// The first [`MAX_PROBLEMS`] of them, in the order of
    /// doc/descriptor.md section 11.
    pub problems: Vec<Problem>,
    /// Whether others were found and not kept.
    pub more: bool,
}

impl Report {
    /// Whether the plugin may be loaded: no problem.
    pub fn is_compatible(&self) -> bool {
        self.n_found == 0
    }

    /// The text of `chitin_desc_format_report`: one line per problem, each
    /// ending in a newline, then "(more problems not shown)\n" if some
    /// were not kept; empty if compatible.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for p in self.problems.iter().take(MAX_PROBLEMS) {
            p.write(&mut out);
            out.push(b'\n');
        }
        if self.more {
            out.extend_from_slice(b"(more problems not shown)\n");
        }
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

/// A text as libchitin's fixed buffer of `size` bytes holds it: a text of
/// `size` bytes or more keeps its first `size - 4` and ends in "...".
pub(crate) fn cut(mut text: Vec<u8>, size: usize) -> Vec<u8> {
    if text.len() >= size {
        text.truncate(size - 4);
        text.extend_from_slice(b"...");
    }
    text
}

fn dec(v: u64) -> Vec<u8> {
    std::format!("{v}").into_bytes()
}

/// A value or tag of an enum, signed if its type is.
fn enum_value(v: u64, type_flags: u32) -> Vec<u8> {
    if type_flags & SIGNED != 0 {
        std::format!("{}", v as i64).into_bytes()
    } else {
        dec(v)
    }
}

fn version(major: u16, minor: u16) -> Vec<u8> {
    std::format!("{major}.{minor}").into_bytes()
}

fn hex(h: &Hash128) -> Vec<u8> {
    h.to_hex().to_vec()
}

fn uuid(id: &TypeId) -> Vec<u8> {
    id.to_text().to_vec()
}

fn is_since(flags: u32) -> bool {
    flags & SINCE != 0
}

const PLUGIN: usize = 0;
const HOST: usize = 1;

/// A distinct key: the first item with it on each side, and whether a
/// repeat of it on each side has been reported.
#[derive(Default)]
struct Slot {
    first: [Option<usize>; 2],
    reported: [bool; 2],
}

/// How an item stands in its table: read a host's item once the table
/// holds every plugin item, a plugin's once it holds every host item too.
#[derive(PartialEq, Eq)]
enum Match {
    /// The first of its name on its side; the other side's first of the
    /// name is this.
    Matched(usize),
    /// The first of its name on its side; none on the other.
    Missing,
    /// An earlier item of its side has its name, and this is the first
    /// such repeat: reported.
    Repeated,
    /// A later repeat of a name already repeated: skipped.
    RepeatedAgain,
}

struct Table<'k> {
    slots: HashMap<&'k [u8], Slot>,
    /// The plugin's names no host item has had so far, and its items
    /// that repeat a name: when both are 0 after the host's items, the
    /// plugin's need not be read again.
    plugin_only: usize,
    plugin_repeats: usize,
}

impl<'k> Table<'k> {
    /// The table of a pair of lists, holding the plugin's items.
    fn new<I: Iterator<Item = &'k [u8]>>(plugin: I, n: usize) -> Table<'k> {
        let mut t = Table {
            slots: HashMap::with_capacity(n),
            plugin_only: 0,
            plugin_repeats: 0,
        };
        for (j, key) in plugin.enumerate() {
            if t.add(PLUGIN, j, key).first[PLUGIN] == Some(j) {
                t.plugin_only += 1;
            } else {
                t.plugin_repeats += 1;
            }
        }
        t
    }

    fn add(&mut self, side: usize, id: usize, key: &'k [u8]) -> &mut Slot {
        let s = self.slots.entry(key).or_default();
        if s.first[side].is_none() {
            s.first[side] = Some(id);
        }
        s
    }

    fn find(&mut self, side: usize, id: usize, key: &'k [u8]) -> Match {
        let other = 1 - side;
        let s = self.add(side, id, key);
        if s.first[side] != Some(id) {
            if s.reported[side] {
                return Match::RepeatedAgain;
            }
            s.reported[side] = true;
            return Match::Repeated;
        }
        match s.first[other] {
            None => Match::Missing,
            Some(j) => {
                if side == HOST {
                    self.plugin_only -= 1;
                }
                Match::Matched(j)
            }
        }
    }

    /// Whether, after the host's items, some item of the plugin is
    /// missing in the host or repeats a name.
    fn plugin_left(&self) -> bool {
        self.plugin_only != 0 || self.plugin_repeats != 0
    }
}

/// The words of a target list: names separated by spaces.
fn words(list: &[u8]) -> impl Iterator<Item = &[u8]> {
    list.split(|&b| b == b' ').filter(|w| !w.is_empty())
}

struct Compare<'d, 'a> {
    host: &'d Descriptor<'a>,
    plugin: &'d Descriptor<'a>,
    report: Report,
}

impl<'d, 'a> Compare<'d, 'a> {
    /// Records a problem about an item of the host's module (its name
    /// qualified with the module unless it is already) or about the
    /// module or an import (the name as it is).
    fn add(
        &mut self,
        kind: ProblemKind,
        item_kind: ItemKind,
        item: &[u8],
        member: &[u8],
        expected: &[u8],
        found: &[u8],
    ) {
        let r = &mut self.report;
        r.n_found = r.n_found.saturating_add(1);
        if r.problems.len() >= MAX_PROBLEMS {
            r.more = true;
            return;
        }
        let mut name = Vec::new();
        if item_kind != ItemKind::Module && item_kind != ItemKind::Import && !item.contains(&b'.') {
            name.extend_from_slice(self.host.module);
            name.push(b'.');
        }
        name.extend_from_slice(item);
        r.problems.push(Problem {
            kind,
            item_kind,
            item: cut(name, ITEM_TEXT),
            member: cut(member.to_vec(), TEXT),
            expected: cut(expected.to_vec(), TEXT),
            found: cut(found.to_vec(), TEXT),
        });
    }

    /// Whether an item is to be skipped as a repeat of an earlier item's
    /// name on its side; the first repeat of a name is reported.
    fn skip_repeat(
        &mut self,
        m: &Match,
        kind: ProblemKind,
        item_kind: ItemKind,
        item: &[u8],
        member: &[u8],
    ) -> bool {
        if *m == Match::Repeated {
            self.add(kind, item_kind, item, member, b"", b"");
        }
        *m == Match::Repeated || *m == Match::RepeatedAgain
    }

    /// Reports an attribute that one side has and the other lacks.
    #[allow(clippy::too_many_arguments)]
    fn flag(
        &mut self,
        item_kind: ItemKind,
        item: &[u8],
        host: u32,
        plugin: u32,
        flag: u32,
        set: &str,
        unset: &str,
    ) -> bool {
        if (host ^ plugin) & flag == 0 {
            return false;
        }
        let text = |f: u32| if f & flag != 0 { set } else { unset };
        self.add(
            ProblemKind::FLAG,
            item_kind,
            item,
            b"",
            text(host).as_bytes(),
            text(plugin).as_bytes(),
        );
        true
    }

    fn run(&mut self, required_minor: u16) {
        let (host, plugin) = (self.host, self.plugin);
        // Past a different module or major, or targets that have none in
        // common, nothing else is comparable.
        if host.module != plugin.module {
            self.add(
                ProblemKind::MODULE_NAME,
                ItemKind::Module,
                host.module,
                b"",
                host.module,
                plugin.module,
            );
            return;
        }
        if host.major != plugin.major {
            self.add(
                ProblemKind::MAJOR,
                ItemKind::Module,
                host.module,
                b"",
                &dec(host.major.into()),
                &dec(plugin.major.into()),
            );
            return;
        }
        let host_targets: HashSet<&[u8]> = words(host.targets).collect();
        if !words(plugin.targets).any(|w| host_targets.contains(w)) {
            self.add(
                ProblemKind::TARGET,
                ItemKind::Module,
                host.module,
                b"",
                host.targets,
                plugin.targets,
            );
            return;
        }
        if plugin.minor < required_minor {
            self.add(
                ProblemKind::MINOR,
                ItemKind::Module,
                host.module,
                b"",
                &version(host.major, required_minor),
                &version(plugin.major, plugin.minor),
            );
        }
        self.imports();
        self.types();
        self.interfaces();
        self.exports();
    }

    /// Modules both sides import must agree on the major version.
    fn imports(&mut self) {
        let (host, plugin) = (self.host, self.plugin);
        let mut t = Table::new(
            plugin.imports.iter().map(|i| i.module),
            plugin.imports.len(),
        );
        for (i, h) in host.imports.iter().enumerate() {
            let m = t.find(HOST, i, h.module);
            if self.skip_repeat(
                &m,
                ProblemKind::DUPLICATE_IN_HOST,
                ItemKind::Import,
                h.module,
                b"",
            ) {
                continue;
            }
            if let Match::Matched(j) = m {
                let p = &plugin.imports[j];
                if p.major != h.major {
                    self.add(
                        ProblemKind::MAJOR,
                        ItemKind::Import,
                        h.module,
                        b"",
                        &dec(h.major.into()),
                        &dec(p.major.into()),
                    );
                }
            }
        }
        if t.plugin_left() {
            for (j, p) in plugin.imports.iter().enumerate() {
                let m = t.find(PLUGIN, j, p.module);
                self.skip_repeat(
                    &m,
                    ProblemKind::DUPLICATE_IN_PLUGIN,
                    ItemKind::Import,
                    p.module,
                    b"",
                );
            }
        }
    }

    /// Types are matched by name.  An interface's type missing on one
    /// side is reported with the interface.
    fn types(&mut self) {
        let (host, plugin) = (self.host, self.plugin);
        let mut t = Table::new(plugin.types.iter().map(|t| t.name), plugin.types.len());
        for (i, h) in host.types.iter().enumerate() {
            let m = t.find(HOST, i, h.name);
            if self.skip_repeat(
                &m,
                ProblemKind::DUPLICATE_IN_HOST,
                ItemKind::Type,
                h.name,
                b"",
            ) {
                continue;
            }
            match m {
                Match::Matched(j) => self.type_(h, &plugin.types[j]),
                _ => {
                    if !is_since(h.flags) && h.kind != Kind::Interface {
                        self.add(
                            ProblemKind::MISSING_IN_PLUGIN,
                            ItemKind::Type,
                            h.name,
                            b"",
                            b"",
                            b"",
                        );
                    }
                }
            }
        }
        if t.plugin_left() {
            for (j, p) in plugin.types.iter().enumerate() {
                let m = t.find(PLUGIN, j, p.name);
                if !self.skip_repeat(
                    &m,
                    ProblemKind::DUPLICATE_IN_PLUGIN,
                    ItemKind::Type,
                    p.name,
                    b"",
                ) && m == Match::Missing
                    && !is_since(p.flags)
                    && p.kind != Kind::Interface
                {
                    self.add(
                        ProblemKind::MISSING_IN_HOST,
                        ItemKind::Type,
                        p.name,
                        b"",
                        b"",
                        b"",
                    );
                }
            }
        }
    }

    fn type_(&mut self, h: &Type<'a>, p: &Type<'a>) {
        if h.kind != p.kind {
            self.add(
                ProblemKind::KIND,
                ItemKind::Type,
                h.name,
                b"",
                h.kind.text().as_bytes(),
                p.kind.text().as_bytes(),
            );
            return;
        }
        if self.flag(
            ItemKind::Type,
            h.name,
            h.flags,
            p.flags,
            RESILIENT,
            "[resilient]",
            "not [resilient]",
        ) {
            return;
        }
        // An interface's id is its iid, compared with the interface.
        if h.kind != Kind::Interface && h.type_id != p.type_id {
            self.add(
                ProblemKind::TYPE_ID,
                ItemKind::Type,
                h.name,
                b"",
                &uuid(&h.type_id),
                &uuid(&p.type_id),
            );
        }
        if h.flags & RESILIENT != 0 {
            self.resilient_fields(h, p);
            return;
        }
        if h.kind == Kind::Enum || h.kind == Kind::DataEnum {
            self.flag(
                ItemKind::Type,
                h.name,
                h.flags,
                p.flags,
                SIGNED,
                "signed",
                "unsigned",
            );
        }
        if h.kind == Kind::Callback && h.signature_hash != p.signature_hash {
            self.add(
                ProblemKind::SIGNATURE,
                ItemKind::Type,
                h.name,
                b"",
                &hex(&h.signature_hash),
                &hex(&p.signature_hash),
            );
        }
        // The layout hash decides; sizes, fields and variants explain.
        // It holds no names, so a struct's or union's fields are matched
        // by name even when it agrees.
        let before = self.report.n_found;
        let layout_differs = h.layout_hash != p.layout_hash;
        if layout_differs {
            if h.size != p.size {
                self.add(
                    ProblemKind::SIZE,
                    ItemKind::Type,
                    h.name,
                    b"",
                    &dec(h.size),
                    &dec(p.size),
                );
            }
            if h.align != p.align {
                self.add(
                    ProblemKind::ALIGN,
                    ItemKind::Type,
                    h.name,
                    b"",
                    &dec(h.align.into()),
                    &dec(p.align.into()),
                );
            }
        }
        if layout_differs || h.kind == Kind::Struct || h.kind == Kind::Union {
            self.fixed_fields(h, p);
        }
        // Enumerator lists are not in the layout hash: always compared.
        if h.kind == Kind::Enum {
            self.enum_values(h, p);
        } else if h.kind == Kind::DataEnum {
            self.variants(h, p);
        }
        if layout_differs && self.report.n_found == before {
            self.add(
                ProblemKind::LAYOUT_HASH,
                ItemKind::Type,
                h.name,
                b"",
                &hex(&h.layout_hash),
                &hex(&p.layout_hash),
            );
        }
    }

    /// A fixed struct, a union or a data enum whose layout hash differs:
    /// the fields, matched by name, say where.
    fn fixed_fields(&mut self, h: &Type<'a>, p: &Type<'a>) {
        let mut t = Table::new(p.fields.iter().map(|f| f.name), p.fields.len());
        for (i, hf) in h.fields.iter().enumerate() {
            let m = t.find(HOST, i, hf.name);
            if self.skip_repeat(
                &m,
                ProblemKind::FIELD_DUPLICATE_IN_HOST,
                ItemKind::Type,
                h.name,
                hf.name,
            ) {
                continue;
            }
            let j = match m {
                Match::Matched(j) => j,
                _ => {
                    self.add(
                        ProblemKind::FIELD_MISSING_IN_PLUGIN,
                        ItemKind::Type,
                        h.name,
                        hf.name,
                        b"",
                        b"",
                    );
                    continue;
                }
            };
            let pf = &p.fields[j];
            if hf.offset != pf.offset {
                self.add(
                    ProblemKind::FIELD_OFFSET,
                    ItemKind::Type,
                    h.name,
                    hf.name,
                    &dec(hf.offset),
                    &dec(pf.offset),
                );
            }
            if hf.size != pf.size {
                self.add(
                    ProblemKind::FIELD_SIZE,
                    ItemKind::Type,
                    h.name,
                    hf.name,
                    &dec(hf.size),
                    &dec(pf.size),
                );
            }
            if hf.type_hash != pf.type_hash {
                self.add(
                    ProblemKind::FIELD_TYPE,
                    ItemKind::Type,
                    h.name,
                    hf.name,
                    &hex(&hf.type_hash),
                    &hex(&pf.type_hash),
                );
            }
        }
        if t.plugin_left() {
            for (j, pf) in p.fields.iter().enumerate() {
                let m = t.find(PLUGIN, j, pf.name);
                if !self.skip_repeat(
                    &m,
                    ProblemKind::FIELD_DUPLICATE_IN_PLUGIN,
                    ItemKind::Type,
                    h.name,
                    pf.name,
                ) && m == Match::Missing
                {
                    self.add(
                        ProblemKind::FIELD_MISSING_IN_HOST,
                        ItemKind::Type,
                        h.name,
                        pf.name,
                        b"",
                        b"",
                    );
                }
            }
        }
    }

    /// A resilient struct: its size and offsets may differ, but a field
    /// on both sides has one index and one type; [since] fields may be
    /// missing, but not where the other side has a different field.
    fn resilient_fields(&mut self, h: &Type<'a>, p: &Type<'a>) {
        let mut t = Table::new(p.fields.iter().map(|f| f.name), p.fields.len());
        for (i, hf) in h.fields.iter().enumerate() {
            let m = t.find(HOST, i, hf.name);
            if self.skip_repeat(
                &m,
                ProblemKind::FIELD_DUPLICATE_IN_HOST,
                ItemKind::Type,
                h.name,
                hf.name,
            ) {
                continue;
            }
            if let Match::Matched(j) = m {
                if i != j {
                    self.add(
                        ProblemKind::FIELD_INDEX,
                        ItemKind::Type,
                        h.name,
                        hf.name,
                        &dec(i as u64),
                        &dec(j as u64),
                    );
                }
                let pf = &p.fields[j];
                if hf.type_hash != pf.type_hash {
                    self.add(
                        ProblemKind::FIELD_TYPE,
                        ItemKind::Type,
                        h.name,
                        hf.name,
                        &hex(&hf.type_hash),
                        &hex(&pf.type_hash),
                    );
                }
            } else if !is_since(hf.flags) {
                self.add(
                    ProblemKind::FIELD_MISSING_IN_PLUGIN,
                    ItemKind::Type,
                    h.name,
                    hf.name,
                    b"",
                    b"",
                );
            } else if let Some(pf) = p.fields.get(i) {
                self.add(
                    ProblemKind::FIELD_CLASH,
                    ItemKind::Type,
                    h.name,
                    &dec(i as u64),
                    hf.name,
                    pf.name,
                );
            }
        }
        // A plugin field at an index the host uses for another field was
        // reported above, from the host's field.
        if t.plugin_left() {
            for (j, pf) in p.fields.iter().enumerate() {
                let m = t.find(PLUGIN, j, pf.name);
                if !self.skip_repeat(
                    &m,
                    ProblemKind::FIELD_DUPLICATE_IN_PLUGIN,
                    ItemKind::Type,
                    h.name,
                    pf.name,
                ) && m == Match::Missing
                    && !is_since(pf.flags)
                {
                    self.add(
                        ProblemKind::FIELD_MISSING_IN_HOST,
                        ItemKind::Type,
                        h.name,
                        pf.name,
                        b"",
                        b"",
                    );
                }
            }
        }
    }

    /// C-like enums are open: values may be missing on either side, but a
    /// name on both sides has one value.
    fn enum_values(&mut self, h: &Type<'a>, p: &Type<'a>) {
        let mut t = Table::new(p.variants.iter().map(|v| v.name), p.variants.len());
        for (i, hv) in h.variants.iter().enumerate() {
            let m = t.find(HOST, i, hv.name);
            if self.skip_repeat(
                &m,
                ProblemKind::VARIANT_DUPLICATE_IN_HOST,
                ItemKind::Type,
                h.name,
                hv.name,
            ) {
                continue;
            }
            if let Match::Matched(j) = m {
                let pv = &p.variants[j];
                if pv.value != hv.value {
                    self.add(
                        ProblemKind::ENUM_VALUE,
                        ItemKind::Type,
                        h.name,
                        hv.name,
                        &enum_value(hv.value, h.flags),
                        &enum_value(pv.value, p.flags),
                    );
                }
            }
        }
        if t.plugin_left() {
            for (j, pv) in p.variants.iter().enumerate() {
                let m = t.find(PLUGIN, j, pv.name);
                self.skip_repeat(
                    &m,
                    ProblemKind::VARIANT_DUPLICATE_IN_PLUGIN,
                    ItemKind::Type,
                    h.name,
                    pv.name,
                );
            }
        }
    }

    /// Data enums: a variant on both sides has one tag and one payload; a
    /// [since] variant may be missing, but its tag may not mean another
    /// variant on the other side.
    fn variants(&mut self, h: &Type<'a>, p: &Type<'a>) {
        let mut t = Table::new(p.variants.iter().map(|v| v.name), p.variants.len());
        // The plugin's first variant of each tag, made when first needed.
        let mut tags: Option<HashMap<u64, usize>> = None;
        for (i, hv) in h.variants.iter().enumerate() {
            let m = t.find(HOST, i, hv.name);
            if self.skip_repeat(
                &m,
                ProblemKind::VARIANT_DUPLICATE_IN_HOST,
                ItemKind::Type,
                h.name,
                hv.name,
            ) {
                continue;
            }
            if let Match::Matched(j) = m {
                let pv = &p.variants[j];
                if hv.value != pv.value {
                    self.add(
                        ProblemKind::VARIANT_TAG,
                        ItemKind::Type,
                        h.name,
                        hv.name,
                        &enum_value(hv.value, h.flags),
                        &enum_value(pv.value, p.flags),
                    );
                }
                if !same_payload(hv, pv) {
                    self.add(
                        ProblemKind::VARIANT_PAYLOAD,
                        ItemKind::Type,
                        h.name,
                        hv.name,
                        &payload_text(hv),
                        &payload_text(pv),
                    );
                }
            } else if !is_since(hv.flags) {
                self.add(
                    ProblemKind::VARIANT_MISSING_IN_PLUGIN,
                    ItemKind::Type,
                    h.name,
                    hv.name,
                    b"",
                    b"",
                );
            } else {
                let tags = tags.get_or_insert_with(|| {
                    let mut m = HashMap::with_capacity(p.variants.len());
                    for (j, v) in p.variants.iter().enumerate() {
                        m.entry(v.value).or_insert(j);
                    }
                    m
                });
                if let Some(&j) = tags.get(&hv.value) {
                    self.add(
                        ProblemKind::TAG_CLASH,
                        ItemKind::Type,
                        h.name,
                        &enum_value(hv.value, h.flags),
                        hv.name,
                        p.variants[j].name,
                    );
                }
            }
        }
        if t.plugin_left() {
            for (j, pv) in p.variants.iter().enumerate() {
                let m = t.find(PLUGIN, j, pv.name);
                if !self.skip_repeat(
                    &m,
                    ProblemKind::VARIANT_DUPLICATE_IN_PLUGIN,
                    ItemKind::Type,
                    h.name,
                    pv.name,
                ) && m == Match::Missing
                    && !is_since(pv.flags)
                {
                    self.add(
                        ProblemKind::VARIANT_MISSING_IN_HOST,
                        ItemKind::Type,
                        h.name,
                        pv.name,
                        b"",
                        b"",
                    );
                }
            }
        }
    }

    fn interfaces(&mut self) {
        let (host, plugin) = (self.host, self.plugin);
        let mut t = Table::new(
            plugin.interfaces.iter().map(|i| i.name),
            plugin.interfaces.len(),
        );
        for (i, h) in host.interfaces.iter().enumerate() {
            let m = t.find(HOST, i, h.name);
            if self.skip_repeat(
                &m,
                ProblemKind::DUPLICATE_IN_HOST,
                ItemKind::Interface,
                h.name,
                b"",
            ) {
                continue;
            }
            let j = match m {
                Match::Matched(j) => j,
                _ => {
                    if !is_since(h.flags) {
                        self.add(
                            ProblemKind::MISSING_IN_PLUGIN,
                            ItemKind::Interface,
                            h.name,
                            b"",
                            b"",
                            b"",
                        );
                    }
                    continue;
                }
            };
            let p = &plugin.interfaces[j];
            if h.iid != p.iid {
                self.add(
                    ProblemKind::IID,
                    ItemKind::Interface,
                    h.name,
                    b"",
                    &uuid(&h.iid),
                    &uuid(&p.iid),
                );
            }
            if h.base != p.base {
                self.add(
                    ProblemKind::BASE,
                    ItemKind::Interface,
                    h.name,
                    b"",
                    h.base,
                    p.base,
                );
            }
            self.flag(
                ItemKind::Interface,
                h.name,
                h.flags,
                p.flags,
                BASE,
                "[base]",
                "not [base]",
            );
            self.flag(
                ItemKind::Interface,
                h.name,
                h.flags,
                p.flags,
                THREADSAFE,
                "[threadsafe]",
                "not [threadsafe]",
            );
            self.slots(h, p);
        }
        if t.plugin_left() {
            for (j, p) in plugin.interfaces.iter().enumerate() {
                let m = t.find(PLUGIN, j, p.name);
                if !self.skip_repeat(
                    &m,
                    ProblemKind::DUPLICATE_IN_PLUGIN,
                    ItemKind::Interface,
                    p.name,
                    b"",
                ) && m == Match::Missing
                    && !is_since(p.flags)
                {
                    self.add(
                        ProblemKind::MISSING_IN_HOST,
                        ItemKind::Interface,
                        p.name,
                        b"",
                        b"",
                        b"",
                    );
                }
            }
        }
    }

    /// Slots are positional: the shorter list must be a prefix of the
    /// longer one, whose extra slots must all be [since].
    fn slots(&mut self, h: &Interface<'a>, p: &Interface<'a>) {
        let n = h.methods.len().min(p.methods.len());
        for (i, (hm, pm)) in h.methods.iter().zip(p.methods.iter()).enumerate() {
            if hm.name != pm.name {
                self.add(
                    ProblemKind::SLOT_NAME,
                    ItemKind::Interface,
                    h.name,
                    &dec(i as u64),
                    hm.name,
                    pm.name,
                );
            } else if hm.signature_hash != pm.signature_hash {
                self.add(
                    ProblemKind::SLOT_SIGNATURE,
                    ItemKind::Interface,
                    h.name,
                    hm.name,
                    &hex(&hm.signature_hash),
                    &hex(&pm.signature_hash),
                );
            }
        }
        for (i, hm) in h.methods.iter().enumerate().skip(n) {
            if !is_since(hm.flags) {
                self.add(
                    ProblemKind::SLOT_MISSING_IN_PLUGIN,
                    ItemKind::Interface,
                    h.name,
                    hm.name,
                    &dec(i as u64),
                    b"",
                );
            }
        }
        for (i, pm) in p.methods.iter().enumerate().skip(n) {
            if !is_since(pm.flags) {
                self.add(
                    ProblemKind::SLOT_MISSING_IN_HOST,
                    ItemKind::Interface,
                    h.name,
                    pm.name,
                    b"",
                    &dec(i as u64),
                );
            }
        }
    }

    /// Exports are matched by name, and the exports table is positional:
    /// an export on both sides has one entry, and a [since] export the
    /// plugin lacks may not have its entry taken by another export.  The
    /// plugin may have exports the host does not know.
    fn exports(&mut self) {
        let (host, plugin) = (self.host, self.plugin);
        let mut t = Table::new(plugin.exports.iter().map(|e| e.name), plugin.exports.len());
        for (i, h) in host.exports.iter().enumerate() {
            let m = t.find(HOST, i, h.name);
            if self.skip_repeat(
                &m,
                ProblemKind::DUPLICATE_IN_HOST,
                ItemKind::Export,
                h.name,
                b"",
            ) {
                continue;
            }
            let j = match m {
                Match::Matched(j) => j,
                _ => {
                    if !is_since(h.flags) {
                        self.add(
                            ProblemKind::MISSING_IN_PLUGIN,
                            ItemKind::Export,
                            h.name,
                            b"",
                            b"",
                            b"",
                        );
                    } else if let Some(other) = plugin.exports.get(i) {
                        self.add(
                            ProblemKind::EXPORT_CLASH,
                            ItemKind::Export,
                            h.name,
                            &dec(i as u64),
                            h.name,
                            other.name,
                        );
                    }
                    continue;
                }
            };
            let p = &plugin.exports[j];
            if h.symbol != p.symbol {
                self.add(
                    ProblemKind::SYMBOL,
                    ItemKind::Export,
                    h.name,
                    b"",
                    h.symbol,
                    p.symbol,
                );
            }
            if h.signature_hash != p.signature_hash {
                self.add(
                    ProblemKind::SIGNATURE,
                    ItemKind::Export,
                    h.name,
                    b"",
                    &hex(&h.signature_hash),
                    &hex(&p.signature_hash),
                );
            }
            if i != j {
                self.add(
                    ProblemKind::EXPORT_INDEX,
                    ItemKind::Export,
                    h.name,
                    b"",
                    &dec(i as u64),
                    &dec(j as u64),
                );
            }
        }
        if t.plugin_left() {
            for (j, p) in plugin.exports.iter().enumerate() {
                let m = t.find(PLUGIN, j, p.name);
                self.skip_repeat(
                    &m,
                    ProblemKind::DUPLICATE_IN_PLUGIN,
                    ItemKind::Export,
                    p.name,
                    b"",
                );
            }
        }
    }
}

fn payload_text(v: &Variant<'_>) -> Vec<u8> {
    if v.flags & PAYLOAD == 0 {
        b"none".to_vec()
    } else {
        hex(&v.payload_hash)
    }
}

fn same_payload(a: &Variant<'_>, b: &Variant<'_>) -> bool {
    if (a.flags ^ b.flags) & PAYLOAD != 0 {
        return false;
    }
    a.flags & PAYLOAD == 0 || a.payload_hash == b.payload_hash
}

/// Decides whether a plugin whose descriptor is `plugin` may be loaded by
/// a host built against `host`, the plugin's minor version being at least
/// `required_minor` (doc/descriptor.md section 11), as
/// `chitin_desc_compare` does: the same problems, in the same order, with
/// the same texts.  Items may be in any order; the time taken is linear
/// in the size of the two descriptors.  (The comparison allocates its
/// tables, so it never reports [`ProblemKind::WORK`].)
pub fn compare(host: &Descriptor<'_>, plugin: &Descriptor<'_>, required_minor: u16) -> Report {
    let mut c = Compare {
        host,
        plugin,
        report: Report::default(),
    };
    c.run(required_minor);
    c.report
}
