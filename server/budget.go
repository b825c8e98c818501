package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/legaltext"
)

// Limits bound what one request may cost. The zero value of a field means its default.
type Limits struct {
	// Input bounds the Markdown a reader posts to be compared or drafted.
	Input legaltext.InputLimits
	// Budget is the wall time an expensive request (a redline of posted text, a draft
	// preview, a comparison not yet cached) may take before it answers 503.
	Budget time.Duration
	// Concurrent is how many expensive requests run at once; more wait up to QueueWait for
	// a slot, then answer 503 with Retry-After.
	Concurrent int
	QueueWait  time.Duration
	// MaxOutputBytes caps a redline written for a request (HTML, JSON or Word).
	MaxOutputBytes int
}

func (l Limits) withDefaults() Limits {
	def := legaltext.DefaultInputLimits()
	if l.Input.MaxBytes == 0 {
		l.Input.MaxBytes = def.MaxBytes
	}
	if l.Input.MaxLines == 0 {
		l.Input.MaxLines = def.MaxLines
	}
	if l.Input.MaxDepth == 0 {
		l.Input.MaxDepth = def.MaxDepth
	}
	if l.Input.MaxInlineWork == 0 {
		l.Input.MaxInlineWork = def.MaxInlineWork
	}
	if l.Budget == 0 {
		l.Budget = 10 * time.Second
	}
	if l.Concurrent == 0 {
		l.Concurrent = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if l.QueueWait == 0 {
		l.QueueWait = time.Second
	}
	if l.MaxOutputBytes == 0 {
		l.MaxOutputBytes = 32 << 20
	}
	return l
}

// errBusy and errTooSlow are the two ways an expensive request is turned away: every slot
// taken, or the budget spent.
var (
	errBusy    = errors.New("the server is busy with other large requests")
	errTooSlow = errors.New("the request took longer than its time budget")
)

// work is the semaphore of expensive requests.
type work struct {
	slots chan struct{}
	lim   Limits
	met   *Metrics // nil: not counted
}

func newWork(l Limits) *work { return &work{slots: make(chan struct{}, l.Concurrent), lim: l} }

// do runs job holding a slot, under the budget. The job runs in its own goroutine and keeps
// its slot until it returns, even after the request gave up on it (budget spent, client
// gone): abandoned work still counts against the cap, so it cannot pile up. The job sees
// ctx end and should stop at its next check.
func (w *work) do(ctx context.Context, job func(ctx context.Context) error) error {
	select {
	case w.slots <- struct{}{}:
		w.met.workSlot("immediate", 0)
	default:
		waitStart := time.Now()
		t := time.NewTimer(w.lim.QueueWait)
		defer t.Stop()
		select {
		case w.slots <- struct{}{}:
			w.met.workSlot("waited", time.Since(waitStart))
		case <-t.C:
			w.met.workSlot("refused", time.Since(waitStart))
			return errBusy
		case <-ctx.Done():
			w.met.workSlot("gone", time.Since(waitStart))
			return ctx.Err()
		}
	}
	ctx, cancel := context.WithTimeout(ctx, w.lim.Budget)
	done := make(chan error, 1)
	go func() {
		defer func() { <-w.slots }()
		defer cancel()
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panic: %v", r)
			}
		}()
		done <- job(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		// The job cancels ctx itself once it has sent its result: then the result is
		// there, and select may have picked this case at random.
		select {
		case err := <-done:
			return err
		default:
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			w.met.workSlot("over_budget", 0)
			return errTooSlow
		}
		return ctx.Err()
	}
}

// failWork answers for an error of work.do or of the job it ran.
func (s *Server) failWork(c *gin.Context, err error) {
	var in *legaltext.InputError
	switch {
	case errors.Is(err, errBusy):
		c.Header("Retry-After", "2")
		s.fail(c, http.StatusServiceUnavailable, "the server is busy with other large requests; try again in a few seconds")
	case errors.Is(err, errTooSlow):
		c.Header("Retry-After", "5")
		s.fail(c, http.StatusServiceUnavailable, fmt.Sprintf("the request took longer than its budget of %s; try a smaller text", s.limits.Budget))
	case errors.Is(err, context.Canceled):
		// The client has gone: nobody reads the answer.
		c.Abort()
	case errors.Is(err, errTooBigOutput):
		s.fail(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("the redline would be over %d MiB; compare shorter texts", s.limits.MaxOutputBytes>>20))
	case errors.As(err, &in):
		s.fail(c, http.StatusRequestEntityTooLarge, "the text is refused: "+in.Error())
	default:
		s.failErr(c, err)
	}
}

var errTooBigOutput = errors.New("output over its limit")

// cappedBuffer is a buffer that refuses to grow past max: a redline of posted text can be
// many times the size of the text.
type cappedBuffer struct {
	buf []byte
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if len(b.buf)+len(p) > b.max {
		return 0, errTooBigOutput
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// checkText checks posted Markdown (or plain text) against the input limits; name says which
// field it came from.
func (s *Server) checkText(name, text string) error {
	if err := legaltext.CheckInput([]byte(text), s.limits.Input); err != nil {
		return &legaltext.InputError{Msg: "field " + name + ", " + err.Error()}
	}
	return nil
}
