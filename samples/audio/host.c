/* host.c: a host of the audio SDK, in C.  For each plugin named on the
 * command line it loads the library with libchitin's loader, which checks
 * the plugin's descriptor against the host's own, then makes each effect
 * the plugin offers, sets it up, sends it events, has it process a block
 * and releases everything, printing each step.
 *
 * Built against either version of the SDK: the parts that use what 1.1
 * added are under #if AUDIO_VERSION_MINOR >= 1, the version of the
 * audio.h it is built with.  By hand, from samples/audio, against 1.1
 * (audio.h includes dsp.h, so both modules are generated), with the
 * libchitin that pkg-config finds, and an rpath to it:
 *
 *   $ chitin gen -o gen sdk-1.1/audio.idl dsp/common.idl
 *   $ cc -std=c11 -Wall -Wextra -Igen -o host host.c gen/audio_desc.c \
 *       $(pkg-config --cflags --libs chitin) -Wl,-rpath,"$(pkg-config --variable=libdir chitin)"
 *
 * README.md ("Building by hand") has the plugins' commands too.
 *
 * usage: host PLUGIN...
 * Exit status: 0 when every plugin loaded and worked, 3 when one was
 * refused, 1 when a call failed. */
#include "audio.h"

#include <chitin/runtime.h>

#include <stdio.h>
#include <stdlib.h>

/* The log the host gives each effect: an owned callback (its release is
 * not NULL), which the effect calls and, once done, releases. */
struct log {
	int released;    /* how many times the effect released it */
};

static chitin_status CHITIN_CALL
log_call(void *ctx, audio_Level level, chitin_str message)
{
	static const char *const levels[] = { "debug", "info", "warning", "error" };
	(void)ctx;
	printf("  log %s: %.*s\n", level < 4 ? levels[level] : "?", (int)message.len,
	       (const char *)message.ptr);
	return CHITIN_OK;
}

static void CHITIN_CALL
log_release(void *ctx)
{
	((struct log *)ctx)->released++;
}

/* Prints what a result's error arm holds, and releases its message: the
 * caller owns what a call returns (doc/abi.md 4, rule 2). */
static void
print_error(const char *what, audio_Error *err)
{
	printf("  %s: error %d: %.*s\n", what, (int)err->code, (int)err->message.len,
	       (const char *)err->message.ptr);
	chitin_string_release(&err->message);
}

static void
print_frames(const dsp_Frame *frames, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		printf(" %.2f", (double)frames[i].left);
}

/* Says what event it sends, and sends it. */
static void
send(audio_Effect *effect, audio_Event event, const char *what)
{
	chitin_status status;
	printf("  event %s\n", what);
	status = audio_Effect_handle(effect, event);
	if (status != CHITIN_OK)
		printf("  event %s: %s\n", what, chitin_status_text(status));
}

/* Drives one effect through a session; returns 0, or 1 if a call failed. */
static int
run_effect(audio_Effect *effect, uint16_t plugin_minor)
{
	chitin_result_void_audio_Error result;
	audio_Event event;
	audio_Gain *gain;
	void *storage;
	audio_Settings *settings;
	/* a block of frames, the same in both channels */
	static const dsp_Frame input[] = { { 1.0f, 1.0f }, { 0.5f, 0.5f }, { -0.5f, -0.5f }, { -1.0f, -1.0f } };
	dsp_Frame output[4];
	chitin_slice_const_dsp_Frame in = { input, 4 };
	chitin_slice_dsp_Frame out = { output, 4 };
	float value;
	chitin_status status;
	int failed = 0;

	/* Settings is resilient: the host allocates a value as its own version
	 * of the SDK lays it out, and sets it through the accessors. */
	storage = chitin_resilient_alloc(audio_Settings_layout());
	if (!storage)
		return 1;
	settings = audio_Settings_init(storage);
	*audio_Settings_sample_rate(settings) = 48000;
	*audio_Settings_max_block(settings) = 256;
#if AUDIO_VERSION_MINOR >= 1
	audio_Settings_ceiling(settings)->tag = CHITIN_OPTION_SOME;
	audio_Settings_ceiling(settings)->value = 0.4f;
	printf("  configure: 48000 Hz, blocks of up to 256, ceiling 0.40\n");
#else
	printf("  configure: 48000 Hz, blocks of up to 256\n");
#endif
	status = audio_Effect_configure(effect, settings, &result);
	chitin_free(storage);    /* the effect read it during the call only */
	if (status != CHITIN_OK) {
		printf("  configure: %s\n", chitin_status_text(status));
		return 1;
	}
	if (result.tag == CHITIN_RESULT_ERR) {
		print_error("configure", &result.u.err);
		return 1;
	}

	/* A gain's own methods are Gain's, which query finds if it is one;
	 * its parameter, the level, is set by an event like any other. */
	gain = audio_Gain_query(audio_Effect_as_object(effect));
	if (gain) {
		event.tag = audio_Event_ParamChanged;
		event.payload.ParamChanged.id = AUDIO_GAIN_LEVEL;
		event.payload.ParamChanged.value = -6.0f;
		send(effect, event, "level -6 dB");
	}
	event.tag = audio_Event_Note;
	event.payload.Note.key = 60;
	event.payload.Note.velocity = 100;
	send(effect, event, "note 60");
#if AUDIO_VERSION_MINOR >= 1
	/* A plugin of 1.0 does not know this variant: to it, an unknown tag */
	event.tag = audio_Event_Tempo;
	event.payload.Tempo.bpm = 120;
	send(effect, event, "tempo 120 bpm");
#endif

	status = audio_Effect_process(effect, in, out, &result);
	if (status != CHITIN_OK) {
		printf("  process: %s\n", chitin_status_text(status));
		failed = 1;
	} else if (result.tag == CHITIN_RESULT_ERR) {
		print_error("process", &result.u.err);
		failed = 1;
	} else {
		printf("  process %zu frames:", in.len);
		print_frames(input, in.len);
		printf(" ->");
		print_frames(output, in.len);
		printf("\n");
	}

	/* An output too short: the effect says why, in an Error it hands over */
	out.len = 2;
	if (audio_Effect_process(effect, in, out, &result) == CHITIN_OK && result.tag == CHITIN_RESULT_ERR)
		print_error("process into 2 frames", &result.u.err);

	if (gain) {
		if (audio_Gain_level(gain, &value) == CHITIN_OK)
			printf("  level: %.1f dB\n", (double)value);
#if AUDIO_VERSION_MINOR >= 1
		/* [since(1.1)]: a 1.0 plugin's vtable ends before it */
		status = audio_Gain_peak(gain, &value);
		if (status == CHITIN_OK)
			printf("  peak: %.2f\n", (double)value);
		else
			printf("  peak: %s (the plugin is 1.%u)\n", chitin_status_text(status),
			       (unsigned)plugin_minor);
#else
		(void)plugin_minor;
#endif
		audio_Gain_release(gain);    /* query gave a reference of its own */
	}

	event.tag = audio_Event_Reset;
	send(effect, event, "reset");
	return failed;
}

/* Makes the effect `name` with a log of its own, which the plugin owns
 * from the call on and releases exactly once; NULL (and why, printed) if
 * the plugin makes no such effect. */
static audio_Effect *
create(const audio_exports *exports, chitin_str name, struct log *log)
{
	audio_LogFn fn = { log_call, log, log_release };
	chitin_result_audio_Effect_audio_Error made;
	chitin_status status = audio_exports_create_effect(exports, name, fn, &made);

	if (status != CHITIN_OK) {
		printf("  create_effect: %s\n", chitin_status_text(status));
		return NULL;
	}
	if (made.tag == CHITIN_RESULT_ERR) {
		print_error("create_effect", &made.u.err);
		return NULL;
	}
	return made.u.ok;
}

/* Loads one plugin and runs each of its effects; returns the exit status. */
static int
run_plugin(const char *path)
{
	const audio_exports *exports;
	const chitin_plugin *plugin;
	chitin_load_error *err;
	chitin_vec_string names;
	struct log log;
	audio_Effect *effect;
	chitin_string name;
	size_t i;
	int failed = 0;

	if (audio_load(path, 0, &exports, &plugin, &err) != CHITIN_OK) {
		char report[4096];
		chitin_load_error_format(err, report, sizeof report);
		printf("host %d.%d refuses %s:\n%s", AUDIO_VERSION_MAJOR, AUDIO_VERSION_MINOR, path,
		       report);    /* lines, each ended */
		chitin_load_error_free(err);
		return 3;
	}
	printf("host %d.%d loads %s: module %s %u.%u\n", AUDIO_VERSION_MAJOR, AUDIO_VERSION_MINOR, path,
	       chitin_plugin_module(plugin), (unsigned)chitin_plugin_major(plugin),
	       (unsigned)chitin_plugin_minor(plugin));

	if (audio_exports_effects(exports, &names) != CHITIN_OK) {
		printf("  effects: failed\n");
		return 1;
	}
	for (i = 0; i < names.len && !failed; i++) {
		log.released = 0;
		effect = create(exports, chitin_str_from(names.ptr[i].ptr, names.ptr[i].len), &log);
		if (!effect) {
			failed = 1;
			break;
		}
		if (audio_Effect_name(effect, &name) == CHITIN_OK) {
			printf("  effect '%.*s'\n", (int)name.len, (const char *)name.ptr);
			chitin_string_release(&name);
		}
		failed = run_effect(effect, chitin_plugin_minor(plugin));
		audio_Effect_release(effect);    /* the last reference: the effect goes */
		printf("  released the effect, which released its log %s\n",
		       log.released == 1 ? "once" : log.released ? "more than once" : "never");
		failed |= log.released != 1;
	}
	chitin_vec_string_release(&names);    /* each string, then the vector */

	/* An effect the plugin lacks: an error, with a message */
	log.released = 0;
	effect = create(exports, chitin_str_from_cstr("reverb"), &log);
	if (effect) {
		audio_Effect_release(effect);
		failed = 1;
	}
	failed |= log.released != 1;
	return failed;
}

int
main(int argc, char **argv)
{
	int i, status = 0, one;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PLUGIN...\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		one = run_plugin(argv[i]);
		if (one > status)
			status = one;
	}
	return status;
}
