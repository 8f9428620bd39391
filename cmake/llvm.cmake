# The compiled engine: libbantam_llvm.so (src/llvm, the only code that includes LLVM headers,
# linked against libLLVM-19) and the loader/runtime side (src/compiled, no LLVM), which the
# binary links and which dlopen()s the library only when a module must be compiled.
execute_process(COMMAND ${BANTAM_LLVM_CONFIG} --cxxflags OUTPUT_VARIABLE llvm_cxxflags OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${BANTAM_LLVM_CONFIG} --ldflags OUTPUT_VARIABLE llvm_ldflags OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${BANTAM_LLVM_CONFIG} --link-shared --libs OUTPUT_VARIABLE llvm_libs OUTPUT_STRIP_TRAILING_WHITESPACE)
# The project is C++23 with exceptions allowed in tools: drop LLVM's -std and -fno-exceptions.
string(REPLACE "-std=c++17" "" llvm_cxxflags "${llvm_cxxflags}")
string(REPLACE "-fno-exceptions" "" llvm_cxxflags "${llvm_cxxflags}")
separate_arguments(llvm_cxxflags UNIX_COMMAND "${llvm_cxxflags}")
separate_arguments(llvm_ldflags UNIX_COMMAND "${llvm_ldflags}")
separate_arguments(llvm_libs UNIX_COMMAND "${llvm_libs}")

# The translator reads decoded modules with the same instruction reader as the interpreter;
# those few sources are compiled into the library too (position-independent, hidden).
file(GLOB BANTAM_LLVM_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/llvm/*.cpp)
add_library(bantam_llvm SHARED ${BANTAM_LLVM_SOURCES}
  ${PROJECT_SOURCE_DIR}/src/wasm/instr.cpp ${PROJECT_SOURCE_DIR}/src/wasm/module.cpp
  ${PROJECT_SOURCE_DIR}/src/wasm/types.cpp ${PROJECT_SOURCE_DIR}/src/wasm/opcode.cpp
  ${PROJECT_SOURCE_DIR}/src/common/byte_reader.cpp ${PROJECT_SOURCE_DIR}/src/common/error.cpp)
target_include_directories(bantam_llvm PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
target_compile_options(bantam_llvm PRIVATE ${llvm_cxxflags})
target_link_options(bantam_llvm PRIVATE ${llvm_ldflags} -Wl,--no-undefined)
target_link_libraries(bantam_llvm PRIVATE ${llvm_libs})
set_target_properties(bantam_llvm PROPERTIES
  LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON)

# The runtime side. Frame pointers: a trap walks them from the builtins into generated code.
find_path(BANTAM_XXHASH_INCLUDE xxhash.h REQUIRED)
bantam_area(bantam_compiled src/compiled bantam_runtime ${CMAKE_DL_LIBS})
target_include_directories(bantam_compiled PRIVATE ${BANTAM_XXHASH_INCLUDE})
target_compile_options(bantam_compiled PRIVATE -fno-omit-frame-pointer)
target_compile_definitions(bantam_compiled PRIVATE
  BANTAM_LLVM_BUILD_LIBRARY="$<TARGET_FILE:bantam_llvm>")
add_dependencies(bantam_compiled bantam_llvm)
