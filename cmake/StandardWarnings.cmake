# Warnings for our own targets; -Werror only in developer builds so a newer
# compiler on a user's machine cannot break `scripts/install`.
function(heinrich_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wconversion -Wno-sign-conversion -Wnull-dereference
                                           -Wimplicit-fallthrough)
  if(HEINRICH_DEV)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
