// Why this file exists (1): `cmark_node_get_literal` copies every literal that is not already
// NUL-terminated into a new buffer (calloc) to hand out a C string, and keeps it until the
// node is freed: one allocation per text node, about a twentieth of a 2,000-page build.
// The layout of `cmark_node` comes from the installed library's own internal header (same
// -dev package as the library), named by its full path so the generic names next to it
// (node.h, buffer.h) never reach anyone's include path.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <cmark-gfm/node.h>
#include "cmark_gfm_shim.h"

const unsigned char *labgen_cmark_node_literal(void *node, int32_t *length) {
    cmark_node *n = (cmark_node *)node;
    *length = (int32_t)n->as.literal.len;
    return n->as.literal.data;
}

// Why this file exists (2): libcmark-gfm 0.29.0.gfm.6 keeps the inline special-character
// tables in process globals:
// `cmark_parser_finish` switches the extensions' characters (`~`, `|`, …) on before inline
// parsing and off after, so a parse finishing on one core switched them off under a parse
// running on the other, which then silently lost a strikethrough or a table. This
// definition takes the library's own call (it goes through its PLT): switching on is passed
// to the library, switching off is dropped. Every parser of labgen attaches the same
// extensions (Markdown's `CommonMarkConverter`), so "on" is right for all of them, and
// parses need not take turns.

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add) {
    if (!add) return;
    void (*library)(cmark_parser *, int) =
        (void (*)(cmark_parser *, int))dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
    if (library) library(parser, add);
}
