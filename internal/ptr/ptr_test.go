package ptr

import "testing"

func TestNonZeroAndValue(t *testing.T) {
	if NonZero("") != nil || NonZero(0) != nil {
		t.Error("NonZero of a zero value is not nil")
	}
	if p := NonZero("x"); p == nil || *p != "x" || Value(p) != "x" {
		t.Error("NonZero/Value lost the value")
	}
	if Value[int](nil) != 0 {
		t.Error("Value(nil) is not zero")
	}
}
