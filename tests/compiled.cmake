# The compiled engine's tests (included from tests/CMakeLists.txt): the official suite once more
# under `--engine compiled` (tests/CMakeLists.txt registers spec.interp.<file>), and the
# differential run of the guest programs under both engines.
if(NOT BANTAM_LLVM)
  return()
endif()

# One code cache for the whole suite, inside the build tree: ctest's parallel runs share it
# (entries are written atomically), and no test touches ~/.cache.
set(BANTAM_TEST_CACHE ${CMAKE_BINARY_DIR}/test-cache)
if(BANTAM_SPEC_FILES)
  foreach(f ${BANTAM_SPEC_FILES})
    get_filename_component(n ${f} NAME_WE)
    add_test(NAME spec.compiled.${n} COMMAND bantam_cli wast --engine compiled ${f})
    set_tests_properties(spec.compiled.${n} PROPERTIES ENVIRONMENT "XDG_CACHE_HOME=${BANTAM_TEST_CACHE}")
  endforeach()
endif()

# The differential test: the WASI guest programs (and the fuzz corpus, if any) under both
# engines, comparing exit status, output, traps, files and final memory.
find_program(BANTAM_DIFF_PYTHON python3)
if(BANTAM_DIFF_PYTHON)
  add_test(NAME e2e.engines.differential
           COMMAND ${BANTAM_DIFF_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/e2e/engines/differential.py
                   --bantam $<TARGET_FILE:bantam_cli> --guests ${CMAKE_CURRENT_BINARY_DIR}/guests)
  set_tests_properties(e2e.engines.differential PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()
