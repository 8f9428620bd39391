// Bantam's embedding API: load WebAssembly modules, give them host functions, run them in
// isolated stores with limits. Everything fallible returns a value: Result<T> (an Error) for
// loading and linking, CallResult<T> (a Trap) for running. No exception crosses the API.
//
//   bantam::Engine engine;
//   auto module = bantam::Module::fromText(engine, "(module (func (export \"add\") ...))");
//   bantam::Store store(engine);
//   bantam::Linker linker(engine);
//   auto instance = linker.instantiate(store, *module);
//   auto sum = instance->call<int32_t>("add", 1, 2);
#pragma once

#include "bantam/engine.h"
#include "bantam/error.h"
#include "bantam/instance.h"
#include "bantam/linker.h"
#include "bantam/module.h"
#include "bantam/store.h"
#include "bantam/trap.h"
#include "bantam/value.h"
