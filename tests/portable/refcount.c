/* The program of tests/run-portable-runtime.sh, linked with a libchitin
 * built with the C11 <stdatomic.h> path of runtime/src/atomics.h
 * (CHITIN_ATOMICS_FORCE_C11, which it is compiled with too): reference
 * counts from one thread and from two at once, an object shared by two
 * threads destroyed exactly once and after both threads' writes, and
 * lm_load of the plugin named on the command line (tests/cgen/loader)
 * from two threads at once, which takes the loader's lock, with the
 * plugin's counter retained and released from both.  Prints "ok ..." or
 * "FAIL ..." for each check; exits 1 if any failed. */
#define LM_STATIC 1
#include "lm.h"

#include <chitin/runtime.h>

#include "atomics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if CHITIN_ATOMICS_IMPL != CHITIN_ATOMICS_C11
#error "compile with -DCHITIN_ATOMICS_FORCE_C11, as the library under test is"
#endif

#define ROUNDS 2000
#define ITERATIONS 200
#define STRESS 200000
#define LOADS 200

static int failures;

static void
expect(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

/* ---- one object, two threads, destroyed once ------------------------------ */

struct shared {
	chitin_refcount rc;
	uint32_t work[2];   /* each written by one thread only */
};

static pthread_mutex_t destroyed_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned destroyed[ROUNDS];
static unsigned saw_all_work[ROUNDS];

struct worker {
	struct shared *obj;
	unsigned round;
	unsigned slot;
};

static void
destroy(struct shared *obj, unsigned round)
{
	/* the acquire fence of the last release: the other thread's writes
	 * are visible here */
	unsigned complete = obj->work[0] == ITERATIONS && obj->work[1] == ITERATIONS;
	memset(obj, 0xdd, sizeof *obj);
	free(obj);
	pthread_mutex_lock(&destroyed_lock);
	destroyed[round]++;
	saw_all_work[round] += complete;
	pthread_mutex_unlock(&destroyed_lock);
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	unsigned i;
	for (i = 0; i < ITERATIONS; i++) {
		chitin_refcount_retain(&w->obj->rc);
		w->obj->work[w->slot]++;
		if (chitin_refcount_release(&w->obj->rc))
			destroy(w->obj, w->round);   /* never: this thread still holds one */
	}
	if (chitin_refcount_release(&w->obj->rc))
		destroy(w->obj, w->round);
	return NULL;
}

static void
destroyed_once(void)
{
	unsigned r, once = 0, complete = 0;
	for (r = 0; r < ROUNDS; r++) {
		struct shared *obj = malloc(sizeof *obj);
		struct worker w[2];
		pthread_t t[2];
		unsigned k;
		if (!obj)
			abort();
		memset(obj, 0, sizeof *obj);
		chitin_refcount_init(&obj->rc, 1);
		chitin_refcount_retain(&obj->rc);   /* one reference for each thread */
		for (k = 0; k < 2; k++) {
			w[k].obj = obj;
			w[k].round = r;
			w[k].slot = k;
			if (pthread_create(&t[k], NULL, work, &w[k]) != 0)
				abort();
		}
		for (k = 0; k < 2; k++)
			pthread_join(t[k], NULL);
		once += destroyed[r] == 1;
		complete += saw_all_work[r] == 1;
	}
	expect(once == ROUNDS, "an object released by two threads is destroyed exactly once");
	expect(complete == ROUNDS, "the destroyer sees both threads' writes");
}

/* ---- counts from two threads at once ------------------------------------------ */

static chitin_refcount stress_rc;

static void *
stress(void *arg)
{
	unsigned i, early = 0;
	(void)arg;
	for (i = 0; i < STRESS; i++)
		chitin_refcount_retain(&stress_rc);
	for (i = 0; i < STRESS; i++)
		early += chitin_refcount_release(&stress_rc);
	return early ? &stress_rc : NULL;
}

static void
two_threads_count(void)
{
	pthread_t t[2];
	void *early[2];
	unsigned k;
	chitin_refcount_init(&stress_rc, 1);
	for (k = 0; k < 2; k++)
		if (pthread_create(&t[k], NULL, stress, NULL) != 0)
			abort();
	for (k = 0; k < 2; k++)
		pthread_join(t[k], &early[k]);
	expect(!early[0] && !early[1], "no release before the last says it was the last");
	expect(chitin_refcount_get(&stress_rc) == 1, "two threads' retains and releases lose no count");
	expect(chitin_refcount_release(&stress_rc), "the last release is the last");
}

/* ---- the loader's lock, and an object of the plugin ---------------------------- */

static const char *plugin;
static lm_Counter *counter;

static void *
load(void *arg)
{
	const lm_exports **out = arg;
	unsigned i;
	for (i = 0; i < LOADS; i++) {
		const lm_exports *ex = NULL;
		if (lm_load(plugin, 1, &ex, NULL, NULL) != CHITIN_OK || (*out && ex != *out)) {
			*out = NULL;
			return out;
		}
		*out = ex;
	}
	return NULL;
}

static void *
share_counter(void *arg)
{
	unsigned i;
	(void)arg;
	for (i = 0; i < STRESS / 10; i++) {
		chitin_retain(lm_Counter_as_object(counter));
		chitin_release(lm_Counter_as_object(counter));
	}
	return NULL;
}

static void
loads(void)
{
	const lm_exports *ex[2] = { NULL, NULL };
	pthread_t t[2];
	void *failed[2];
	uint32_t n = 0;
	unsigned k;
	for (k = 0; k < 2; k++)
		if (pthread_create(&t[k], NULL, load, &ex[k]) != 0)
			abort();
	for (k = 0; k < 2; k++)
		pthread_join(t[k], &failed[k]);
	expect(!failed[0] && !failed[1] && ex[0] && ex[0] == ex[1],
	       "lm_load from two threads at once: the same exports each time");
	if (!ex[0])
		return;
	if (lm_exports_new_counter(ex[0], &counter) != CHITIN_OK || !counter) {
		expect(0, "new_counter");
		return;
	}
	for (k = 0; k < 2; k++)
		if (pthread_create(&t[k], NULL, share_counter, NULL) != 0)
			abort();
	for (k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	expect(lm_Counter_add(counter, 7, &n) == CHITIN_OK && n == 7,
	       "the plugin's counter outlives two threads' retains and releases");
	lm_Counter_release(counter);
}

int
main(int argc, char **argv)
{
	chitin_refcount rc;
	if (argc != 2) {
		fprintf(stderr, "usage: refcount PLUGIN\n");
		return 2;
	}
	plugin = argv[1];

	chitin_refcount_init(&rc, 1);
	chitin_refcount_retain(&rc);
	expect(chitin_refcount_get(&rc) == 2, "retain adds one");
	expect(!chitin_refcount_release(&rc), "a release that is not the last");
	expect(chitin_refcount_release(&rc) && chitin_refcount_get(&rc) == 0, "the last release");

	two_threads_count();
	destroyed_once();
	loads();
	return failures ? 1 : 0;
}
