// Package local lets towndesk commands on one machine ask a running
// `towndesk serve` over a unix socket in the data directory, instead of
// opening the search index that serve holds (bleve's lock lets one process
// have it; anyone else would build a private copy, about 20 s at 100,000
// rows).
//
// The socket (DATA/towndesk.sock) is created 0600 inside the 0700 data
// directory: only its owner can ask. The protocol is one JSON object per
// line each way: a Request, then its Response. A client that cannot reach
// a live server (none running, a stale socket file left by a killed one,
// a server that stops answering) gets an error that Unreachable reports,
// and answers by itself.
package local

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/handlers/qa"
)

// SocketName is the socket's file name in the data directory.
const SocketName = "towndesk.sock"

// Limits of the protocol.
const (
	// MaxLine bounds one request or response line.
	MaxLine = 1 << 20
	// MaxConns bounds the connections served at once; more wait.
	MaxConns = 8
	// IdleTimeout closes a connection that sends no request for this long.
	IdleTimeout = time.Minute
	// AnswerTimeout is how long a client waits for one answer (the
	// server's optional language model may take several seconds).
	AnswerTimeout = 30 * time.Second
	// dialTimeout is how long a client tries to reach the server.
	dialTimeout = 500 * time.Millisecond
)

// SocketPath returns the socket's path in data directory dir.
func SocketPath(dir string) string { return filepath.Join(dir, SocketName) }

// Request is one question, with the asker's default place.
type Request struct {
	Question string `json:"question"`
	Town     string `json:"town,omitempty"`
	County   string `json:"county,omitempty"`
	Limit    int    `json:"limit,omitempty"`
}

// Response is the answer to a Request: the reply in the `ask --json`
// form, or the error that answering it gave.
type Response struct {
	Reply json.RawMessage `json:"reply,omitempty"`
	Error *Error          `json:"error,omitempty"`
}

// Error is an error as the server's towndesk.Error had it: its code,
// message and field, and the place resolution behind it, if any, from
// which a front end writes its hint (the CLI names its flags).
type Error struct {
	Code       string                `json:"code"`
	Message    string                `json:"message"`
	Field      string                `json:"field,omitempty"`
	Resolution *gazetteer.Resolution `json:"resolution,omitempty"`
}

// errorOf is err as an Error.
func errorOf(err error) *Error {
	e := &Error{Code: towndesk.ErrorCode(err), Message: towndesk.ErrorMessage(err)}
	var te *towndesk.Error
	if errors.As(err, &te) {
		e.Field = te.Field
	}
	errors.As(err, &e.Resolution)
	return e
}

// err is e as the error the server had: a *towndesk.Error, wrapping the
// resolution.
func (e *Error) err() error {
	te := &towndesk.Error{Code: e.Code, Message: e.Message, Field: e.Field}
	if e.Resolution != nil {
		te.Err = e.Resolution
	}
	return te
}

// Asker answers questions; *qa.Lists is one.
type Asker interface {
	Ask(ctx context.Context, in qa.AskInput) (*qa.AskReply, error)
}

// Server answers questions on a socket.
type Server struct {
	ln   net.Listener
	path string
	ask  Asker
	log  *slog.Logger

	wg     sync.WaitGroup
	slots  chan struct{}
	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool // Close ran: a connection accepted just before is not served
}

// Listen creates the socket at path, 0600, and returns a server answering
// with ask once Serve runs. A socket file that no server answers on (left
// by a process that was killed) is replaced. It returns an error if a live
// server has the socket already or the socket cannot be created (a path
// too long for a unix socket, among others); the caller then runs without
// one.
func Listen(path string, ask Asker, log *slog.Logger) (*Server, error) {
	if c, err := net.DialTimeout("unix", path, dialTimeout); err == nil {
		c.Close()
		return nil, fmt.Errorf("another towndesk serve answers on %s", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("remove stale socket %s: %w", path, err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	// The directory is 0700 already; the socket is narrowed too.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("chmod %s: %w", path, err)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Server{ln: ln, path: path, ask: ask, log: log, slots: make(chan struct{}, MaxConns), conns: map[net.Conn]bool{}}, nil
}

// Serve answers connections until ctx ends or Close is called, then
// removes the socket. It returns nil then.
func (s *Server) Serve(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				s.wg.Wait()
				return nil
			}
			s.log.Warn("local socket accept failed", "err", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			c.Close()
			continue
		}
		if !s.track(c, true) {
			<-s.slots
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { <-s.slots }()
			defer s.track(c, false)
			s.serve(ctx, c)
		}()
	}
}

// track adds c to the open connections (on) or closes and removes it. It
// reports false, having closed c, for a connection added after Close.
func (s *Server) track(c net.Conn, on bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on && !s.closed {
		s.conns[c] = true
		return true
	}
	delete(s.conns, c)
	c.Close()
	return !on
}

// Close stops taking connections, closes those open and removes the
// socket file. It is safe to call more than once.
func (s *Server) Close() error {
	err := s.ln.Close() // a unix listener removes its file when closed
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// serve answers one connection's requests, one at a time.
func (s *Server) serve(ctx context.Context, c net.Conn) {
	r := bufio.NewReaderSize(c, 64*1024)
	enc := json.NewEncoder(c)
	for {
		c.SetReadDeadline(time.Now().Add(IdleTimeout))
		line, err := readLine(r)
		if err != nil {
			if errors.Is(err, errLineTooLong) {
				c.SetWriteDeadline(time.Now().Add(AnswerTimeout))
				enc.Encode(Response{Error: &Error{Code: towndesk.EINVALID, Message: fmt.Sprintf("请求过长（最多 %d 字节）", MaxLine)}})
			}
			return
		}
		var req Request
		var resp Response
		if err := json.Unmarshal(line, &req); err != nil {
			resp.Error = &Error{Code: towndesk.EINVALID, Message: "请求不是合法的 JSON"}
		} else {
			resp = s.answerWhileConnected(ctx, c, r, req)
		}
		c.SetWriteDeadline(time.Now().Add(AnswerTimeout))
		if err := enc.Encode(resp); err != nil {
			return
		}
	}
}

// answerWhileConnected answers req, and stops answering when the client
// hangs up (a killed `towndesk ask`): the question's work is for nobody
// then. While it answers, it watches the connection without consuming
// what the client may send next.
func (s *Server) answerWhileConnected(ctx context.Context, c net.Conn, r *bufio.Reader, req Request) Response {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.SetReadDeadline(time.Time{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		var ne net.Error
		if _, err := r.Peek(1); err != nil && !(errors.As(err, &ne) && ne.Timeout()) {
			cancel() // the client is gone
		}
	}()
	resp := s.answer(ctx, req)
	c.SetReadDeadline(time.Now()) // end the watch
	<-watched
	return resp
}

func (s *Server) answer(ctx context.Context, req Request) Response {
	reply, err := s.ask.Ask(ctx, qa.AskInput{Question: req.Question, Town: req.Town, County: req.County, Limit: req.Limit})
	if err != nil {
		if towndesk.ErrorCode(err) == towndesk.EINTERNAL {
			s.log.Error("local question failed", "err", err)
		}
		return Response{Error: errorOf(err)}
	}
	b, err := json.Marshal(reply)
	if err != nil {
		s.log.Error("local answer not encodable", "err", err)
		return Response{Error: &Error{Code: towndesk.EINTERNAL, Message: towndesk.ErrorMessage(towndesk.Errorf(towndesk.EINTERNAL, "internal"))}}
	}
	s.log.Info("answered a local question", "status", reply.Result.Status)
	return Response{Reply: b}
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most MaxLine bytes, without its newline.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		part, more, err := r.ReadLine()
		if err != nil {
			return nil, err
		}
		line = append(line, part...)
		if len(line) > MaxLine {
			return nil, errLineTooLong
		}
		if !more {
			return line, nil
		}
	}
}

// Client asks a running server.
type Client struct {
	c net.Conn
	r *bufio.Reader
}

// unreachable wraps a failure to talk to the server.
type unreachable struct{ err error }

func (u *unreachable) Error() string { return "towndesk serve unreachable: " + u.err.Error() }
func (u *unreachable) Unwrap() error { return u.err }

// Unreachable reports whether err means the server could not be reached
// or stopped answering, as opposed to an answer that was an error: the
// caller should then answer by itself.
func Unreachable(err error) bool {
	var u *unreachable
	return errors.As(err, &u)
}

// Dial connects to the server on the socket at path. It returns an error
// that Unreachable reports if no server answers there.
func Dial(path string) (*Client, error) {
	c, err := net.DialTimeout("unix", path, dialTimeout)
	if err != nil {
		return nil, &unreachable{err}
	}
	return &Client{c: c, r: bufio.NewReaderSize(c, 64*1024)}, nil
}

// Close closes the connection.
func (cl *Client) Close() error { return cl.c.Close() }

// Ask asks one question and returns the reply in the `ask --json` form
// and its text. An error from answering it comes back as the
// *towndesk.Error the server had; a failure to talk to the server as an
// error that Unreachable reports (the connection is unusable then).
func (cl *Client) Ask(ctx context.Context, req Request) (reply json.RawMessage, text string, err error) {
	deadline := time.Now().Add(AnswerTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	cl.c.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { cl.c.SetDeadline(time.Now()) })
	defer stop()
	b, err := json.Marshal(req)
	if err != nil {
		return nil, "", err
	}
	if _, err := cl.c.Write(append(b, '\n')); err != nil {
		return nil, "", &unreachable{err}
	}
	line, err := readLine(cl.r)
	if err != nil {
		return nil, "", &unreachable{err}
	}
	var resp Response
	if err := json.Unmarshal(line, &resp); err != nil {
		return nil, "", &unreachable{fmt.Errorf("bad response: %w", err)}
	}
	if resp.Error != nil {
		return nil, "", resp.Error.err()
	}
	var t struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(resp.Reply, &t); err != nil || len(resp.Reply) == 0 {
		return nil, "", &unreachable{fmt.Errorf("bad reply: %v", err)}
	}
	return resp.Reply, t.Text, nil
}
