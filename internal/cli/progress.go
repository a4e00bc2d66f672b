package cli

import (
	"io"
	"net/http"

	"github.com/schollz/progressbar/v3"
)

// progressThreshold is the smallest transfer that shows a progress bar.
const progressThreshold = 4 << 20

// progressTransport shows a progress bar on w for request and response
// bodies of known size above progressThreshold. It is installed only when
// stderr is a terminal, so pipes and CI logs never see a bar.
type progressTransport struct {
	next http.RoundTripper
	w    io.Writer
}

func (t *progressTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.ContentLength > progressThreshold {
		bar := newBar(t.w, req.ContentLength, "uploading")
		req = req.Clone(req.Context())
		req.Body = &barReader{r: req.Body, c: req.Body, bar: bar}
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.ContentLength <= progressThreshold {
		return resp, err
	}
	bar := newBar(t.w, resp.ContentLength, "downloading")
	resp.Body = &barReader{r: resp.Body, c: resp.Body, bar: bar}
	return resp, nil
}

func newBar(w io.Writer, size int64, what string) *progressbar.ProgressBar {
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100_000_000), // 100 ms
		progressbar.OptionClearOnFinish(),
	)
}

type barReader struct {
	r   io.Reader
	c   io.Closer
	bar *progressbar.ProgressBar
}

func (b *barReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	_ = b.bar.Add(n)
	if err == io.EOF {
		_ = b.bar.Finish()
	}
	return n, err
}

func (b *barReader) Close() error {
	_ = b.bar.Exit()
	return b.c.Close()
}
