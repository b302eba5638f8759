// The code points that must not reach someone else's terminal as they are:
// the server's text mode (actors/render.cpp) and the `chat` client
// (apps/chat/display_text.cpp) each replace or drop them, in their own way,
// by these same classes.
#pragma once

#include <utf8proc.h>

namespace chat {

// C0 controls, DEL and C1 controls: escape sequences start with one of them
// (ESC, or the C1 CSI), and some terminals act on the others.
inline bool is_control(utf8proc_int32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

// Bidi controls reorder what follows them on the screen: U+202E (RLO) in one
// user's message can turn the rest of the line, the next user's words
// included, around. Embeddings, overrides, isolates and the marks.
inline bool is_bidi_control(utf8proc_int32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
         (cp >= 0x200E && cp <= 0x200F) || cp == 0x061C;
}

// Invisible format characters (category Cf: U+200B zero width space, U+FEFF,
// U+2060 word joiner, the tag characters U+E0000..): they hide text or make
// two different strings look alike.
inline bool is_format(utf8proc_int32_t cp) {
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
}

}  // namespace chat
