//! rbenchcmp: the Rust crate's side of bench/benchcmp, for `make bench`.
//!
//! usage: rbenchcmp [-t SECONDS] HOST.blob PLUGIN.blob
//!
//! Decodes the host's descriptor once, then decodes the plugin's and
//! compares the two with `chitin::desc` repeatedly, for SECONDS (0.5
//! unless told) or 1000 runs, whichever comes first, and at least once,
//! and prints one line:
//!   DECODE_S COMPARE_S RUNS PROBLEMS
//! the least decode time and the least compare time of a run in seconds,
//! the runs made, and whether the comparison found the plugin
//! incompatible (1) or not (0).

use std::time::Instant;

fn die(what: &str) -> ! {
    eprintln!("rbenchcmp: {}", what);
    std::process::exit(2);
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut budget = 0.5f64;
    if args.len() > 2 && args[0] == "-t" {
        budget = args[1].parse().unwrap_or_else(|_| die("-t needs seconds"));
        args.drain(..2);
    }
    if args.len() != 2 {
        die("usage: rbenchcmp [-t SECONDS] HOST.blob PLUGIN.blob");
    }
    let host_blob = std::fs::read(&args[0]).unwrap_or_else(|e| die(&e.to_string()));
    let plugin_blob = std::fs::read(&args[1]).unwrap_or_else(|e| die(&e.to_string()));
    let host = chitin::desc::decode(&host_blob).unwrap_or_else(|_| die("the host's blob"));
    let (mut best_decode, mut best_compare, mut spent) = (f64::MAX, f64::MAX, 0.0);
    let mut runs = 0;
    let mut incompatible = false;
    while runs < 1000 && (runs == 0 || spent < budget) {
        let t0 = Instant::now();
        let plugin =
            chitin::desc::decode(&plugin_blob).unwrap_or_else(|_| die("the plugin's blob"));
        let t1 = Instant::now();
        let report = chitin::desc::compare(&host, &plugin, 0);
        let t2 = Instant::now();
        incompatible = !report.is_compatible();
        let (d, c) = ((t1 - t0).as_secs_f64(), (t2 - t1).as_secs_f64());
        best_decode = best_decode.min(d);
        best_compare = best_compare.min(c);
        spent += d + c;
        runs += 1;
    }
    println!(
        "{:.6} {:.6} {} {}",
        best_decode,
        best_compare,
        runs,
        u32::from(incompatible)
    );
}
