package memory

import "time"

// entry is a value with an optional expiry time (zero: it never expires).
type entry[V any] struct {
	val     V
	expires time.Time
}

func (e entry[V]) expired(now time.Time) bool {
	return !e.expires.IsZero() && !now.Before(e.expires)
}

// expiring is a map whose entries vanish at their expiry time. Expired
// entries are removed when they are next looked at, or by sweep.
type expiring[V any] map[string]entry[V]

// lookup returns the live entry for key, deleting it if it has expired.
func (m expiring[V]) lookup(key string, now time.Time) (entry[V], bool) {
	e, ok := m[key]
	if !ok {
		return e, false
	}
	if e.expired(now) {
		delete(m, key)
		return entry[V]{}, false
	}
	return e, true
}

// put stores val under key, expiring ttl after now (never when ttl <= 0).
func (m expiring[V]) put(key string, val V, now time.Time, ttl time.Duration) {
	m[key] = entry[V]{val: val, expires: expiryAt(now, ttl)}
}

// sweep removes every expired entry.
func (m expiring[V]) sweep(now time.Time) {
	for key, e := range m {
		if e.expired(now) {
			delete(m, key)
		}
	}
}

// expiryAt returns when something stored at now with ttl expires; the zero
// time means never.
func expiryAt(now time.Time, ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return now.Add(ttl)
}
