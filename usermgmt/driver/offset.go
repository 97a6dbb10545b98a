package driver

import (
	"fmt"
	"strconv"
)

// Offset returns the page token of an API that pages by offset: the offset
// in decimal.
func Offset(n int) string { return strconv.Itoa(n) }

// ParseOffset reads a token made by Offset; the empty token is offset 0.
func ParseOffset(token string) (int, error) {
	if token == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(token)
	if err != nil || n < 0 || strconv.Itoa(n) != token {
		return 0, fmt.Errorf("driver: %q is not an offset page token", token)
	}
	return n, nil
}
