(module
  (func $f (param i32) (result i32)
    (block $out (result i32)
      (loop $again
        (br_if $out (i32.eqz (local.get 0)) (i32.const 7))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $again))
      (i32.const 0)))
  (func (param i32) (result i32)
    block $a (result i32)
      block $b
        block $c
          local.get 0
          br_table $c $b 1 0
        end $c
        i32.const 2
        br $a
      end $b
      i32.const 3
    end $a)
  (func (result i32)
    (if (result i32) (i32.const 1)
      (then (i32.const 2))
      (else (i32.const 3))))
  (func (param i32)
    local.get 0
    if $l
      nop
    else $l
      unreachable
    end $l)
)
