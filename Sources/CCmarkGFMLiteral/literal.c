// Why this file exists: `cmark_node_get_literal` copies every literal that is not already
// NUL-terminated into a new buffer (calloc) to hand out a C string, and keeps it until the
// node is freed: one allocation per text node, about a twentieth of a 2,000-page build.
// The layout of `cmark_node` comes from the installed library's own internal header (same
// -dev package as the library), named by its full path so the generic names next to it
// (node.h, buffer.h) never reach anyone's include path.
#include <cmark-gfm/node.h>
#include "cmark_gfm_literal.h"

const unsigned char *labgen_cmark_node_literal(void *node, int32_t *length) {
    cmark_node *n = (cmark_node *)node;
    *length = (int32_t)n->as.literal.len;
    return n->as.literal.data;
}
