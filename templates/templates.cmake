# `bantam new` templates: every templates/<name>/content/** is embedded into the CLI at build
# time (embed.cmake), so the binary needs no files beside it. Included by the top-level
# CMakeLists.txt after the bantam_cli target.
file(GLOB_RECURSE BANTAM_TEMPLATE_FILES CONFIGURE_DEPENDS LIST_DIRECTORIES false
     ${CMAKE_CURRENT_LIST_DIR}/*/content/* ${CMAKE_CURRENT_LIST_DIR}/*/DESCRIPTION)
set(BANTAM_TEMPLATES_CPP ${CMAKE_BINARY_DIR}/generated/templates_data.cpp)
add_custom_command(OUTPUT ${BANTAM_TEMPLATES_CPP}
  COMMAND ${CMAKE_COMMAND} -DTEMPLATES_DIR=${CMAKE_CURRENT_LIST_DIR} -DOUTPUT=${BANTAM_TEMPLATES_CPP}
          -P ${CMAKE_CURRENT_LIST_DIR}/embed.cmake
  DEPENDS ${BANTAM_TEMPLATE_FILES} ${CMAKE_CURRENT_LIST_DIR}/embed.cmake
  COMMENT "Embedding the bantam new templates" VERBATIM)
target_sources(bantam_cli PRIVATE ${BANTAM_TEMPLATES_CPP})
