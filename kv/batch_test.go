package kv

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name     string
		sizes    []int
		maxN     int
		maxBytes int
		want     []span
	}{
		{"empty", nil, 3, 0, nil},
		{"by count", []int{1, 1, 1, 1, 1, 1, 1}, 3, 0, []span{{0, 3}, {3, 6}, {6, 7}}},
		{"exact", []int{1, 1, 1}, 3, 0, []span{{0, 3}}},
		{"by bytes", []int{4, 4, 4, 4}, 10, 8, []span{{0, 2}, {2, 4}}},
		{"big item alone", []int{1, 20, 1}, 10, 8, []span{{0, 1}, {1, 2}, {2, 3}}},
		{"first item big", []int{20, 1, 1}, 10, 8, []span{{0, 1}, {1, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := split(tt.sizes, tt.maxN, tt.maxBytes); !slices.Equal(got, tt.want) {
				t.Errorf("split = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRunBatches(t *testing.T) {
	boom := errors.New("boom")
	t.Run("all run", func(t *testing.T) {
		var calls atomic.Int32
		ran, errs, stop := runBatches(context.Background(), 10, 3, func(context.Context, int) error {
			calls.Add(1)
			return nil
		})
		if calls.Load() != 10 || stop != nil || slices.Contains(ran, false) || slices.ContainsFunc(errs, func(e error) bool { return e != nil }) {
			t.Errorf("calls %d, ran %v, errs %v, stop %v", calls.Load(), ran, errs, stop)
		}
	})
	t.Run("stops after failure", func(t *testing.T) {
		ran, errs, stop := runBatches(context.Background(), 5, 1, func(_ context.Context, i int) error {
			if i == 1 {
				return boom
			}
			return nil
		})
		if want := []bool{true, true, false, false, false}; !slices.Equal(ran, want) {
			t.Errorf("ran = %v, want %v", ran, want)
		}
		if errs[1] != boom || stop != nil {
			t.Errorf("errs = %v, stop = %v", errs, stop)
		}
	})
	t.Run("context done", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		ran, _, stop := runBatches(ctx, 4, 1, func(_ context.Context, i int) error {
			if i == 1 {
				cancel()
			}
			return nil
		})
		if want := []bool{true, true, false, false}; !slices.Equal(ran, want) || !errors.Is(stop, context.Canceled) {
			t.Errorf("ran = %v, stop = %v", ran, stop)
		}
	})
}
