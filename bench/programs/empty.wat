;; empty: a minimal WASI command, an exported _start that does nothing. Measures the engine's
;; own start-up (process, decode, validate, instantiate, call) with no libc at all.
(module
  (memory (export "memory") 1)
  (func (export "_start")))
