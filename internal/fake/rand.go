package fake

import "math/rand/v2"

func draw(f *Fault) float64 {
	if f.Rand != nil {
		return f.Rand()
	}
	return rand.Float64()
}
