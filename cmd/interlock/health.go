package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/config"
)

// healthCommand asks a running server whether it is ready. The image has
// no shell or curl, so container health checks run this instead.
func (c *cli) healthCommand() *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "health",
		Short: "Exit 0 if the local server's /readyz answers 200 (for container health checks)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if url == "" {
				url = readyzURL(config.FromEnviron(c.getenv).HTTPAddr)
			}
			return c.checkHealth(cmd.Context(), url)
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "URL to check (default: /readyz on INTERLOCK_HTTP_ADDR)")
	return cmd
}

// readyzURL is /readyz on the loopback address of a listen address such as
// ":8080" or "0.0.0.0:8080".
func readyzURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = "", "8080"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz"
}

func (c *cli) checkHealth(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Fprintf(c.stdout, "%s %s", resp.Status, body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s answered %s", url, resp.Status)
	}
	return nil
}
