package kpi

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// CacheTTL is how long a data KPI's answer is cached in the coordination
// store. Writes through the Service invalidate it at once; writes that
// bypass it (ImportCSV given the bare store) show after at most this long.
const CacheTTL = 2 * time.Minute

// generationKey names the counter that every write through the Service
// increments. Cache keys contain it, so a write makes every cached answer
// unreachable without having to find and delete them.
const generationKey = "kpi:generation"

// cachedDataValues is dataValues behind the coordination store's cache.
// The cache is an optimisation: when it fails, the store answers.
func (s *Service) cachedDataValues(ctx context.Context, k config.KPI, q Query, spans []Span) ([]Value, error) {
	if s.Coord == nil {
		return s.dataValues(ctx, k, q, spans)
	}
	gen, err := s.Coord.Incr(ctx, generationKey, 0, 0)
	if err != nil {
		s.Log.Warn("KPI cache unavailable", "err", err)
		return s.dataValues(ctx, k, q, spans)
	}
	key := fmt.Sprintf("kpi:answer:%d:%s|%s|%s|%d|%d|%d", gen, q.Metric, q.Brand, q.Channel,
		spans[0].From.Unix(), spans[len(spans)-1].To.Unix(), len(spans))
	if raw, ok, err := s.Coord.Get(ctx, key); err == nil && ok {
		var vs []Value
		if json.Unmarshal(raw, &vs) == nil && len(vs) == len(spans) {
			return vs, nil
		}
	}
	vs, err := s.dataValues(ctx, k, q, spans)
	if err != nil {
		return nil, err
	}
	if raw, err := json.Marshal(vs); err == nil {
		if err := s.Coord.Set(ctx, key, raw, CacheTTL); err != nil {
			s.Log.Warn("cannot cache KPI answer", "kpi", k.ID, "err", err)
		}
	}
	return vs, nil
}

// PutKPIPoints stores points and invalidates every cached answer. It lets
// a *Service be the Writer of ImportCSV.
func (s *Service) PutKPIPoints(ctx context.Context, ps []store.KPIPoint) error {
	if err := s.points.PutKPIPoints(ctx, ps); err != nil {
		return fmt.Errorf("store %d KPI points: %w", len(ps), err)
	}
	s.invalidate(ctx)
	return nil
}

// invalidate moves to a new cache generation. The counter never expires,
// so it never goes back to a number whose answers may still be cached.
func (s *Service) invalidate(ctx context.Context) {
	if s.Coord == nil {
		return
	}
	if _, err := s.Coord.Incr(ctx, generationKey, 1, 0); err != nil {
		// The answers cached before the write expire within CacheTTL.
		s.Log.Warn("cannot invalidate cached KPI answers", "err", err)
	}
}
