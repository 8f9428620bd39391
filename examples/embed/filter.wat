;; A well-behaved filter plugin: upper-cases the ASCII letters of a string in place.
;; Plugin interface: export "memory", "alloc" (len -> ptr) and "filter" (ptr len -> new len);
;; import "env" "log" (ptr len) to send a message to the host.
(module
  (import "env" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "filter: upper-casing")
  (global $heap (mut i32) (i32.const 1024))

  ;; A bump allocator: good enough for one call per instance.
  (func (export "alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $len)))
    (local.get $p))

  (func (export "filter") (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $c i32) (local $at i32)
    (call $log (i32.const 16) (i32.const 20))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $at (i32.add (local.get $ptr) (local.get $i)))
        (local.set $c (i32.load8_u (local.get $at)))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 97))    ;; 'a'
                     (i32.le_u (local.get $c) (i32.const 122)))  ;; 'z'
          (then (i32.store8 (local.get $at) (i32.sub (local.get $c) (i32.const 32)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $len)))
