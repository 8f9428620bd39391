;; A misbehaving filter plugin: its filter never returns. The host stops it with fuel or an
;; epoch deadline.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $len i32) (result i32) (i32.const 1024))
  (func (export "filter") (param $ptr i32) (param $len i32) (result i32)
    (loop $forever (br $forever))
    (local.get $len)))
