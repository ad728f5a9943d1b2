/* The descriptor sections of a built binary, found in its bytes without
 * loading it (doc/abi.md 8.4): `.chitin` in ELF files (32- and 64-bit,
 * either byte order), in PE images (PE32, PE32+) and COFF objects
 * (bigobj too); `__DATA,__chitin` in Mach-O files (32- and 64-bit, and
 * each architecture of a universal binary); each member of an `ar`
 * archive (a static library); and a file that is a bare descriptor.
 * The file may be hostile: every offset, size and count read from it is
 * checked against it before use, and the time taken is linear in its
 * size. */
#ifndef CHITIN_OBJFILE_H
#define CHITIN_OBJFILE_H

#include <chitin/descriptor.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OBJ_TEXT 160   /* the size of a description, with its NUL */

/* One descriptor section. */
struct obj_section {
	const uint8_t *data;     /* its bytes, inside the file's */
	size_t size;
	size_t offset;           /* of data, from the start of the file */
	const char *name;        /* ".chitin", "__DATA,__chitin", or "(the whole file)" */
	/* What holds it: "ELF 64-bit LSB shared object, x86-64";
	 * "Mach-O universal binary, architecture 2 of 2: Mach-O 64-bit
	 * object, arm64"; "archive member 'a.o': ...". */
	char container[OBJ_TEXT];
};

struct obj_file {
	char format[OBJ_TEXT];   /* what the file is, as a container above */
	struct obj_section *sections;  /* in file order; malloc'd */
	uint32_t n_sections, cap_sections;
};

/* Reads the file whose len bytes are at file and collects its descriptor
 * sections into *out, whose pointers point into file (which must outlive
 * it).  Returns true if the file is a binary of a format above whose
 * headers are sound, with its descriptor sections (none: it has no
 * descriptor); false, with a message in err ("ELF: the section headers
 * end past the end of the file"), if it is not such a binary or its
 * headers point outside it.  Never reads outside file[0, len).  *out is
 * to be released with obj_free either way. */
bool obj_read(const uint8_t *file, size_t len, struct obj_file *out, char *err,
	      size_t err_size);

void obj_free(struct obj_file *f);

/* Steps through the blobs of a descriptor section of len bytes at data
 * as doc/descriptor.md 7 says (zero bytes before, between and after the
 * blobs are padding): from *at, skips zero bytes, and returns false if
 * the section ends there.  Otherwise sets *at to where the next blob
 * starts, returns true, and sets *status to what chitin_desc_probe says
 * of it and *blob_size (when the status is CHITIN_DESC_OK) to its size.
 * A caller continues from *at + *blob_size. */
bool obj_next_blob(const uint8_t *data, size_t len, size_t *at, size_t *blob_size,
		   enum chitin_desc_status *status);

#endif
