// The runtime functions of generated code (bantam_rt_*, builtins.cpp) and the loader's fixed
// table of the external symbols it may resolve.
#pragma once

#include <cstdint>
#include <string_view>

extern "C" {
[[noreturn]] void bantam_rt_trap(void* vmctx, uint32_t kind);
[[noreturn]] void bantam_rt_trap_element(void* vmctx, uint32_t kind, uint32_t index);
void bantam_rt_interrupt(void* vmctx, uint32_t cost, uintptr_t sp);
uint64_t bantam_rt_loop_interrupt(void* vmctx, uint32_t cost);
uint32_t bantam_rt_memory_grow(void* vmctx, uint32_t mem, uint32_t delta);
void bantam_rt_memory_init(void* vmctx, uint32_t mem, uint32_t data, uint32_t dst, uint32_t src, uint32_t n);
void bantam_rt_data_drop(void* vmctx, uint32_t data);
uint32_t bantam_rt_table_grow(void* vmctx, uint32_t table, void* init, uint32_t delta);
void bantam_rt_table_fill(void* vmctx, uint32_t table, uint32_t i, void* value, uint32_t n);
void bantam_rt_table_copy(void* vmctx, uint32_t dst, uint32_t src, uint32_t d, uint32_t s, uint32_t n);
void bantam_rt_table_init(void* vmctx, uint32_t table, uint32_t elem, uint32_t d, uint32_t s, uint32_t n);
void bantam_rt_elem_drop(void* vmctx, uint32_t elem);
void bantam_rt_call_host(void* callerVmctx, void* funcInst, void* cells);
}

namespace bantam::compiled {

// The address of an external symbol of generated code, or nullptr if it is not allowed.
const void* resolveRuntimeSymbol(std::string_view name);

}  // namespace bantam::compiled
