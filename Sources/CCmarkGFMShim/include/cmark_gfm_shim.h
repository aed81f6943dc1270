#ifndef LABGEN_CMARK_GFM_SHIM_H
#define LABGEN_CMARK_GFM_SHIM_H
#include <cmark-gfm.h>

/// Takes over libcmark-gfm's own definition (see shim.c): switching the extensions' inline
/// characters on is passed to the library, switching them off is dropped, so parses on
/// several threads never lose a strikethrough or a table.
void cmark_manage_extensions_special_characters(cmark_parser *parser, int add);

#endif
