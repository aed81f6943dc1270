#ifndef LABGEN_CMARK_GFM_SHIM_H
#define LABGEN_CMARK_GFM_SHIM_H
#include <stdint.h>

/// The text of a text, inline code, inline or block HTML node of libcmark-gfm, read in place:
/// a pointer to `*length` bytes (not NUL-terminated), valid as long as the tree. `node` is a
/// `cmark_node *` (kept opaque here so the public API stays opaque to Swift).
const unsigned char *labgen_cmark_node_literal(void *node, int32_t *length);

#endif
