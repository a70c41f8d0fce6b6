package route

import (
	"context"
	"fmt"
	"sync"

	"github.com/interlock-coe/interlock/store"
)

// learner keeps the routing classifier in memory. The model is rebuilt
// from the store whenever the answered issues changed — an issue answered
// or reassigned on any replica changes the store's stamp — so every
// replica routes by the same examples; the stamp is one cheap query, made
// only for messages that no rule matches.
type learner struct {
	mu    sync.Mutex
	built bool
	stamp store.RoutingStamp
	model *Bayes // nil: too few examples
}

// classify proposes a department for text no rule matched, when the
// classifier is enabled and confident enough; ok is false otherwise.
func (s *Service) classify(ctx context.Context, text string) (Proposal, bool) {
	cfg := s.Config.Routing.Classifier
	if !cfg.Enabled {
		return Proposal{}, false
	}
	model, err := s.model(ctx)
	if err != nil {
		// Routing goes on without it: the default department answers.
		s.Log.Warn("routing classifier unavailable; using the default department", "err", err)
		return Proposal{}, false
	}
	p, ok := model.Propose(text)
	if !ok || p.Confidence < cfg.Threshold {
		return Proposal{}, false
	}
	if _, known := s.Config.Department(p.Department); !known {
		// Learnt from issues of a department since removed from the
		// configuration.
		return Proposal{}, false
	}
	return p, true
}

// model returns the classifier trained on the store's answered issues as
// they are now.
func (s *Service) model(ctx context.Context) (*Bayes, error) {
	stamp, err := s.Store.RoutingExamplesStamp(ctx)
	if err != nil {
		return nil, err
	}
	l := s.learner
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.built && l.stamp == stamp {
		return l.model, nil
	}
	// Read after the stamp: a change in between makes the model newer than
	// its stamp, and the next call rebuilds it once more.
	stored, err := s.Store.RoutingExamples(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("load routing examples: %w", err)
	}
	examples := make([]Example, len(stored))
	for i, e := range stored {
		examples[i] = Example{Text: e.Text, Department: e.Department}
	}
	l.model, l.stamp, l.built = TrainBayes(examples, s.Config.Routing.Classifier.MinExamples), stamp, true
	return l.model, nil
}
