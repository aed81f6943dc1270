// Only the public top-level headers: /usr/include/cmark-gfm/ holds internal headers with
// generic names (node.h, buffer.h) that must never reach the include path.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
