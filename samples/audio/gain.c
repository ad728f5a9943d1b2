/* gain.c: a plugin of the audio SDK written in C, which makes one effect,
 * "gain" (interface audio_Gain, derived from audio_Effect).
 *
 * Built against either version of the SDK: the code for what 1.1 added
 * (the settings' ceiling, the Tempo event, peak) is under
 * #if AUDIO_VERSION_MINOR >= 1, the version of the audio.h it is built
 * with, since 1.0's audio.h lacks its names.  By hand, from
 * samples/audio, against 1.1 (README.md, "Building by hand"):
 *
 *   $ chitin gen -o gen sdk-1.1/audio.idl dsp/common.idl
 *   $ cc -std=c11 -Wall -Wextra -fPIC -shared -fvisibility=hidden -DAUDIO_IMPLEMENTATION -Igen \
 *       -o libgain.so gain.c gen/audio_desc.c $(pkg-config --cflags --libs chitin) -lm
 *
 * AUDIO_IMPLEMENTATION makes audio_desc.c define the exports table and the
 * entry symbol chitin_module_audio, which the host's loader looks for
 * (doc/runtime.md 5). */
#include "audio.h"

#include <chitin/runtime.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The object.  Its one part, the audio_Gain, comes first, so that a
 * reference to the object (which points at the part's vtable pointer) is
 * also a pointer to the struct; an audio_Gain is an audio_Effect too,
 * since Effect's slots start Gain's vtable (doc/abi.md 5.3). */
struct gain {
	audio_Gain part;
	chitin_refcount refs;
	audio_LogFn log;     /* owned: create_effect was given it */
	float level_db;
	float factor;        /* the level as a factor: 10^(level_db / 20) */
	float ceiling;       /* the loudest sample written; 0: no limit */
	float peak;
};

static struct gain *
gain_of(void *self)
{
	return (struct gain *)self;
}

/* Sends a message to the host's log, formatted as printf does. */
#ifdef __GNUC__
__attribute__((format(printf, 3, 4)))
#endif
static void
say(struct gain *g, audio_Level level, const char *format, ...)
{
	char text[160];
	va_list args;
	va_start(args, format);
	vsnprintf(text, sizeof text, format, args);
	va_end(args);
	audio_LogFn_call(&g->log, level, chitin_str_from_cstr(text));
}

/* Makes *ret the error arm of a result: the status is still CHITIN_OK, as
 * the call itself worked.  The message is a string the caller releases. */
static chitin_status
fail(chitin_result_void_audio_Error *ret, int32_t code, const char *message)
{
	ret->tag = CHITIN_RESULT_ERR;
	ret->u.err.code = code;
	return chitin_string_from_cstr(message, &ret->u.err.message);
}

/* ---- the object functions: query, retain, release (doc/abi.md 5.4) ---- */

/* What query answers: Gain, its base Effect (the same part) and, from the
 * first row, object. */
static const chitin_query_entry gain_parts[] = {
	{ audio_Gain_IID, offsetof(struct gain, part) },
	{ audio_Effect_IID, offsetof(struct gain, part) },
};

static chitin_object *CHITIN_CALL
gain_query(chitin_object *self, const chitin_typeid *iid)
{
	return chitin_query_table(self, iid, gain_parts, 2);
}

static void CHITIN_CALL
gain_retain(chitin_object *self)
{
	chitin_refcount_retain(&gain_of(self)->refs);
}

static void CHITIN_CALL
gain_release(chitin_object *self)
{
	struct gain *g = gain_of(self);
	if (chitin_refcount_release(&g->refs)) {
		audio_LogFn_release(&g->log);    /* the log is the host's: handed back once */
		free(g);
	}
}

/* ---- audio_Effect's methods ------------------------------------------------ */

static chitin_status CHITIN_CALL
gain_name(audio_Effect *self, chitin_string *ret)
{
	(void)self;
	return chitin_string_from_cstr("gain", ret);
}

static chitin_status CHITIN_CALL
gain_configure(audio_Effect *self, const audio_Settings *settings, chitin_result_void_audio_Error *ret)
{
	struct gain *g = gain_of(self);
	/* Settings is resilient: its fields are read through accessors, which
	 * find them in whichever version made the value. */
	uint32_t rate = *audio_Settings_sample_rate_const(settings);
	uint32_t block = *audio_Settings_max_block_const(settings);
	char ceiling[40] = "no ceiling";

	if (rate == 0 || block == 0 || block > AUDIO_MAX_BLOCK)
		return fail(ret, AUDIO_ERR_BAD_SETTINGS, "gain: no sample rate, or blocks of 0 or over MAX_BLOCK");
	g->ceiling = 0;
#if AUDIO_VERSION_MINOR >= 1
	{
		/* NULL when a 1.0 host made the settings: they have no ceiling */
		const chitin_option_f32 *c = audio_Settings_ceiling_const(settings);
		if (!c)
			snprintf(ceiling, sizeof ceiling, "no ceiling (1.0 settings)");
		else if (c->tag == CHITIN_OPTION_SOME && c->value > 0) {
			g->ceiling = c->value;
			snprintf(ceiling, sizeof ceiling, "ceiling %.2f", (double)c->value);
		}
	}
#endif
	say(g, audio_Level_Info, "gain: %u Hz, blocks of up to %u frames, %s", (unsigned)rate,
	    (unsigned)block, ceiling);
	ret->tag = CHITIN_RESULT_OK;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
gain_handle(audio_Effect *self, audio_Event event)
{
	struct gain *g = gain_of(self);
	switch (event.tag) {
	case audio_Event_ParamChanged:
		if (event.payload.ParamChanged.id != AUDIO_GAIN_LEVEL)
			return CHITIN_INVALID_ARG;
		g->level_db = event.payload.ParamChanged.value;
		g->factor = powf(10.0f, g->level_db / 20.0f);
		say(g, audio_Level_Info, "gain: level %.1f dB", (double)g->level_db);
		break;
	case audio_Event_Note:
		break;    /* a gain plays no notes */
	case audio_Event_Reset:
		g->peak = 0;
		break;
#if AUDIO_VERSION_MINOR >= 1
	case audio_Event_Tempo:
		say(g, audio_Level_Debug, "gain: tempo %.0f bpm, which a gain ignores",
		    (double)event.payload.Tempo.bpm);
		break;
#endif
	default:
		/* Enums are open (doc/abi.md 2.14): a newer host may send a
		 * variant this plugin's SDK does not have.  It is a valid value,
		 * to be ignored, not an error. */
		say(g, audio_Level_Warning, "gain: event %u is newer than SDK %d.%d: ignored",
		    (unsigned)event.tag, AUDIO_VERSION_MAJOR, AUDIO_VERSION_MINOR);
		break;
	}
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
gain_process(audio_Effect *self, chitin_slice_const_dsp_Frame input, chitin_slice_dsp_Frame output,
	     chitin_result_void_audio_Error *ret)
{
	struct gain *g = gain_of(self);
	size_t i;

	if (output.len < input.len) {
		char text[80];
		snprintf(text, sizeof text, "gain: %zu frames in, room for %zu out", input.len, output.len);
		return fail(ret, AUDIO_ERR_SHORT_OUTPUT, text);
	}
	for (i = 0; i < input.len; i++) {
		float left = input.ptr[i].left * g->factor;
		float right = input.ptr[i].right * g->factor;
		if (g->ceiling > 0) {
			left = fmaxf(-g->ceiling, fminf(g->ceiling, left));
			right = fmaxf(-g->ceiling, fminf(g->ceiling, right));
		}
		g->peak = fmaxf(g->peak, fmaxf(fabsf(left), fabsf(right)));
		output.ptr[i].left = left;
		output.ptr[i].right = right;
	}
	ret->tag = CHITIN_RESULT_OK;
	return CHITIN_OK;
}

/* ---- audio_Gain's own methods ---------------------------------------------- */

static chitin_status CHITIN_CALL
gain_level(audio_Gain *self, float *ret)
{
	*ret = gain_of(self)->level_db;
	return CHITIN_OK;
}

#if AUDIO_VERSION_MINOR >= 1
static chitin_status CHITIN_CALL
gain_peak(audio_Gain *self, float *ret)
{
	*ret = gain_of(self)->peak;
	return CHITIN_OK;
}
#endif

/* The vtable: the header, then Effect's slots, then Gain's.  Built against
 * 1.0, it ends before peak, and its size says so: a 1.1 host's
 * audio_Gain_peak then answers CHITIN_UNAVAILABLE without calling. */
static const audio_Gain_vtbl gain_vtbl = {
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

/* ---- the exports ----------------------------------------------------------- */

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
	struct gain *g;

	/* log is this plugin's from now on, whatever it answers (doc/abi.md 4,
	 * rule 3): kept by the effect, or released here. */
	if (name.len != 4 || memcmp(name.ptr, "gain", 4) != 0) {
		char text[80];
		audio_LogFn_release(&log);
		snprintf(text, sizeof text, "no effect '%.*s' here, only 'gain'", (int)name.len,
			 (const char *)name.ptr);
		ret->tag = CHITIN_RESULT_ERR;
		ret->u.err.code = AUDIO_ERR_UNKNOWN_EFFECT;
		return chitin_string_from_cstr(text, &ret->u.err.message);
	}
	g = (struct gain *)calloc(1, sizeof *g);
	if (!g) {
		audio_LogFn_release(&log);
		return CHITIN_NO_MEMORY;
	}
	g->part.vtbl = &gain_vtbl;
	chitin_refcount_init(&g->refs, 1);    /* the reference handed back */
	g->log = log;
	g->factor = 1;
	ret->tag = CHITIN_RESULT_OK;
	ret->u.ok = audio_Gain_as_Effect(&g->part);
	return CHITIN_OK;
}
