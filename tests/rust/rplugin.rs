//! A plugin implementing module lm (tests/cgen/loader/lm.idl) in Rust, on
//! the module chitin gen --rust writes: what tests/cgen/loader/plugin.c
//! does, as a cdylib. Built against 1.1, or against 1.0 with
//! `--cfg lm_1_0`.

use std::sync::atomic::{AtomicU32, Ordering};

#[allow(dead_code)]
mod lm;

use lm::{Counter, Point};

/// The exports.
struct Plugin;

impl lm::Implementation for Plugin {
    fn make_point(x: i32, y: i32) -> Result<Point, chitin::Status> {
        Ok(Point { x, y })
    }

    fn new_counter() -> Result<chitin::Ref<Counter>, chitin::Status> {
        Ok(chitin::Ref::new(Tally {
            total: AtomicU32::new(0),
        }))
    }

    #[cfg(not(lm_1_0))]
    fn sum(p: Point) -> Result<i32, chitin::Status> {
        Ok(p.x + p.y)
    }
}

/// A counter: [threadsafe], so shared between threads, hence atomic.
struct Tally {
    total: AtomicU32,
}

impl lm::CounterImpl for Tally {
    fn add(&self, n: u32) -> Result<u32, chitin::Status> {
        Ok(self.total.fetch_add(n, Ordering::SeqCst) + n)
    }

    #[cfg(not(lm_1_0))]
    fn total(&self) -> Result<u32, chitin::Status> {
        Ok(self.total.load(Ordering::SeqCst))
    }
}

chitin::implement!(Tally: Counter);
chitin::export_module!(lm, Plugin);
