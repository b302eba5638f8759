# Precompiled headers for the heavy third-party headers (CAF, spdlog, JSON,
# CLI11, GoogleTest). Parsing them costs 1 to 5 s per source file, more than
# most of our files themselves; CI builds everything twice (Release and the
# sanitizer build), so this is minutes of its 20. Off for the fuzz build (clang)
# and with -DCHATD_PCH=OFF, e.g. to check that every file includes what it uses.
option(CHATD_PCH "Precompile heavy third-party headers" ON)

# chat_precompile(<target> <header>...): headers as "<caf/all.hpp>".
function(chat_precompile target)
  if(CHATD_PCH AND NOT CHATD_FUZZ)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
