# Per-target build settings (the spdlog habit: nothing global in CMAKE_CXX_FLAGS).

function(lw_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor -Woverloaded-virtual)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 flags Asio's coroutine frames (its own operator new, sized operator delete) as
    # mismatched after inlining: a false positive (GCC PR 109224).
    target_compile_options(${target} PRIVATE -Wno-mismatched-new-delete)
  endif()
  if(LW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(lw_enable_sanitizers target)
  if(LW_FUZZ)
    # Coverage for libFuzzer in everything the fuzz targets reach, with ASan and UBSan.
    target_compile_options(${target} PUBLIC -fsanitize=fuzzer-no-link,address,undefined
                                            -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  elseif(LW_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined
                                            -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# A library or executable of ours: warnings and (optionally) sanitizers.
function(lw_configure target)
  lw_set_warnings(${target})
  lw_enable_sanitizers(${target})
endfunction()

# Turns a text file into a C++ source defining `extern const char NAME[]` so the binary
# carries it (the Lua prelude). The file is read at configure time and re-read on change.
function(lw_embed_text target name file)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embedded_${name}.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DNAME=${name}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake"
    DEPENDS "${file}" "${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake"
    COMMENT "Embedding ${file}")
  target_sources(${target} PRIVATE "${out}")
endfunction()
