/* A plugin whose entry points at a damaged copy of lm's descriptor:
 * CORRUPT 1 breaks the magic, 2 says the blob is shorter than it is,
 * 3 names another format, 4 says the blob is far longer than the memory
 * it lies in (a reader that believed it would read past the library);
 * 5 keeps the blob sound but points the exports table at no memory. */
#include "lm.h"

#include <string.h>

static uint8_t damaged[1 << 16];

CHITIN_EXPORT extern const chitin_module chitin_module_lm;
#if CORRUPT == 5
const chitin_module chitin_module_lm = { damaged, (const void *)(uintptr_t)0x10 };
#else
const chitin_module chitin_module_lm = { damaged, NULL };
#endif

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

__attribute__((constructor)) static void
damage(void)
{
	const uint8_t *blob = lm_descriptor();
	uint32_t size = get32(blob + 8), shorter = size - 8;
	if (size > sizeof damaged)
		return;
	memcpy(damaged, blob, size);
	switch (CORRUPT) {
	case 1:
		damaged[0] ^= 0xff;
		break;
	case 2:
		damaged[8] = (uint8_t)shorter;
		damaged[9] = (uint8_t)(shorter >> 8);
		damaged[10] = (uint8_t)(shorter >> 16);
		damaged[11] = (uint8_t)(shorter >> 24);
		break;
	case 3:
		damaged[4] ^= 0x7f;
		break;
	case 5:
		break;
	default:
		damaged[8] = 0;
		damaged[9] = 0;
		damaged[10] = 0;
		damaged[11] = 0x7f;
		break;
	}
}
