// The Rust host of run-resilient.sh: built against one version of rs (the
// generated rs.rs beside it; `--cfg has_latency` for 1.1) and linked with
// the C plugin built against the other, it passes values both ways, as
// host.c does: each side keeps its own layout record and reads the other's
// values through theirs (doc/abi.md 2.18).  Then the generated accessors
// meet hand-made values whose records are wrong.

#[allow(dead_code)]
mod rs;

use chitin::raw::LayoutRecord;
use chitin::{LayoutRecordOf, Resilient};
use core::mem::{align_of, size_of};
use rs::{Settings, SettingsFields, SettingsRef};

extern "C" {
    fn plugin_layout() -> *const LayoutRecord;
    fn plugin_own_size() -> i32;
    fn plugin_make() -> *mut Settings;
    fn plugin_read(
        v: *const Settings,
        rate: *mut u32,
        channels: *mut u16,
        latency: *mut i32,
    ) -> i32;
    fn plugin_set_rate(v: *mut Settings, rate: u32) -> i32;
}

#[cfg(has_latency)]
const OWN_FIELDS: u32 = 3;
#[cfg(not(has_latency))]
const OWN_FIELDS: u32 = 2;

struct Report {
    failures: u32,
}

impl Report {
    fn expect(&mut self, ok: bool, what: &str) {
        println!("{} {}", if ok { "ok" } else { "FAIL" }, what);
        if !ok {
            self.failures += 1;
        }
    }
}

/// A value laid out by hand, for a record chosen by the test.
#[repr(C)]
struct Fake {
    record: *const LayoutRecord,
    words: [u64; 4],
}

fn fake_reads(r: &mut Report) {
    const P: u32 = size_of::<*const LayoutRecord>() as u32;
    static SHORT: LayoutRecordOf<1> = LayoutRecordOf::new(P as usize + 4, 8, [P]);
    static PAST_END: LayoutRecordOf<2> = LayoutRecordOf::new(P as usize + 4, 8, [P, P + 4]);
    static MISALIGNED: LayoutRecordOf<2> = LayoutRecordOf::new(P as usize + 16, 8, [P, P + 5]);
    static OVER_RECORD: LayoutRecordOf<2> = LayoutRecordOf::new(P as usize + 16, 8, [0, P + 4]);
    let mut fake = Fake {
        record: SHORT.as_ptr(),
        words: [0x0000_1111_0000_2222, 0, 0, 0],
    };
    let view = |f: &Fake| unsafe { Settings::view(f as *const Fake as *const Settings) }.unwrap();
    let v = view(&fake);
    r.expect(
        v.rate().is_some() && v.channels().is_none(),
        "a record of one field: the second is absent",
    );
    fake.record = PAST_END.as_ptr();
    r.expect(
        view(&fake).channels().is_none(),
        "a field past the record's size is absent",
    );
    fake.record = MISALIGNED.as_ptr();
    r.expect(
        view(&fake).channels().is_none(),
        "a misaligned field is absent",
    );
    fake.record = OVER_RECORD.as_ptr();
    r.expect(
        view(&fake).rate().is_none(),
        "a field over the record pointer is absent",
    );
    fake.record = core::ptr::null();
    let v = view(&fake);
    r.expect(
        v.rate().is_none() && v.channels().is_none(),
        "a null record places nothing",
    );
    r.expect(
        unsafe { Settings::view(core::ptr::null()) }.is_none()
            && unsafe { Settings::view_mut(core::ptr::null_mut()) }.is_none(),
        "a null value has no view",
    );
    let mut m = unsafe { Settings::view_mut(&mut fake as *mut Fake as *mut Settings) }.unwrap();
    r.expect(m.rate().is_none(), "a null record: nothing to write");
}

fn main() {
    let mut r = Report { failures: 0 };
    rs::check_layout();

    let own = Settings::layout();
    r.expect(
        own.size as usize == size_of::<SettingsFields>()
            && own.align as usize == align_of::<SettingsFields>()
            && own.field_count == OWN_FIELDS,
        "the host's record describes the host's version",
    );
    let mut mine = SettingsFields::new();
    mine.rate = 48000;
    mine.channels = 2;
    #[cfg(has_latency)]
    {
        mine.latency = 0x0102_0304_0506_0708;
    }
    r.expect(
        mine.record() == Settings::record(),
        "a value points at its maker's record",
    );
    let v = unsafe { Settings::view(mine.as_ptr()) }.unwrap();
    r.expect(
        v.rate() == Some(&48000) && v.channels() == Some(&2),
        "the host reads its own value",
    );

    let theirs_record = unsafe { plugin_layout() };
    r.expect(
        theirs_record != Settings::record(),
        "the plugin keeps its own record, not the host's",
    );
    r.expect(
        unsafe { plugin_own_size() } == 1,
        "the plugin's record describes the plugin's version",
    );

    // The host's value, read and written by the plugin.
    let (mut rate, mut channels, mut latency) = (0u32, 0u16, 0i32);
    let read = unsafe { plugin_read(mine.as_ptr(), &mut rate, &mut channels, &mut latency) };
    r.expect(
        read == 1 && rate == 48000 && channels == 2,
        "the plugin reads the host's value",
    );
    #[cfg(has_latency)]
    r.expect(latency == -1, "the plugin's version has no latency");
    #[cfg(not(has_latency))]
    r.expect(latency == 0, "latency is absent from the host's value");
    r.expect(
        unsafe { plugin_set_rate(mine.as_mut_ptr(), 96000) } == 1 && mine.rate == 96000,
        "the plugin writes the host's value",
    );
    #[cfg(has_latency)]
    r.expect(
        mine.latency == 0x0102_0304_0506_0708,
        "the plugin leaves a field its version lacks alone",
    );

    // The plugin's value, read and written by the host.
    let theirs = unsafe { plugin_make() };
    let t = unsafe { Settings::view(theirs) }.unwrap();
    r.expect(
        t.0.record() == theirs_record,
        "the plugin's value points at its record",
    );
    r.expect(
        t.rate() == Some(&44100) && t.channels() == Some(&6),
        "the host reads the plugin's value",
    );
    #[cfg(has_latency)]
    r.expect(
        t.latency().is_none(),
        "latency is absent from the plugin's value",
    );
    let mut m = unsafe { Settings::view_mut(theirs) }.unwrap();
    if let Some(rate) = m.rate() {
        *rate = 8000;
    }
    #[cfg(has_latency)]
    r.expect(
        m.latency().is_none(),
        "a field the maker lacks cannot be written",
    );
    r.expect(
        SettingsRef::from(&m).rate() == Some(&8000) && SettingsRef::from(&m).channels() == Some(&6),
        "the host writes the plugin's value",
    );
    #[cfg(has_latency)]
    {
        let read = unsafe { plugin_read(theirs, &mut rate, &mut channels, &mut latency) };
        r.expect(
            read == 1 && rate == 8000,
            "the plugin reads what the host wrote",
        );
    }

    fake_reads(&mut r);
    std::process::exit(if r.failures == 0 { 0 } else { 1 });
}
