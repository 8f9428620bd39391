;; Counts the primes up to N with a sieve of Eratosthenes in linear memory.
;;   build/bantam run --invoke count_primes examples/primes.wat 10000000   # prints 664579
(module
  (memory 1)
  (func (export "count_primes") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32) (local $grow i32)
    ;; Make room for n+1 flags (one byte each), growing the memory when needed.
    (local.set $grow
      (i32.sub (i32.shr_u (i32.add (local.get $n) (i32.const 65536)) (i32.const 16))
               (memory.size)))
    (if (i32.gt_s (local.get $grow) (i32.const 0))
      (then (if (i32.eq (memory.grow (local.get $grow)) (i32.const -1)) (then unreachable))))
    (memory.fill (i32.const 0) (i32.const 1) (i32.add (local.get $n) (i32.const 1)))
    ;; Cross out the multiples of each prime up to sqrt(n).
    (local.set $i (i32.const 2))
    (block $sieved
      (loop $next_prime
        (br_if $sieved (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.load8_u (local.get $i))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $crossed
              (loop $cross
                (br_if $crossed (i32.gt_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 0))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $cross)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next_prime)))
    ;; Count what is left.
    (local.set $i (i32.const 2))
    (block $counted
      (loop $count_next
        (br_if $counted (i32.gt_u (local.get $i) (local.get $n)))
        (local.set $count (i32.add (local.get $count) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count_next)))
    (local.get $count)))
