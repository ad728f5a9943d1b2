/* gain.cc: the gain plugin of the audio SDK written in C++, doing what
 * gain.c does, with a class.  The generated header is C that is also
 * C++11, and so is the descriptor source, which a C++ plugin compiles as
 * C++ like the rest of its code (doc/runtime.md 8).  By hand, from
 * samples/audio, against 1.1 (README.md, "Building by hand"):
 *
 *   $ chitin gen -o gen sdk-1.1/audio.idl dsp/common.idl
 *   $ c++ -std=c++11 -Wall -Wextra -fPIC -shared -fvisibility=hidden -DAUDIO_IMPLEMENTATION -Igen \
 *       -o libgain-cc.so gain.cc -x c++ gen/audio_desc.c $(pkg-config --cflags --libs chitin)
 *
 * Built against either version of the SDK: what 1.1 added is under
 * #if AUDIO_VERSION_MINOR >= 1, the version of the audio.h it is built with. */
#include "audio.h"

#include <chitin/runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace {

// An error of the SDK, thrown inside the plugin and handed to the host as
// a result's error arm (an audio_Error) by the function it was thrown in.
struct SdkError {
	int32_t code;
	std::string message;
};

// The object.  Its one part, the audio_Gain, is its first member: a
// reference to the object points there, and the struct is standard-layout,
// so the part's address is the object's (the static_assert below).
struct Gain {
	audio_Gain part;
	chitin_refcount refs;
	audio_LogFn log;    // owned: create_effect was given it
	float level_db = 0;
	float factor = 1;   // the level as a factor: 10^(level_db / 20)
	float ceiling = 0;  // the loudest sample written; 0: no limit
	float peak = 0;

	explicit Gain(audio_LogFn given);
	~Gain() { audio_LogFn_release(&log); }    // the log is the host's: handed back once
	Gain(const Gain &) = delete;
	Gain &operator=(const Gain &) = delete;

	static Gain *of(void *self) { return static_cast<Gain *>(self); }

	void configure(const audio_Settings *settings);
	void handle(const audio_Event &event);
	void process(chitin_slice_const_dsp_Frame input, chitin_slice_dsp_Frame output);
	void say(audio_Level level, const char *format, ...)
#ifdef __GNUC__
		__attribute__((format(printf, 3, 4)))
#endif
		;
};

static_assert(std::is_standard_layout<Gain>::value && offsetof(Gain, part) == 0,
	      "a reference to the object is a pointer to the Gain");

void
Gain::say(audio_Level level, const char *format, ...)
{
	char text[160];
	va_list args;
	va_start(args, format);
	std::vsnprintf(text, sizeof text, format, args);
	va_end(args);
	audio_LogFn_call(&log, level, chitin_str_from_cstr(text));
}

void
Gain::configure(const audio_Settings *settings)
{
	// Settings is resilient: its fields are read through accessors, which
	// find them in whichever version made the value.
	uint32_t rate = *audio_Settings_sample_rate_const(settings);
	uint32_t block = *audio_Settings_max_block_const(settings);
	std::string limit = "no ceiling";

	if (rate == 0 || block == 0 || block > AUDIO_MAX_BLOCK)
		throw SdkError{ AUDIO_ERR_BAD_SETTINGS, "gain: no sample rate, or blocks of 0 or over MAX_BLOCK" };
	ceiling = 0;
#if AUDIO_VERSION_MINOR >= 1
	// nullptr when a 1.0 host made the settings: they have no ceiling
	const chitin_option_f32 *c = audio_Settings_ceiling_const(settings);
	char text[40];
	if (!c) {
		limit = "no ceiling (1.0 settings)";
	} else if (c->tag == CHITIN_OPTION_SOME && c->value > 0) {
		ceiling = c->value;
		std::snprintf(text, sizeof text, "ceiling %.2f", static_cast<double>(c->value));
		limit = text;
	}
#endif
	say(audio_Level_Info, "gain: %u Hz, blocks of up to %u frames, %s", static_cast<unsigned>(rate),
	    static_cast<unsigned>(block), limit.c_str());
}

void
Gain::handle(const audio_Event &event)
{
	switch (event.tag) {
	case audio_Event_ParamChanged:
		if (event.payload.ParamChanged.id != AUDIO_GAIN_LEVEL)
			throw std::invalid_argument("no such parameter");
		level_db = event.payload.ParamChanged.value;
		factor = std::pow(10.0f, level_db / 20.0f);
		say(audio_Level_Info, "gain: level %.1f dB", static_cast<double>(level_db));
		break;
	case audio_Event_Note:
		break;    // a gain plays no notes
	case audio_Event_Reset:
		peak = 0;
		break;
#if AUDIO_VERSION_MINOR >= 1
	case audio_Event_Tempo:
		say(audio_Level_Debug, "gain: tempo %.0f bpm, which a gain ignores",
		    static_cast<double>(event.payload.Tempo.bpm));
		break;
#endif
	default:
		// Enums are open (doc/abi.md 2.14): a newer host may send a
		// variant this plugin's SDK does not have, to be ignored.
		say(audio_Level_Warning, "gain: event %u is newer than SDK %d.%d: ignored",
		    static_cast<unsigned>(event.tag), AUDIO_VERSION_MAJOR, AUDIO_VERSION_MINOR);
		break;
	}
}

void
Gain::process(chitin_slice_const_dsp_Frame input, chitin_slice_dsp_Frame output)
{
	if (output.len < input.len) {
		char text[80];
		std::snprintf(text, sizeof text, "gain: %zu frames in, room for %zu out", input.len, output.len);
		throw SdkError{ AUDIO_ERR_SHORT_OUTPUT, text };
	}
	auto apply = [this](float sample) {
		float out = sample * factor;
		if (ceiling > 0)
			out = std::max(-ceiling, std::min(ceiling, out));
		peak = std::max(peak, std::fabs(out));
		return out;
	};
	for (size_t i = 0; i < input.len; i++) {
		output.ptr[i].left = apply(input.ptr[i].left);
		output.ptr[i].right = apply(input.ptr[i].right);
	}
}

// ---- the boundary ----------------------------------------------------------------
// No exception may cross into the host (doc/abi.md 3.4): every function the
// host calls runs its body in guard(), which turns one into a status, and
// those with a result turn an SdkError into the result's error arm.

template <typename Body>
chitin_status
guard(Body body) noexcept
{
	try {
		body();
		return CHITIN_OK;
	} catch (const std::bad_alloc &) {
		return CHITIN_NO_MEMORY;
	} catch (const std::invalid_argument &) {
		return CHITIN_INVALID_ARG;
	} catch (...) {
		return CHITIN_PANIC;
	}
}

// Runs body, which sets the ok arm of *ret; an SdkError sets the error arm,
// with a message the caller owns.
template <typename Result, typename Body>
chitin_status
with_result(Result *ret, Body body) noexcept
{
	return guard([&] {
		try {
			body();
			ret->tag = CHITIN_RESULT_OK;
		} catch (const SdkError &e) {
			ret->tag = CHITIN_RESULT_ERR;
			ret->u.err.code = e.code;
			if (chitin_string_from(e.message.data(), e.message.size(), &ret->u.err.message) != CHITIN_OK)
				throw std::bad_alloc();
		}
	});
}

// The slots have the C function types of the header's vtable, so they are
// functions with C language linkage; templates cannot be, so they are above.
extern "C" {

// What query answers: Gain, its base Effect (the same part) and, from the
// first row, object.
static const chitin_query_entry gain_parts[] = {
	{ audio_Gain_IID, offsetof(Gain, part) },
	{ audio_Effect_IID, offsetof(Gain, part) },
};

static chitin_object *CHITIN_CALL
gain_query(chitin_object *self, const chitin_typeid *iid)
{
	return chitin_query_table(self, iid, gain_parts, 2);
}

static void CHITIN_CALL
gain_retain(chitin_object *self)
{
	chitin_refcount_retain(&Gain::of(self)->refs);
}

static void CHITIN_CALL
gain_release(chitin_object *self)
{
	Gain *g = Gain::of(self);
	if (chitin_refcount_release(&g->refs))
		delete g;
}

static chitin_status CHITIN_CALL
gain_name(audio_Effect *, chitin_string *ret)
{
	return chitin_string_from_cstr("gain", ret);
}

static chitin_status CHITIN_CALL
gain_configure(audio_Effect *self, const audio_Settings *settings, chitin_result_void_audio_Error *ret)
{
	return with_result(ret, [&] { Gain::of(self)->configure(settings); });
}

static chitin_status CHITIN_CALL
gain_handle(audio_Effect *self, audio_Event event)
{
	return guard([&] { Gain::of(self)->handle(event); });
}

static chitin_status CHITIN_CALL
gain_process(audio_Effect *self, chitin_slice_const_dsp_Frame input, chitin_slice_dsp_Frame output,
	     chitin_result_void_audio_Error *ret)
{
	return with_result(ret, [&] { Gain::of(self)->process(input, output); });
}

static chitin_status CHITIN_CALL
gain_level(audio_Gain *self, float *ret)
{
	*ret = Gain::of(self)->level_db;
	return CHITIN_OK;
}

#if AUDIO_VERSION_MINOR >= 1
static chitin_status CHITIN_CALL
gain_peak(audio_Gain *self, float *ret)
{
	*ret = Gain::of(self)->peak;
	return CHITIN_OK;
}
#endif

}    // extern "C"

// The vtable: the header, then Effect's slots, then Gain's; built against
// 1.0, it ends before peak, and its size says so.
const audio_Gain_vtbl gain_vtbl = {
	CHITIN_VTABLE_HEADER(audio_Gain, gain_query, gain_retain, gain_release),
	gain_name,
	gain_configure,
	gain_handle,
	gain_process,
	gain_level,
#if AUDIO_VERSION_MINOR >= 1
	gain_peak,
#endif
};

Gain::Gain(audio_LogFn given) : part{ &gain_vtbl }, log(given)
{
	chitin_refcount_init(&refs, 1);    // the reference handed back
}

}    // namespace

// ---- the exports: declared extern "C" by audio.h ----------------------------------

AUDIO_API chitin_status CHITIN_CALL
audio_effects(chitin_vec_string *ret)
{
	chitin_status status = chitin_vec_string_make(1, ret);
	if (status != CHITIN_OK)
		return status;
	status = chitin_string_from_cstr("gain", &ret->ptr[0]);
	if (status != CHITIN_OK) {
		chitin_vec_string_release(ret);
		return status;
	}
	ret->len = 1;
	return CHITIN_OK;
}

AUDIO_API chitin_status CHITIN_CALL
audio_create_effect(chitin_str name, audio_LogFn log, chitin_result_audio_Effect_audio_Error *ret)
{
	// log is this plugin's from now on, whatever it answers (doc/abi.md 4,
	// rule 3): the Gain keeps it, or it is released here.
	return with_result(ret, [&] {
		if (name.len != 4 || std::memcmp(name.ptr, "gain", 4) != 0) {
			char text[80];
			audio_LogFn_release(&log);
			std::snprintf(text, sizeof text, "no effect '%.*s' here, only 'gain'", static_cast<int>(name.len),
				      reinterpret_cast<const char *>(name.ptr));
			throw SdkError{ AUDIO_ERR_UNKNOWN_EFFECT, text };
		}
		Gain *g = new (std::nothrow) Gain(log);
		if (!g) {
			audio_LogFn_release(&log);
			throw std::bad_alloc();
		}
		ret->u.ok = audio_Gain_as_Effect(&g->part);
	});
}
