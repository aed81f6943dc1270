// Why this file exists: libcmark-gfm 0.29.0.gfm.6 keeps the inline special-character
// tables in process globals:
// `cmark_parser_finish` switches the extensions' characters (`~`, `|`, …) on before inline
// parsing and off after, so a parse finishing on one core switched them off under a parse
// running on the other, which then silently lost a strikethrough or a table. This
// definition takes the library's own call (it goes through its PLT): switching on is passed
// to the library, switching off is dropped. Every parser of labgen attaches the same
// extensions (Markdown's `CommonMarkConverter`), so "on" is right for all of them, and
// parses need not take turns.
#define _GNU_SOURCE
#include <dlfcn.h>
#include "cmark_gfm_shim.h"

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add) {
    if (!add) return;
    void (*library)(cmark_parser *, int) =
        (void (*)(cmark_parser *, int))dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
    if (library) library(parser, add);
}
