package dataapitest

import "unicode/utf16"

// javaStringHash is Java's String.hashCode over UTF-16 code units.
func javaStringHash(s string) int32 {
	var h int32
	for _, u := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(u)
	}
	return h
}

// javaHashMapOrder returns names in the iteration order of a Java HashMap
// into which they were put in the given order. The real server builds the
// list of columns of a find without projection from such a map, so rows
// carry their columns in this order (projectionSchema keeps table order).
func javaHashMapOrder(names []string) []string {
	capacity := 16
	for float64(len(names)) > 0.75*float64(capacity) {
		capacity *= 2
	}
	buckets := make([][]string, capacity)
	for _, n := range names {
		h := uint32(javaStringHash(n))
		h ^= h >> 16
		i := int(h & uint32(capacity-1))
		buckets[i] = append(buckets[i], n)
	}
	out := make([]string, 0, len(names))
	for _, b := range buckets {
		out = append(out, b...)
	}
	return out
}
