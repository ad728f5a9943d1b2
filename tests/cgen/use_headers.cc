// use_headers.cc: the headers of tests/golden/gen as C++11 sees them, compiled
// (not run) by tests/run-c-header.sh.  It includes them in the other order
// from use_headers.c, checks at compile time that every type is plain data
// (standard layout, trivially copyable: the ABI moves values by copying
// bytes), that the instantiations both headers define are one type, and
// implements and calls an interface the C++ way.
#include "other.h"
#include "corpus.h"
#include "shapes.h"

#include <cstring>
#include <type_traits>

namespace {

template <typename T>
constexpr bool
plain()
{
	return std::is_standard_layout<T>::value && std::is_trivially_copyable<T>::value &&
	       std::is_trivially_default_constructible<T>::value;
}

static_assert(plain<corpus_Scalars>(), "corpus_Scalars is plain data");
static_assert(plain<corpus_Record>(), "corpus_Record is plain data");
static_assert(plain<corpus_Vec4>(), "corpus_Vec4 is plain data");
static_assert(plain<corpus_Bits>(), "corpus_Bits is plain data");
static_assert(plain<corpus_Command>(), "corpus_Command is plain data");
static_assert(plain<corpus_Error>(), "corpus_Error is plain data");
static_assert(plain<corpus_Logger>(), "corpus_Logger is plain data");
static_assert(plain<corpus_Generics>(), "corpus_Generics is plain data");
static_assert(plain<corpus_Everything>(), "corpus_Everything is plain data");
static_assert(plain<corpus_Engine_vtbl>(), "corpus_Engine_vtbl is plain data");
static_assert(plain<corpus_exports>(), "corpus_exports is plain data");
static_assert(plain<shapes_Shape>(), "shapes_Shape is plain data");
static_assert(plain<other_Path>(), "other_Path is plain data");

// One type, whichever header defined it.
static_assert(std::is_same<decltype(other_Path::start), chitin_option_shapes_Point>::value,
	      "other.h and corpus.h share chitin_option_shapes_Point");
static_assert(std::is_same<decltype(other_Path::start),
			   decltype(corpus_Generics::maybe_point)>::value,
	      "option<shapes.Point> is one type");
static_assert(std::is_same<decltype(other_Path::placed),
			   decltype(corpus_Generics::placed)>::value,
	      "result<shapes.Point, shapes.Color> is one type");
static_assert(std::is_same<decltype(other_Path::maybe_view),
			   decltype(corpus_Generics::maybe_view)>::value,
	      "slice<const option<shapes.Point>> is one type");

// C-like enums are their integer type; constants keep theirs.
static_assert(std::is_same<corpus_Level, int8_t>::value, "Level is i8");
static_assert(std::is_same<corpus_Wide, uint64_t>::value, "Wide is u64");
static_assert(CORPUS_MIN_I64 == INT64_MIN, "i64 minimum");
static_assert(CORPUS_ALL_BITS == UINT64_MAX, "u64 maximum");
static_assert(corpus_Command_Paint == 7, "explicit tag");
static_assert(sizeof(corpus_Engine_vtbl) == 24 + 22 * sizeof(void *), "19 slots after the header");

struct Engine {
	corpus_Engine iface;
	uint32_t count;
};

extern "C" {

static chitin_status CHITIN_CALL
engine_count(corpus_Engine *self, uint32_t *ret)
{
	*ret = reinterpret_cast<Engine *>(self)->count;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_rename(corpus_Engine *, chitin_string name)
{
	if (name.release)
		name.release(name.ptr, name.len, name.cap);
	return CHITIN_OK;
}
}

corpus_Engine_vtbl
make_vtable()
{
	corpus_Engine_vtbl v;
	std::memset(&v, 0, sizeof v);
	const chitin_typeid iid = corpus_Engine_IID;
	v.header.size = offsetof(corpus_Engine_vtbl, subscribe);
	v.header.flags = CHITIN_VTABLE_THREADSAFE;
	v.header.iid = iid;
	v.count = engine_count;
	v.rename = engine_rename;
	return v;
}

} // namespace

// Called from nowhere: it only has to compile.
chitin_status
use_engine(corpus_Engine *e, uint32_t *count)
{
	corpus_Everything all = {};
	all.generics.maybe_point.tag = CHITIN_OPTION_SOME;
	all.command.tag = corpus_Command_Move;
	all.command.payload.Move.speed = 1.0f;
	other_Path path = {};
	path.start = all.generics.maybe_point;
	corpus_Engine_vtbl v = make_vtable();
	(void)v;
	chitin_string name = {};
	chitin_status status = corpus_Engine_rename(e, name);
	if (status != CHITIN_OK)
		return status;
	return corpus_Engine_count(e, count);
}
