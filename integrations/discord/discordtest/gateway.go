package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/gorilla/websocket"
)

// gateway holds the identified websocket connections.
type gateway struct {
	mu    sync.Mutex // guards conns and serialises writes
	conns []*websocket.Conn
	seq   int64
}

type gatewayEvent struct {
	Op   int             `json:"op"`
	Type string          `json:"t,omitempty"`
	Seq  int64           `json:"s,omitempty"`
	Data json.RawMessage `json:"d"`
}

func (s *Server) gatewayURL(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"url": "ws" + strings.TrimPrefix(s.URL, "http") + "/ws"})
}

// serveGateway speaks just enough of the gateway protocol: Hello, Identify,
// Ready, heartbeat acknowledgements, then dispatches sent by the test.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	hello := gatewayEvent{Op: 10, Data: json.RawMessage(`{"heartbeat_interval":45000}`)}
	var identify gatewayEvent
	if conn.WriteJSON(hello) != nil || conn.ReadJSON(&identify) != nil || identify.Op != 2 {
		conn.Close()
		return
	}
	ready := fmt.Sprintf(`{"v":9,"session_id":"session-1","user":{"id":%q,"username":"interlock","bot":true},"guilds":[],"application":{"id":%q}}`, BotID, AppID)
	if err := s.gateway.dispatch(conn, "READY", json.RawMessage(ready)); err != nil {
		conn.Close()
		return
	}
	s.gateway.mu.Lock()
	s.gateway.conns = append(s.gateway.conns, conn)
	s.gateway.mu.Unlock()
	s.mu.Lock()
	s.notify()
	s.mu.Unlock()
	go s.gateway.acknowledge(conn)
}

// acknowledge answers heartbeats until the connection ends.
func (g *gateway) acknowledge(conn *websocket.Conn) {
	for {
		var e gatewayEvent
		if err := conn.ReadJSON(&e); err != nil {
			g.drop(conn)
			return
		}
		if e.Op == 1 {
			g.mu.Lock()
			_ = conn.WriteJSON(gatewayEvent{Op: 11, Data: json.RawMessage("null")})
			g.mu.Unlock()
		}
	}
}

func (g *gateway) dispatch(conn *websocket.Conn, event string, data json.RawMessage) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	return conn.WriteJSON(gatewayEvent{Op: 0, Type: event, Seq: g.seq, Data: data})
}

func (g *gateway) drop(conn *websocket.Conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, c := range g.conns {
		if c == conn {
			g.conns = append(g.conns[:i], g.conns[i+1:]...)
			break
		}
	}
	conn.Close()
}

func (g *gateway) close() {
	g.mu.Lock()
	conns := g.conns
	g.conns = nil
	g.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// WaitGateway waits until a client has connected and identified.
func (s *Server) WaitGateway(ctx context.Context) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		s.gateway.mu.Lock()
		n := len(s.gateway.conns)
		s.gateway.mu.Unlock()
		if n > 0 {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("waiting for a gateway client: %w", ctx.Err())
		}
	}
}

// SendInteraction delivers an interaction payload to every gateway client
// as an INTERACTION_CREATE dispatch.
func (s *Server) SendInteraction(payload []byte) error {
	s.gateway.mu.Lock()
	conns := append([]*websocket.Conn(nil), s.gateway.conns...)
	s.gateway.mu.Unlock()
	if len(conns) == 0 {
		return errors.New("no gateway client connected")
	}
	var errs []error
	for _, c := range conns {
		errs = append(errs, s.gateway.dispatch(c, "INTERACTION_CREATE", payload))
	}
	return errors.Join(errs...)
}
