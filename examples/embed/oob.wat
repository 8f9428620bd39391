;; A misbehaving filter plugin: it writes far outside its linear memory. The write traps
;; ("out of bounds memory access") instead of touching the host's memory.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $len i32) (result i32) (i32.const 1024))
  (func $scribble (param $ptr i32)
    (i32.store (i32.add (local.get $ptr) (i32.const 0x7fff0000)) (i32.const -1)))
  (func (export "filter") (param $ptr i32) (param $len i32) (result i32)
    (call $scribble (local.get $ptr))
    (local.get $len)))
