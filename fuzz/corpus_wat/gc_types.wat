(module
  (type $s (struct (field i32) (field (mut f64))))
  (type $a (array i8))
  (rec (type $r (sub (func))))
  (func (param (ref null $s)) (param anyref) (param (ref any)) (param i31ref)))
