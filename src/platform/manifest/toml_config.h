// toml++ as the manifest reader uses it: header-only and without exceptions, in the few files
// that read TOML. Header-only because Debian's libtomlplusplus.so links the shared libstdc++,
// which the `bantam` binary links statically (two C++ runtimes in one process); without
// exceptions because errors are values here (toml::parse returns a parse_result).
#pragma once

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>
