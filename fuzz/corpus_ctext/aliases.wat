(component $C (type $t u8) (component (type (list $t))) (import "i" (instance $i (export "f" (func (param "x" (option (list u8))))))) (export "g" (func $i "f")))
