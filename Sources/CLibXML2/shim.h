#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU, whose UErrorCode clashes with Foundation's copy of ICU on a clean
// build ("'UErrorCode' has different definitions in different modules"). Triage never uses libxml2's
// encoding layer, so the ICU parts are switched off before the other headers are read.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>

// `xmlFree` is a global function pointer, which Swift 6 refuses as shared mutable state.
static inline void clibxml2_free(void *pointer) { xmlFree(pointer); }

#endif
