/* api.h: how libchitin's functions are declared, for the other headers.
 * Define CHITIN_STATIC before including them when linking the static
 * library on Windows; otherwise they are imported from the DLL.  The
 * library's own sources define CHITIN_BUILDING_RUNTIME to export them. */
#ifndef CHITIN_API_H
#define CHITIN_API_H

#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(CHITIN_BUILDING_RUNTIME)
#define CHITIN_RUNTIME_API __declspec(dllexport)
#elif !defined(CHITIN_STATIC)
#define CHITIN_RUNTIME_API __declspec(dllimport)
#else
#define CHITIN_RUNTIME_API
#endif
#elif defined(__GNUC__) && defined(CHITIN_BUILDING_RUNTIME)
#define CHITIN_RUNTIME_API __attribute__((visibility("default")))
#else
#define CHITIN_RUNTIME_API
#endif

#endif
