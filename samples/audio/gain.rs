//! The gain plugin of the audio SDK written in Rust: what gain.c does, on
//! the module `chitin gen --rust` writes and the `chitin` crate (doc/rust.md
//! 6), built as a cdylib that any host of the SDK loads. The generated
//! files are found in `OUT_DIR`, as a cargo build script would put them;
//! plain rustc does the same with the variable set. By hand, from
//! samples/audio, against 1.1 (README.md, "Building by hand"): the SDK,
//! the `chitin` crate from the sources `chitin.pc` names, then the plugin:
//!
//! ```console
//! $ chitin gen -o gen sdk-1.1/audio.idl dsp/common.idl
//! $ crate=$(pkg-config --variable=rustcratedir chitin)
//! $ rustc --edition 2021 --crate-type rlib --crate-name chitin --cfg 'feature="std"' "$crate/src/lib.rs"
//! $ OUT_DIR=gen rustc --edition 2021 --crate-type cdylib --extern chitin=libchitin.rlib \
//!     -o libgain-rs.so gain.rs
//! ```
//!
//! Built against SDK 1.1, or against SDK 1.0 with `--cfg audio_sdk_1_0`,
//! which leaves out what 1.1 added (the settings' ceiling, the Tempo
//! event, peak). Rust compiles code in or out by `cfg` alone, never by a
//! constant, so the flag stays; the generated module's `VERSION_MINOR`
//! holds it to the SDK the plugin is built against (below).

use std::cell::Cell;
use std::mem::MaybeUninit;

use chitin::raw::{RawResult, RawString};
use chitin::{Callback, Status};

// The generated modules, side by side: audio names dsp's types as
// `super::dsp`. The host's half of them (the calls) goes unused here.
#[allow(dead_code)]
mod dsp {
    include!(concat!(env!("OUT_DIR"), "/dsp.rs"));
}
#[allow(dead_code)]
mod audio {
    include!(concat!(env!("OUT_DIR"), "/audio.rs"));
}

use audio::{Effect, Error, Event, EventView, Level, LogFn, Settings};
use dsp::Frame;

// `--cfg audio_sdk_1_0` exactly when the generated module is 1.0's.
const _: () = assert!(
    cfg!(audio_sdk_1_0) == (audio::VERSION_MINOR == 0),
    "--cfg audio_sdk_1_0 is for SDK 1.0 alone"
);

/// The error arm of a result, with a message the caller owns.
fn fail<T: Copy>(code: i32, message: &str) -> RawResult<T, Error> {
    RawResult::from(Err(Error {
        code,
        message: chitin::String::from(message).into_raw(),
    }))
}

/// A gain. Its state is in cells: `Gain` is not `[threadsafe]`, so its
/// methods are called one at a time (doc/abi.md 5.5).
struct Gain {
    /// The host's log, owned: released when the object drops.
    log: Callback<'static, LogFn>,
    level_db: Cell<f32>,
    /// The level as a factor: 10^(level_db / 20).
    factor: Cell<f32>,
    /// The loudest sample written; 0: no limit.
    ceiling: Cell<f32>,
    peak: Cell<f32>,
}

impl Gain {
    /// Sends a message to the host's log, which has nothing to say back.
    fn say(&self, level: Level, text: &str) {
        let _ = self.log.call(level, text);
    }

    fn apply(&self, sample: f32) -> f32 {
        let mut out = sample * self.factor.get();
        let ceiling = self.ceiling.get();
        if ceiling > 0.0 {
            out = out.clamp(-ceiling, ceiling);
        }
        self.peak.set(self.peak.get().max(out.abs()));
        out
    }
}

impl audio::EffectImpl for Gain {
    fn name(&self) -> Result<chitin::String, Status> {
        Ok(chitin::String::from("gain"))
    }

    fn configure(&self, settings: *const Settings) -> Result<RawResult<(), Error>, Status> {
        // SAFETY: the host passes a value of Settings, laid out by its own
        // version of the SDK, for the length of the call (Effect.configure).
        // The view reads each field where the value's layout record says.
        let s = unsafe { Settings::view(settings) }.ok_or(Status::INVALID_ARG)?;
        let rate = *s.sample_rate().ok_or(Status::INVALID_ARG)?;
        let block = *s.max_block().ok_or(Status::INVALID_ARG)?;
        if rate == 0 || block == 0 || block > audio::MAX_BLOCK {
            return Ok(fail(
                audio::ERR_BAD_SETTINGS,
                "gain: no sample rate, or blocks of 0 or over MAX_BLOCK",
            ));
        }
        self.ceiling.set(0.0);
        // None when a 1.0 host made the settings: they have no ceiling
        #[cfg(not(audio_sdk_1_0))]
        let limit = match s.ceiling() {
            None => "no ceiling (1.0 settings)".to_string(),
            Some(ceiling) => match ceiling.get()? {
                Some(c) if c > 0.0 => {
                    self.ceiling.set(c);
                    format!("ceiling {:.2}", c)
                }
                _ => "no ceiling".to_string(),
            },
        };
        #[cfg(audio_sdk_1_0)]
        let limit = "no ceiling";
        self.say(
            Level::Info,
            &format!(
                "gain: {} Hz, blocks of up to {} frames, {}",
                rate, block, limit
            ),
        );
        Ok(RawResult::from(Ok(())))
    }

    fn handle(&self, event: Event) -> Result<(), Status> {
        match event.view() {
            EventView::ParamChanged(p) => {
                if p.id != audio::GAIN_LEVEL {
                    return Err(Status::INVALID_ARG);
                }
                self.level_db.set(p.value);
                self.factor.set(10f32.powf(p.value / 20.0));
                self.say(Level::Info, &format!("gain: level {:.1} dB", p.value));
            }
            EventView::Note(_) => {} // a gain plays no notes
            EventView::Reset => self.peak.set(0.0),
            #[cfg(not(audio_sdk_1_0))]
            EventView::Tempo(t) => self.say(
                Level::Debug,
                &format!("gain: tempo {:.0} bpm, which a gain ignores", t.bpm),
            ),
            // Enums are open (doc/abi.md 2.14): a newer host may send a
            // variant this plugin's SDK does not have, to be ignored.
            EventView::Unknown(tag) => self.say(
                Level::Warning,
                &format!(
                    "gain: event {} is newer than SDK {}.{}: ignored",
                    tag,
                    audio::VERSION_MAJOR,
                    audio::VERSION_MINOR
                ),
            ),
        }
        Ok(())
    }

    fn process(
        &self,
        input: &[Frame],
        output: &mut [MaybeUninit<Frame>],
    ) -> Result<RawResult<(), Error>, Status> {
        if output.len() < input.len() {
            let text = format!(
                "gain: {} frames in, room for {} out",
                input.len(),
                output.len()
            );
            return Ok(fail(audio::ERR_SHORT_OUTPUT, &text));
        }
        for (frame, out) in input.iter().zip(output.iter_mut()) {
            out.write(Frame {
                left: self.apply(frame.left),
                right: self.apply(frame.right),
            });
        }
        Ok(RawResult::from(Ok(())))
    }
}

impl audio::GainImpl for Gain {
    fn level(&self) -> Result<f32, Status> {
        Ok(self.level_db.get())
    }

    // Against 1.0 there is no such method; against 1.1 without it, the
    // trait's default would answer UNAVAILABLE.
    #[cfg(not(audio_sdk_1_0))]
    fn peak(&self) -> Result<f32, Status> {
        Ok(self.peak.get())
    }
}

// A Gain's objects have one part, the audio::Gain, which is an Effect too.
chitin::implement!(Gain: audio::Gain);

/// The exports.
struct Plugin;

impl audio::Implementation for Plugin {
    fn effects() -> Result<chitin::Vec<RawString>, Status> {
        Ok(chitin::Vec::from(vec![
            chitin::String::from("gain").into_raw()
        ]))
    }

    fn create_effect(
        name: &str,
        log: Callback<'_, LogFn>,
    ) -> Result<RawResult<*mut Effect, Error>, Status> {
        if name != "gain" {
            // `log` drops here, released: this plugin owned it
            // (doc/abi.md 4, rule 3)
            let text = format!("no effect '{}' here, only 'gain'", name);
            return Ok(fail(audio::ERR_UNKNOWN_EFFECT, &text));
        }
        // The effect owns the log it is given (LogFn's contract), so the
        // host passes an owned one, kept until the effect is released; a
        // borrowed one would last only for this call.
        let log = log.into_owned().map_err(|_| Status::INVALID_ARG)?;
        let gain: chitin::Ref<audio::Gain> = chitin::Ref::new(Gain {
            log,
            level_db: Cell::new(0.0),
            factor: Cell::new(1.0),
            ceiling: Cell::new(0.0),
            peak: Cell::new(0.0),
        });
        // The same object as an Effect: a reference of its own, handed on.
        let effect = gain.query::<Effect>().ok_or(Status::FAILED)?;
        Ok(RawResult::from(Ok(effect.into_raw())))
    }
}

chitin::export_module!(audio, Plugin);
