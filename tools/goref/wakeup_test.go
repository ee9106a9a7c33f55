package main

import (
	"sync"
	"testing"
	"time"
)

// A notification that arrives while the subscriber is busy is kept.
func TestNotifyBeforeWaitIsNotLost(t *testing.T) {
	h := newHub()
	wake := h.subscribe()
	h.notify()
	select {
	case <-wake:
	default:
		t.Fatal("the notification sent before waiting was lost")
	}
}

// Notifications while busy collapse into one pending token, like a pending
// signal: the subscriber then reads everything, so one is enough.
func TestNotificationsCollapse(t *testing.T) {
	h := newHub()
	wake := h.subscribe()
	for i := 0; i < 10; i++ {
		h.notify()
	}
	<-wake
	select {
	case <-wake:
		t.Fatal("more than one token pending")
	default:
	}
}

func TestUnsubscribedChannelIsNotNotified(t *testing.T) {
	h := newHub()
	wake := h.subscribe()
	h.unsubscribe(wake)
	h.notify()
	select {
	case <-wake:
		t.Fatal("notified after unsubscribe")
	default:
	}
}

// notify never blocks, however many subscribers never take their token.
func TestNotifyNeverBlocks(t *testing.T) {
	h := newHub()
	for i := 0; i < 100; i++ {
		h.subscribe()
	}
	done := make(chan struct{})
	go func() {
		for i := 0; i < 1000; i++ {
			h.notify()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("notify blocked")
	}
}

// The SEND loop's pattern, under concurrent producers: a consumer that looks
// at a counter after each token always ends up seeing the final value,
// without any timeout-based polling.
func TestNoLostWakeupUnderConcurrency(t *testing.T) {
	h := newHub()
	const producers, each = 8, 2000
	var mu sync.Mutex
	count := 0
	consumers := 4
	var wg sync.WaitGroup
	for c := 0; c < consumers; c++ {
		wake := h.subscribe()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				n := count
				mu.Unlock()
				if n == producers*each {
					return
				}
				<-wake // only a lost wakeup could block here forever
			}
		}()
	}
	for p := 0; p < producers; p++ {
		go func() {
			for i := 0; i < each; i++ {
				mu.Lock()
				count++
				mu.Unlock()
				h.notify()
			}
		}()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(30 * time.Second):
		t.Fatal("a consumer missed the last notification")
	}
}
