package alerts

// QueuedMentionCalls is how many IngestMentions calls wait for a save (for
// tests that merge calls).
func (l *Listener) QueuedMentionCalls() int {
	l.mentions.mu.Lock()
	defer l.mentions.mu.Unlock()
	return len(l.mentions.queue)
}

// QueuedSaves is how many Ingest calls wait for a save (for tests that
// merge calls).
func (l *Listener) QueuedSaves() int { return l.saves.Waiting() }
