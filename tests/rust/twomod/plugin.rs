//! One Rust library that implements two modules, xa (no exports) and xb,
//! whose exports take and give xa's types: the generated modules under
//! `crate::sdk`, as `chitin gen --rust --rust-parent crate::sdk` writes
//! them, and each exported with `chitin::export_module!` by its path.

mod sdk {
    #![allow(dead_code)]
    pub mod xa;
    pub mod xb;
}

use sdk::{xa, xb};

struct Obj;

impl xa::BaseImpl for Obj {
    fn get(&self) -> Result<xa::P, chitin::Status> {
        Ok(xa::P { x: 1, y: 2 })
    }
}

impl xb::ThingImpl for Obj {
    fn twice(&self, v: u32) -> Result<u32, chitin::Status> {
        Ok(v * 2)
    }
}

chitin::implement!(Obj: xb::Thing);

struct Plugin;

impl xb::Implementation for Plugin {
    fn make(p: xa::P, name: &str) -> Result<xa::P, chitin::Status> {
        Ok(xa::P {
            x: p.x + name.len() as i32,
            y: p.y * 10,
        })
    }

    fn open() -> Result<chitin::Ref<xb::Thing>, chitin::Status> {
        Ok(chitin::Ref::new(Obj))
    }

    fn base() -> Result<chitin::Ref<xa::Base>, chitin::Status> {
        chitin::Ref::<xb::Thing>::new(Obj)
            .query::<xa::Base>()
            .ok_or(chitin::Status::FAILED)
    }
}

chitin::export_module!(crate::sdk::xb, Plugin);
chitin::export_module!(sdk::xa);
