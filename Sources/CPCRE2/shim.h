#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H

// PCRE2's friendly names (pcre2_compile, ...) are macros over the code-unit width; Swift calls the
// `_8` functions directly. Constants defined as casts do not import, so they come back from functions.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static inline size_t cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }

#endif
