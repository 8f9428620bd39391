// Spin's identifier rules: component ids are kebab-case ("hello-world"), variable names are
// lower snake_case ("api_key"), store and database labels either. The messages are Spin's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bantam::platform::manifest {

// nullopt if `id` is valid; otherwise why not ("words must be separated with '-', not '_'").
std::optional<std::string> checkKebabId(std::string_view id);
std::optional<std::string> checkLowerSnakeId(std::string_view id);
// key_value_stores / sqlite_databases labels: kebab-case or snake_case.
bool isKebabOrSnakeLabel(std::string_view label);

// The variable names a template refers to: "https://{{ host }}/{{path}}" -> {"host", "path"}.
// nullopt (with `why`) if a `{{` is not closed by `}}` or holds no name.
std::optional<std::vector<std::string>> templateReferences(std::string_view text, std::string* why);

}  // namespace bantam::platform::manifest
