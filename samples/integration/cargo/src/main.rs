//! greet: the Rust program of the build-integration samples
//! (doc/build.md 4). It implements greeter's interface Greeter in Rust,
//! calls it through the generated module and prints the greeting.

/// The modules build.rs generated, as siblings: greeter's types name
/// names' through `super::names`.
pub mod names {
    include!(concat!(env!("OUT_DIR"), "/names.rs"));
}
pub mod greeter {
    include!(concat!(env!("OUT_DIR"), "/greeter.rs"));
}

struct Greeter;

impl greeter::GreeterImpl for Greeter {
    fn greet(&self, who: names::Name) -> Result<chitin::String, chitin::Status> {
        // SAFETY: the caller keeps the text valid for the call
        // (doc/abi.md 4, rule 1).
        let first = unsafe { chitin::Str::from_raw(who.first) }?;
        let hello = if who.formal.get() {
            "Good day"
        } else {
            "Hello"
        };
        Ok(chitin::String::from(format!("{}, {}.", hello, &*first)))
    }
}

chitin::implement!(Greeter: greeter::Greeter);

fn main() -> Result<(), chitin::Status> {
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_else(|| "world".to_string());
    let who = names::Name {
        first: chitin::raw::RawStr::new(&first),
        formal: chitin::Bool::new(args.next().is_some()),
    };
    let greeter: chitin::Ref<greeter::Greeter> = chitin::Ref::new(Greeter);
    let greeting = greeter.greet(who)?;
    println!("{}", greeting.as_str()?);
    Ok(())
}
