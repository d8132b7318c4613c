package server

import (
	"context"
	"testing"
	"time"
)

// TestImportGate: at most n enter at once; one more waits for a place and
// gets it when one is given back, or gives up when the wait ends or its
// request does.
func TestImportGate(t *testing.T) {
	t.Parallel()
	g := newImportGate(2, time.Hour)
	ctx := context.Background()
	r1, ok1 := g.enter(ctx)
	r2, ok2 := g.enter(ctx)
	if !ok1 || !ok2 {
		t.Fatal("the first two did not get a place")
	}
	got := make(chan bool)
	go func() {
		r, ok := g.enter(ctx)
		if ok {
			defer r()
		}
		got <- ok
	}()
	r1()
	if !<-got {
		t.Error("the third did not get the place given back")
	}
	r2()

	busy := newImportGate(1, 0)
	if _, ok := busy.enter(ctx); !ok {
		t.Fatal("no place in an empty gate")
	}
	if _, ok := busy.enter(ctx); ok {
		t.Error("a full gate that does not wait let one in")
	}
	waiting := newImportGate(1, time.Hour)
	if _, ok := waiting.enter(ctx); !ok {
		t.Fatal("no place in an empty gate")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, ok := waiting.enter(cctx); ok {
		t.Error("a request that ended got a place")
	}
}
