/* use.c: written against a.h and b.h (tests/run-inst-names.sh).  Each
 * field of an instantiation must have the type its IDL names: x's err
 * is b.E (member w), y's is a.E (member v); and an instantiation both
 * modules use is one C type, so values move between them as they are. */
#include "a.h"

#include <string.h>

int
main(void)
{
	a_S s;
	b_T t;
	memset(&s, 0, sizeof s);
	memset(&t, 0, sizeof t);
	s.x.tag = CHITIN_RESULT_ERR;
	s.x.u.err.w = 1;
	s.y.tag = CHITIN_RESULT_ERR;
	s.y.u.err.v = 2;
	s.x.u.ok.v = 3;
	s.y.u.ok.v = 4;
	t.bytes = s.bytes;
	t.maybe = s.maybe;
	t.outcome = s.outcome;
	return t.maybe.tag == CHITIN_OPTION_NONE && s.y.u.err.v == 4 ? 0 : 1;
}
