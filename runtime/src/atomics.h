/* atomics.h: the few atomic operations libchitin needs, on a plain
 * uint32_t (the `value` of the public chitin_refcount, whose type is part
 * of the ABI, and the loader's lock flag).  Internal: not installed.
 *
 *   chitin_atomic_load_relaxed(p)          *p
 *   chitin_atomic_store_relaxed(p, v)      *p = v
 *   chitin_atomic_fetch_add_relaxed(p, v)  *p += v, the old value
 *   chitin_atomic_fetch_sub_release(p, v)  *p -= v, the old value
 *   chitin_atomic_fence_acquire()
 *   chitin_atomic_exchange_acquire(p, v)   *p = v, the old value
 *   chitin_atomic_store_release(p, v)      *p = v
 *
 * Why each ordering (doc/abi.md 5.4, "retain(self) adds one reference",
 * and doc/runtime.md 3):
 *   - retain is a relaxed increment: a new reference is only ever made
 *     from one the caller already holds, so the count cannot reach zero
 *     meanwhile and nothing else needs ordering with it;
 *   - release is a release decrement, so that every use of the object
 *     through the released reference happens before the decrement; the
 *     thread that takes the count to zero then issues an acquire fence,
 *     which synchronizes with every earlier release decrement, before it
 *     destroys the object;
 *   - the loader's spin lock takes the flag with an acquire exchange and
 *     drops it with a release store: what is done under the lock happens
 *     before the next holder's section;
 *   - init and get are relaxed: init runs before the object is shared,
 *     and get is only a snapshot for tests and assertions.
 *
 * One implementation, chosen here, in this order of preference:
 *   1. GCC and Clang (__GNUC__, or __clang__ outside MSVC mode): the
 *      __atomic builtins, which are defined on plain objects;
 *   2. MSVC (_MSC_VER, also clang-cl and clang --target=*-windows-msvc,
 *      which define it and not __GNUC__): the Interlocked intrinsics of
 *      <intrin.h>, which also work on plain objects of their size;
 *   3. any other C11 compiler with <stdatomic.h>: its generic functions
 *      on the plain uint32_t cast to _Atomic uint32_t.  C11 (6.2.5p27)
 *      lets an atomic type differ from the plain one in size,
 *      representation and alignment, so that cast is not strictly
 *      conforming; it is made only after checking at compile time that
 *      the two have the same size and alignment and that the atomic one
 *      is always lock-free (no hidden lock), as on every implementation
 *      we know of.  That is why it comes last.
 * CHITIN_ATOMICS_FORCE_C11 selects 3 whatever the compiler (for the
 * tests, tests/run-portable-runtime.sh).  CHITIN_ATOMICS_IMPL says which
 * one was chosen: CHITIN_ATOMICS_GNU, CHITIN_ATOMICS_MSVC or
 * CHITIN_ATOMICS_C11. */
#ifndef CHITIN_ATOMICS_H
#define CHITIN_ATOMICS_H

#include <stdint.h>

#define CHITIN_ATOMICS_GNU 1
#define CHITIN_ATOMICS_MSVC 2
#define CHITIN_ATOMICS_C11 3

#if defined(CHITIN_ATOMICS_FORCE_C11)
#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L || defined(__STDC_NO_ATOMICS__)
#error "CHITIN_ATOMICS_FORCE_C11: this compiler has no C11 <stdatomic.h>"
#endif
#define CHITIN_ATOMICS_IMPL CHITIN_ATOMICS_C11
#elif defined(__GNUC__)
#define CHITIN_ATOMICS_IMPL CHITIN_ATOMICS_GNU
#elif defined(_MSC_VER)
#define CHITIN_ATOMICS_IMPL CHITIN_ATOMICS_MSVC
#elif defined(__clang__)
#define CHITIN_ATOMICS_IMPL CHITIN_ATOMICS_GNU
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && !defined(__STDC_NO_ATOMICS__)
#define CHITIN_ATOMICS_IMPL CHITIN_ATOMICS_C11
#else
#error "libchitin needs atomic operations: GCC or Clang (__atomic builtins), MSVC (Interlocked intrinsics) or a C11 compiler with <stdatomic.h> (no __STDC_NO_ATOMICS__)"
#endif

#if CHITIN_ATOMICS_IMPL == CHITIN_ATOMICS_GNU

static inline uint32_t
chitin_atomic_load_relaxed(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void
chitin_atomic_store_relaxed(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline uint32_t
chitin_atomic_fetch_add_relaxed(uint32_t *p, uint32_t v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static inline uint32_t
chitin_atomic_fetch_sub_release(uint32_t *p, uint32_t v)
{
	return __atomic_fetch_sub(p, v, __ATOMIC_RELEASE);
}

static inline void
chitin_atomic_fence_acquire(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline uint32_t
chitin_atomic_exchange_acquire(uint32_t *p, uint32_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_ACQUIRE);
}

static inline void
chitin_atomic_store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

#elif CHITIN_ATOMICS_IMPL == CHITIN_ATOMICS_MSVC

/* The Interlocked intrinsics take a long, which is 32 bits on every
 * Windows target; MSVC does not optimize on type-based aliasing, and the
 * value is only ever touched through these functions.  Relaxed loads and
 * stores are volatile accesses: an aligned 32-bit access is single-copy
 * atomic on every MSVC target, and volatile is plain under /volatile:iso
 * (the default on ARM) and acquire or release under /volatile:ms (the
 * default on x86 and x64), either of which is at least relaxed.
 *
 * On x86 and x64 the plain Interlocked functions are full barriers in the
 * processor, so they serve for relaxed, release and acquire alike, and the
 * acquire fence need only stop the compiler (_ReadWriteBarrier): these
 * processors never move a load or a store ahead of an earlier load, and
 * nothing at all across the locked instruction of the decrement the
 * fence follows.  On ARM and ARM64 (ARM64EC too, which is ARM64 code)
 * the _nf (no fence), _rel and _acq variants give exactly the ordering
 * asked for, and the acquire fence is a dmb. */
#include <intrin.h>

_Static_assert(sizeof(long) == sizeof(uint32_t), "the Interlocked functions' long is 32 bits");

#if defined(_M_ARM) || defined(_M_ARM64) || defined(_M_ARM64EC)
#define CHITIN_INTERLOCKED_NF_(f) f##_nf
#define CHITIN_INTERLOCKED_ACQ_(f) f##_acq
#define CHITIN_INTERLOCKED_REL_(f) f##_rel
#if defined(_M_ARM)
#define CHITIN_FENCE_ACQUIRE_() __dmb(_ARM_BARRIER_ISH)
#else
#define CHITIN_FENCE_ACQUIRE_() __dmb(_ARM64_BARRIER_ISHLD)   /* dmb ishld */
#endif
#elif defined(_M_IX86) || defined(_M_X64)
#define CHITIN_INTERLOCKED_NF_(f) f
#define CHITIN_INTERLOCKED_ACQ_(f) f
#define CHITIN_INTERLOCKED_REL_(f) f
#define CHITIN_FENCE_ACQUIRE_() _ReadWriteBarrier()
#else
#error "libchitin's MSVC atomics know x86, x64, ARM and ARM64 only"
#endif

static inline uint32_t
chitin_atomic_load_relaxed(const uint32_t *p)
{
	return *(const volatile uint32_t *)p;
}

static inline void
chitin_atomic_store_relaxed(uint32_t *p, uint32_t v)
{
	*(volatile uint32_t *)p = v;
}

static inline uint32_t
chitin_atomic_fetch_add_relaxed(uint32_t *p, uint32_t v)
{
	return (uint32_t)CHITIN_INTERLOCKED_NF_(_InterlockedExchangeAdd)((volatile long *)p, (long)v);
}

static inline uint32_t
chitin_atomic_fetch_sub_release(uint32_t *p, uint32_t v)
{
	/* adding 2^32 - v, which wraps as MSVC converts to long */
	return (uint32_t)CHITIN_INTERLOCKED_REL_(_InterlockedExchangeAdd)((volatile long *)p,
									  (long)(0u - v));
}

static inline void
chitin_atomic_fence_acquire(void)
{
	CHITIN_FENCE_ACQUIRE_();
}

static inline uint32_t
chitin_atomic_exchange_acquire(uint32_t *p, uint32_t v)
{
	return (uint32_t)CHITIN_INTERLOCKED_ACQ_(_InterlockedExchange)((volatile long *)p, (long)v);
}

static inline void
chitin_atomic_store_release(uint32_t *p, uint32_t v)
{
	/* an exchange whose old value is dropped: release on ARM, a full
	 * barrier on x86 and x64 */
	(void)CHITIN_INTERLOCKED_REL_(_InterlockedExchange)((volatile long *)p, (long)v);
}

#undef CHITIN_INTERLOCKED_NF_
#undef CHITIN_INTERLOCKED_ACQ_
#undef CHITIN_INTERLOCKED_REL_
#undef CHITIN_FENCE_ACQUIRE_

#elif CHITIN_ATOMICS_IMPL == CHITIN_ATOMICS_C11

/* See the top of this file: the casts below are sound only where
 * _Atomic uint32_t is uint32_t with atomic operations, which these
 * checks make sure of (or stop the build). */
#include <limits.h>
#include <stdatomic.h>

#if UINT32_MAX == UINT_MAX
#define CHITIN_ATOMIC_U32_LOCK_FREE_ ATOMIC_INT_LOCK_FREE
#else
#define CHITIN_ATOMIC_U32_LOCK_FREE_ ATOMIC_LONG_LOCK_FREE
#endif
#if CHITIN_ATOMIC_U32_LOCK_FREE_ != 2
#error "libchitin's C11 atomics need a 32-bit atomic that is always lock-free"
#endif
#undef CHITIN_ATOMIC_U32_LOCK_FREE_
_Static_assert(sizeof(_Atomic uint32_t) == sizeof(uint32_t) &&
		       _Alignof(_Atomic uint32_t) == _Alignof(uint32_t),
	       "libchitin's C11 atomics need _Atomic uint32_t laid out as uint32_t");

static inline uint32_t
chitin_atomic_load_relaxed(const uint32_t *p)
{
	return atomic_load_explicit((const _Atomic uint32_t *)p, memory_order_relaxed);
}

static inline void
chitin_atomic_store_relaxed(uint32_t *p, uint32_t v)
{
	atomic_store_explicit((_Atomic uint32_t *)p, v, memory_order_relaxed);
}

static inline uint32_t
chitin_atomic_fetch_add_relaxed(uint32_t *p, uint32_t v)
{
	return atomic_fetch_add_explicit((_Atomic uint32_t *)p, v, memory_order_relaxed);
}

static inline uint32_t
chitin_atomic_fetch_sub_release(uint32_t *p, uint32_t v)
{
	return atomic_fetch_sub_explicit((_Atomic uint32_t *)p, v, memory_order_release);
}

static inline void
chitin_atomic_fence_acquire(void)
{
	atomic_thread_fence(memory_order_acquire);
}

static inline uint32_t
chitin_atomic_exchange_acquire(uint32_t *p, uint32_t v)
{
	return atomic_exchange_explicit((_Atomic uint32_t *)p, v, memory_order_acquire);
}

static inline void
chitin_atomic_store_release(uint32_t *p, uint32_t v)
{
	atomic_store_explicit((_Atomic uint32_t *)p, v, memory_order_release);
}

#endif

#endif
