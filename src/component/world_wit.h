// A compiled component's world as WIT text (what `bantam inspect` prints): the interfaces it
// imports and exports with their types and functions, and the world that names them.
#pragma once

#include <string>

#include "component/plan.h"

namespace bantam::component {

// WIT in the style of `wasm-tools component wit`: one nested package block per imported or
// exported interface package, then `world root` in package `root:component`. Type names come
// from the component's type exports; types that have none are printed structurally.
std::string componentWorldToWit(const ComponentPlan& plan);

}  // namespace bantam::component
