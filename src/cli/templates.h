// The project templates of `bantam new`, embedded into the binary at build time from
// templates/<name>/ (templates/embed.cmake writes the data), so the command needs no files
// beside the executable.
#pragma once

#include <span>
#include <string_view>

namespace bantam::cli {

struct TemplateFile {
  std::string_view path;     // relative, '/'-separated: "src/main.c"
  std::string_view content;  // with {{ placeholders }} (see cmd_new.cpp)
};

struct Template {
  std::string_view name;         // "http-c"
  std::string_view description;  // one line
  std::span<const TemplateFile> files;
};

std::span<const Template> projectTemplates();

}  // namespace bantam::cli
