;; line comment
(module (; block (; nested ;) comment ;)
  (@custom "section" "content")
  (@a , ; ] [ }} ({) "str" $id 0x1 (nested (@inner)))
  (func $x (@name "annotated") (result i32) ;; trailing
    (i32.const 0x_1)  ;; `0x_1` is a reserved token: unknown operator
  ))
