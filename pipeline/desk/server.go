// Package desk is the review desk, the browser side of yanshou: the county
// office's queue of judged classes and each class's verdict, findings,
// evidence, photos and report, and the same for an institution's own classes.
// It reads the ledger and the outbox only through scoped queries: the classes a
// request may see follow from the logged-in user, and every file is found by an
// id the ledger gives, never by a path from the URL.
package desk

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/store/ledger"
	"yanshou/rules"
)

//go:embed assets
var assets embed.FS

// Options configure a Server.
type Options struct {
	Ledger *ledger.Ledger
	Outbox string // the outbox folder the ledger's output folders are relative to
	// Inbox is the intake's inbox, where institutions' uploads land (as
	// <institution>/<class folder>); empty: the desk takes no uploads.
	Inbox string
	// MaxUploadBytes limits one upload; the config's
	// intake.desk_upload_max_bytes when zero.
	MaxUploadBytes int64
	// UploadChunkBytes is the size of the chunks the upload page sends a zip
	// in (resumable uploads, resume.go); DefaultUploadChunkBytes when zero,
	// at most MaxChunkBytes.
	UploadChunkBytes int64
	Config           *yanshou.Config // the county config: time zone, office name, retraining share, thresholds
	// Rules are the rules the office judges by, evaluated again over a judged
	// version's facts when the office records a headcount after it was
	// judged; loaded from Config.Rules (the built-in set when "") when nil.
	Rules *rules.Set
	// Secure marks the cookies Secure (serve over TLS).
	Secure bool
	// SessionTTL is how long a login lasts; DefaultSessionTTL when zero.
	SessionTTL time.Duration
	// Limit is the login rate limit; ledger.DefaultLoginLimit when zero.
	Limit ledger.LoginLimit
	// RenderReviewed renders the reviewed documents of a version whose
	// verdict was just confirmed (pipeline's RenderReviewed); nil: the desk
	// renders none and offers those already rendered.
	RenderReviewed func(ctx context.Context, id string, version int) error
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
}

// DefaultSessionTTL is a working day: a reviewer logs in once in the morning.
const DefaultSessionTTL = 10 * time.Hour

// Server is the review desk's HTTP handler.
type Server struct {
	o     Options
	pages *template.Template
	mux   *http.ServeMux
	thumb *thumbnails
	kept  *kept // versions' details and maps (views_evidence.go)
	// hashing bounds the password checks run at once: each argon2id hash
	// takes its memory (64 MiB by default), so a burst of logins cannot
	// exhaust the machine.
	hashing chan struct{}
	reviews reviewJobs // reviewed sets being rendered
	finals  pipeline.Finals
	resumes resumeLocks // the resumable uploads' requests, one at a time per token
}

// concurrentLogins is how many password checks run at once.
const concurrentLogins = 2

// New makes the desk's handler.
func New(o Options) (*Server, error) {
	if o.SessionTTL == 0 {
		o.SessionTTL = DefaultSessionTTL
	}
	if o.Limit == (ledger.LoginLimit{}) {
		o.Limit = ledger.DefaultLoginLimit
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Rules == nil {
		path := ""
		if o.Config != nil {
			path = o.Config.Rules
		}
		set, err := rules.Load(path)
		if err != nil {
			return nil, err
		}
		o.Rules = set
	}
	t, err := template.New("").Funcs(funcs).ParseFS(assets, "assets/*.html")
	if err != nil {
		return nil, err
	}
	s := &Server{o: o, pages: t, mux: http.NewServeMux(), thumb: newThumbnails(), kept: newKept(), hashing: make(chan struct{}, concurrentLogins),
		finals: pipeline.Finals{Ledger: o.Ledger, Rules: o.Rules, Config: o.Config}}
	// The final verdicts stored by another config (or none, by a desk before
	// they were stored) are computed again before the first page.
	if o.Ledger != nil {
		if err := s.refreshFinals(); err != nil {
			return nil, err
		}
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.login)
	s.mux.HandleFunc("POST /logout", s.authed(s.logout))
	s.mux.HandleFunc("GET /{$}", s.authed(s.queue))
	s.mux.HandleFunc("GET /class/{id}", s.authed(s.class))
	s.mux.HandleFunc("GET /class/{id}/v/{n}/doc/{k}", s.authed(s.document))
	s.mux.HandleFunc("GET /class/{id}/v/{n}/photo/{k}", s.authed(s.photo))
	s.mux.HandleFunc("GET /class/{id}/v/{n}/thumb/{k}", s.authed(s.thumbnail))
	s.mux.HandleFunc("GET /class/{id}/v/{n}/map.png", s.authed(s.photoMap))
	s.mux.HandleFunc("GET /class/{id}/v/{n}/pair/{p}/{j}", s.authed(s.otherPhoto))
	s.mux.HandleFunc("GET /class/{id}/v/{n}/sig/{k}", s.authed(s.signature))
	s.mux.HandleFunc("POST /class/{id}/v/{n}/finding/{k}", s.authed(s.decide))
	s.mux.HandleFunc("POST /class/{id}/v/{n}/confirm", s.authed(s.confirm))
	s.mux.HandleFunc("GET /class/{id}/signin-sheets.zip", s.authed(s.signinSheets))
	s.mux.HandleFunc("GET /downloads", s.authed(s.downloads))
	s.mux.HandleFunc("GET /downloads/blank/{k}", s.authed(s.blankOne))
	s.mux.HandleFunc("GET /downloads/blank.zip", s.authed(s.blankZip))
	s.mux.HandleFunc("POST /class/{id}/v/{n}/headcount", s.authed(s.headcount))
	s.mux.HandleFunc("POST /class/{id}/v/{n}/inspection", s.authed(s.inspection))
	s.mux.HandleFunc("GET /inspections", s.authed(s.inspections))
	s.mux.HandleFunc("GET /upload", s.authed(s.uploadPage))
	s.mux.HandleFunc("POST /upload", s.authedStream(s.upload))
	s.mux.HandleFunc("POST /upload/resume", s.authedStream(s.resumeStart))
	s.mux.HandleFunc("PUT /upload/resume/{token}", s.authedStream(s.resumeChunk))
	s.mux.HandleFunc("GET /static/style.css", s.style)
	s.mux.HandleFunc("GET /static/upload.js", s.script)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
}

// csp allows the page's own styles, images, frames (the report PDF), forms
// and the desk's one embedded script (the upload's progress bar), and nothing
// else: no inline script, no other site.
const csp = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; frame-src 'self'; object-src 'self'; " +
	"form-action 'self'; frame-ancestors 'self'; base-uri 'none'"

// ServeHTTP sets the safety headers on every response and routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Referrer-Policy", "same-origin") // no-referrer would make a browser send "Origin: null" with the forms
	h.Set("Cache-Control", "no-store")
	if s.o.Secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) script(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("assets/upload.js")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Write(b)
}

func (s *Server) style(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("assets/style.css")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Write(b)
}
