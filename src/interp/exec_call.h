// Cold helpers the handlers call out of line: host calls, interruption, instance switches.
#pragma once

#include "interp/code.h"

namespace bantam::interp {

// Calls host function `fn` with its arguments in args[0..) and writes its results there. A
// trap is returned as a status (its Trap, message included, left in ctx->pendingTrap).
Status callHost(Ctx* ctx, runtime::FuncInst* fn, Slot* args);

// A trap whose message names the element index, as the reference interpreter's does
// ("uninitialized element 2").
Status trapAtElement(Ctx* ctx, runtime::TrapKind kind, uint32_t index);

// Copies between the RawVal cells of the embedding boundary and frame slots.
void slotsToCells(const Slot* slots, std::span<const wasm::ValType> types, runtime::RawVal* cells);
void cellsToSlots(const runtime::RawVal* cells, std::span<const wasm::ValType> types, Slot* slots);

}  // namespace bantam::interp
