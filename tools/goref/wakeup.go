package main

import "sync"

// hub wakes every SEND goroutine after a record was appended: the Go
// counterpart of papayad's kill(-anchor, SIGUSR1) to the SEND process group.
//
// Each subscriber has a channel with room for one token, and notify puts a
// token in every channel that is empty, never blocking. A token is a pending
// "the log may have grown", exactly like a blocked SIGUSR1 pending in a SEND
// process: any number of notifications while the SEND goroutine is busy
// collapse into one, and that one is kept until it looks. Because the SEND
// goroutine reads the log up to its end *after* taking the token, a
// collapsed notification loses nothing, and a record appended after its last
// read always leaves a token behind: no lost wakeups.
//
// A sync.Cond would not do this by itself: Broadcast wakes only goroutines
// already waiting, so a broadcast sent while a SEND goroutine is writing to
// its socket would be lost unless every waiter also checked a shared counter
// under the Cond's mutex; and a Cond cannot be waited for in a select next
// to "the session is over".
type hub struct {
	mu          sync.RWMutex
	subscribers map[chan struct{}]struct{}
}

func newHub() *hub {
	return &hub{subscribers: map[chan struct{}]struct{}{}}
}

// subscribe returns a new subscriber's wakeup channel.
func (h *hub) subscribe() chan struct{} {
	wake := make(chan struct{}, 1)
	h.mu.Lock()
	h.subscribers[wake] = struct{}{}
	h.mu.Unlock()
	return wake
}

func (h *hub) unsubscribe(wake chan struct{}) {
	h.mu.Lock()
	delete(h.subscribers, wake)
	h.mu.Unlock()
}

// notify leaves a token for every subscriber that has none. It never blocks,
// so a client that does not read delays nobody.
func (h *hub) notify() {
	// A read lock: notifiers exclude only (un)subscribing, not each other;
	// sends on channels are safe from any number of goroutines.
	h.mu.RLock()
	for wake := range h.subscribers {
		select {
		case wake <- struct{}{}:
		default: // a token is already pending
		}
	}
	h.mu.RUnlock()
}
